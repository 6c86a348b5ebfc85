"""Encoding an MP3 on every core: the track in segments, encoded side by side, joined.

LAME runs on one core, and the encode is most of a build. So a long track is cut into
one segment per core, each encoded by its own ffmpeg from PCM rendered for it, and the
frames are joined into one file (mp3join.py). Seams sit on the 1152-sample frame grid
of a single encode of the whole track, in stretches the caller says are quiet (between
cues): every segment after the first starts `PREROLL_FRAMES` early so its encoder has
settled by the seam, and the one before runs `SEARCH_FRAMES` past it so the seam can
move to where the bit reservoir allows. Decoded, the joined file has exactly the track's
samples at exactly their times; across a seam in digital silence, the same samples as
a single encode.
"""

from __future__ import annotations

import concurrent.futures
import functools
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.errors import EncoderError
from audiogen.output.encoder import AudioFormat, OutputSpec, codec_options, input_options
from audiogen.output.lame import encode_frames
from audiogen.output.mp3join import SAMPLES_PER_FRAME, Segment, join

PREROLL_FRAMES = 8
SEARCH_FRAMES = 16
# Shorter tracks are encoded in one piece: starting a second ffmpeg would not pay.
MIN_SEGMENT_SECONDS = 45
# Kept clear of sound around a seam beyond the frames it spans: the encoder's window
# and the decoder's overlap reach about a frame either side.
_MARGIN_SAMPLES = 2 * SAMPLES_PER_FRAME

# PCM for the track's samples [start, end), as s16le chunks.
Render = Callable[[int, int], Iterable[bytes]]


@dataclass(frozen=True)
class SegmentPlan:
    """The track frames where segments after the first begin (empty: one piece)."""

    seams: tuple[int, ...]

    def ranges(self, total: int) -> list[tuple[int, int]]:
        """The samples [start, end) each segment's encoder is fed."""
        starts = [0] + [(seam - PREROLL_FRAMES) * SAMPLES_PER_FRAME for seam in self.seams]
        ends = [min(total, (seam + SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME) for seam in self.seams]
        return list(zip(starts, [*ends, total], strict=True))


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_segments(
    total: int, quiet: Sequence[tuple[int, int]], *, sample_rate: int, count: int | None = None
) -> SegmentPlan:
    """Seams for `count` segments (one per core) of about equal length, each in a quiet
    stretch [start, end) of samples; fewer where no stretch fits."""
    shortest = MIN_SEGMENT_SECONDS * sample_rate
    wanted = min(count or cores(), total // shortest)
    seams: list[int] = []
    for k in range(1, max(1, wanted)):
        seam = _seam_near(total * k // wanted, quiet)
        if seam is None:
            continue
        at = seam * SAMPLES_PER_FRAME
        previous = seams[-1] * SAMPLES_PER_FRAME if seams else 0
        if at - previous >= shortest and total - at >= shortest:
            seams.append(seam)
    return SegmentPlan(tuple(seams))


def _seam_near(sample: int, quiet: Sequence[tuple[int, int]]) -> int | None:
    """The frame nearest `sample` whose seam region lies inside one quiet stretch."""
    before = PREROLL_FRAMES * SAMPLES_PER_FRAME + _MARGIN_SAMPLES
    after = (SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME + _MARGIN_SAMPLES
    best: int | None = None
    for start, end in quiet:
        low = -(-(start + before) // SAMPLES_PER_FRAME)
        high = (end - after) // SAMPLES_PER_FRAME
        if low > high:
            continue
        frame = min(max(sample // SAMPLES_PER_FRAME, low), high)
        if best is None or abs(frame * SAMPLES_PER_FRAME - sample) < abs(
            best * SAMPLES_PER_FRAME - sample
        ):
            best = frame
    return best


def encode_segments(
    render: Render,
    total: int,
    path: Path,
    spec: OutputSpec,
    plan: SegmentPlan,
    filters: Sequence[str],
) -> None:
    """Encode the track into `path` (an MP3), its segments side by side, and join them."""
    if spec.format is not AudioFormat.MP3:
        raise ValueError("only MP3 is encoded in segments")
    ranges = plan.ranges(total)
    with tempfile.TemporaryDirectory(prefix="audiogen-segments-", dir=path.parent) as scratch:
        paths = [Path(scratch) / f"{k}.mp3" for k in range(len(ranges))]
        encoders = [_encoder(paths[k], spec, filters, header=k == 0) for k in range(len(ranges))]
        _run_all([(encode, render(*r)) for encode, r in zip(encoders, ranges, strict=True)])
        pieces = [Segment(paths[0], 0, 0)] + [
            Segment(p, seam - PREROLL_FRAMES, seam)
            for p, seam in zip(paths[1:], plan.seams, strict=True)
        ]
        join(pieces, path, total, SEARCH_FRAMES)


def _encoder(path: Path, spec: OutputSpec, filters: Sequence[str], *, header: bool) -> Encode:
    """What encodes one segment into `path`: LAME in this process (lame.py) for the
    voice alone, or an ffmpeg. Over a music bed ffmpeg's LAME stays: with lameenc's,
    a seam over the bed found no frame within SEARCH_FRAMES where the bit reservoir
    allowed a join (amrap-20), and the bed may go through the safety limiter anyway.
    Only the first segment carries the Xing/LAME header the joined file keeps."""
    if not filters and spec.channels == 1:
        return functools.partial(encode_frames, path=path, spec=spec, header=header)
    command = [*_ffmpeg.base_command(), "-loglevel", "error", *input_options(spec)]
    command += ["-af", ",".join(filters)] if filters else []
    command += codec_options(spec, {}, xing=header)
    command += [_ffmpeg.ffmpeg_path_arg(path)]
    return functools.partial(_ffmpeg.run_fed, command, what="encode an MP3 segment")


# Encodes the s16le chunks it is given into one segment's file.
Encode = Callable[[Iterable[bytes]], object]


def _run_all(jobs: Sequence[tuple[Encode, Iterable[bytes]]]) -> None:
    """Run every encoder at once, each on a thread; if one fails (or we are
    interrupted), the others are stopped too, and the first error is raised."""
    stop = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(encode, _until(stop, chunks)) for encode, chunks in jobs]
        try:
            for future in concurrent.futures.as_completed(futures):
                future.result()
        except BaseException:
            stop.set()
            raise


def _until(stop: threading.Event, chunks: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if stop.is_set():
            raise EncoderError("stopped: another segment's encoder failed")
        yield chunk
