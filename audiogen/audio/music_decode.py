"""Decoding the music bed: once, into a scratch file, looped without a seam.

`open_music` decodes the file with ffmpeg (MP3, WAV, FLAC, OGG, anything it reads) to
44.1 kHz stereo PCM, measures its loudness and true peak on the way, and the K-weighted
energy of every 100 ms of it (what the loudness of the mix is worked out from, see
music_loudness.py). When the music is shorter than the track its last
`LOOP_CROSSFADE_MS` are replaced with a crossfade into its own start: the loop then
plays start to end once and [crossfade end .. end] ever after, with no seam.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO

import numpy as np

from audiogen.audio.bs1770 import SUB_BLOCK_MS, Floats, k_filters
from audiogen.audio.measure import Measurement, parse_ebur128
from audiogen.audio.music_file import check_music_kind, check_music_length
from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.core.scratch import scratch_dir
from audiogen.errors import EncoderError, MusicError
from audiogen.workout.model import MusicBed

FRAME_BYTES = 4  # stereo s16le
LOOP_CROSSFADE_MS = 500
SUB_BLOCK = SAMPLE_RATE * SUB_BLOCK_MS // 1000
RAMP_STEP = 64  # samples the gain is held for while it moves: 1.5 ms, about 0.1 dB


@dataclass(frozen=True)
class Music:
    """The decoded music, ready to loop: raw stereo s16le at 44.1 kHz in `path`."""

    path: Path
    frames: int
    loop_start: int  # where playback jumps back to at the end of the file
    lufs: float
    true_peak: float  # dBTP
    # The K-weighted energy of each 100 ms of the file, both channels (full scale 1.0).
    energy: Floats


@contextlib.contextmanager
def open_music(bed: MusicBed, frames_needed: int) -> Iterator[Music]:
    """Decode `bed.file` (no more than needed) into a scratch file, removed afterwards."""
    check_music_kind(bed.file)
    with scratch_dir() as scratch:
        raw = scratch / "music.raw"
        energy_log = scratch / "energy.txt"
        extra = _crossfade_frames(frames_needed)  # a crossfade needs a little more
        seconds = (frames_needed + extra) / SAMPLE_RATE + 1
        measured = _decode(bed.file, raw, seconds, energy_log)
        frames = raw.stat().st_size // FRAME_BYTES
        check_music_length(bed.file, frames)
        if math.isinf(measured.integrated):
            raise MusicError(f"music file {bed.file} is silent")
        energy = _read_energy(energy_log)
        loop_start = 0 if frames >= frames_needed else _make_loop(raw, frames)
        peak = measured.true_peak if measured.true_peak is not None else 0.0
        size = raw.stat().st_size // FRAME_BYTES
        yield Music(raw, size, loop_start, measured.integrated, peak, energy)


def _decode(source: Path, raw: Path, seconds: float, energy_log: Path) -> Measurement:
    """Decode at most `seconds` of `source` into `raw`, measuring it on the way: its
    loudness and true peak, and the K-weighted RMS of every 100 ms into `energy_log`."""
    graph = (
        f"[0:a]aresample={SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=stereo,"
        "asplit=3[out][meter][k];[meter]ebur128=framelog=verbose:peak=true,anullsink;"
        f"[k]{_k_weighting()},asetnsamples=n={SUB_BLOCK}:p=0,"
        "astats=metadata=1:reset=1:measure_overall=none:measure_perchannel=RMS_level,"
        f"ametadata=mode=print:file={_filter_path(energy_log)},anullsink"
    )
    command = [
        *_ffmpeg.base_command(), "-loglevel", "info",
        "-i", _ffmpeg.ffmpeg_path_arg(source), "-t", f"{seconds:.3f}", "-vn",
        "-filter_complex", graph, "-map", "[out]",
        "-f", "s16le", "-ac", "2", "-y", _ffmpeg.ffmpeg_path_arg(raw),
    ]  # fmt: skip
    try:
        log = _ffmpeg.run_fed(command, [], what=f"decode the music file {source}")
    except EncoderError as exc:
        raise MusicError(
            f"cannot read the music file {source}",
            hint=f"use an MP3, WAV, FLAC or OGG file ({exc.message.splitlines()[-1]})",
        ) from exc
    return parse_ebur128(log)


def _k_weighting() -> str:
    """The BS.1770 K-weighting as two ffmpeg biquads, in double precision."""
    stages = []
    for b, a in k_filters(SAMPLE_RATE):
        stages.append(
            f"biquad=b0={b[0]!r}:b1={b[1]!r}:b2={b[2]!r}:a0=1:a1={a[1]!r}:a2={a[2]!r}:precision=f64"
        )
    return "aformat=sample_fmts=dblp," + ",".join(stages)


def _filter_path(path: Path) -> str:
    # A path inside a filter graph: forward slashes, and a drive's colon escaped twice
    # (once for the graph, once for the option).
    return path.as_posix().replace(":", "\\" * 3 + ":")


def _read_energy(log: Path) -> Floats:
    """Sub-block energies from astats' per-100 ms RMS levels (dBFS) of both channels."""
    energy = []
    for line in log.read_text(encoding="ascii").splitlines():
        if line.startswith("frame:"):
            energy.append(0.0)
        elif "RMS_level=" in line and energy:
            level = float(line.partition("=")[2])
            energy[-1] += 0.0 if math.isinf(level) else 10 ** (level / 10) * SUB_BLOCK
    return np.asarray(energy, dtype=np.float64)


def _crossfade_frames(frames: int) -> int:
    return min(SAMPLE_RATE * LOOP_CROSSFADE_MS // 1000, frames // 4)


def _make_loop(raw: Path, frames: int) -> int:
    """Replace the file's last crossfade length with tail-into-head; return the loop start.

    Played once from the start, then from the loop start again and again, the music runs
    on through the crossfade into its own beginning, every time.
    """
    fade = _crossfade_frames(frames)
    with raw.open("r+b") as file:
        head = file.read(fade * FRAME_BYTES)
        file.seek((frames - fade) * FRAME_BYTES)
        tail = file.read(fade * FRAME_BYTES)
        file.seek((frames - fade) * FRAME_BYTES)
        file.write(crossfade(tail, head))
        file.truncate()
    return fade


def crossfade(outgoing: bytes, incoming: bytes) -> bytes:
    """Crossfade two stereo s16le blocks of the same length at constant power.

    What keeps the power constant depends on how alike the two are: for unrelated
    music it is an equal-power fade (cos/sin), for a tail that repeats the head (a loop
    made to wrap, like the bundled one) a plain linear fade, which then changes nothing
    at all. So the gains are linear ones scaled by 1/sqrt(a^2 + b^2 + 2*rho*a*b), rho the
    measured correlation of the two blocks.
    """
    audioop = audioop_module()
    rho = _correlation(outgoing, incoming)
    frames = len(outgoing) // FRAME_BYTES
    pieces = []
    for start in range(0, frames, RAMP_STEP):
        end = min(frames, start + RAMP_STEP)
        b = (start + end) / 2 / frames
        a = 1 - b
        norm = math.sqrt(a * a + b * b + 2 * rho * a * b)
        span = slice(start * FRAME_BYTES, end * FRAME_BYTES)
        faded = audioop.mul(outgoing[span], 2, a / norm)
        pieces.append(audioop.add(faded, audioop.mul(incoming[span], 2, b / norm), 2))
    return b"".join(pieces)


def _correlation(a: bytes, b: bytes) -> float:
    """Correlation coefficient of two s16le blocks, clamped to [0, 1]."""
    audioop = audioop_module()
    rms_a, rms_b = audioop.rms(a, 2), audioop.rms(b, 2)
    if not a or rms_a == 0 or rms_b == 0:
        return 0.0
    # findfactor(a, b) = sum(a*b) / sum(b*b): scaled, that is sum(a*b) / (|a| |b|).
    rho = audioop.findfactor(a, b) * rms_b / rms_a
    return float(min(1.0, max(0.0, rho)))


class LoopReader:
    """Reads the music's frames in order, forever, jumping back to the loop start."""

    def __init__(self, file: IO[bytes], music: Music) -> None:
        self._file = file
        self._music = music
        self._position = 0

    def seek(self, track_frame: int) -> None:
        """Go to the music frame that plays at `track_frame` of the track."""
        music = self._music
        period = music.frames - music.loop_start
        if track_frame < music.frames or period <= 0:
            self._position = min(track_frame, music.frames)
        else:
            self._position = music.loop_start + (track_frame - music.frames) % period
        self._file.seek(self._position * FRAME_BYTES)

    def read(self, frames: int) -> bytes:
        pieces = []
        while frames > 0:
            if self._position >= self._music.frames:
                if self._music.loop_start >= self._music.frames:
                    pieces.append(bytes(frames * FRAME_BYTES))  # should not happen: pad
                    break
                self._position = self._music.loop_start
                self._file.seek(self._position * FRAME_BYTES)
            take = min(frames, self._music.frames - self._position)
            pieces.append(self._file.read(take * FRAME_BYTES))
            self._position += take
            frames -= take
        return b"".join(pieces)


def audioop_module() -> ModuleType:
    # audioop is deprecated in 3.11-3.12 (pydub needs it too; audioop-lts from 3.13).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop
    return audioop
