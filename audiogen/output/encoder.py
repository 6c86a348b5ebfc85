"""Encode raw PCM with ffmpeg (MP3, M4A or WAV), and write files atomically.

Output files are written to a temporary file beside the target and renamed over it only
when complete, so a failed or interrupted build never leaves a partial file at the output
path and an earlier good file there stays intact. `atomic_directory` does the same for
the folder of a split build.

One ffmpeg process does all the encoding of a build: the whole track and, when asked,
one file per part (`--split`), each cut at its exact sample from the same stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.files import DISK_HINT, atomic_output
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.core.scratch import scratch_dir
from audiogen.errors import UsageError

# Every bitrate MPEG-1 Layer III defines; CBR at one of these is what phones expect.
MP3_BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MPEG1_SAMPLE_RATES = (32000, 44100, 48000)
# AAC from 64k up: below, its quantization noise can lift true peaks by 2 dB and more.
AAC_BITRATES_KBPS = range(64, 321)
LAME_QUALITY = 7


class AudioFormat(StrEnum):
    """What the output file is: the CLI's --format."""

    MP3 = "mp3"  # MPEG-1 Layer III, CBR: plays everywhere; chapters as ID3 CHAP (tags.py)
    M4A = "m4a"  # AAC in MP4, chapters written here by ffmpeg
    WAV = "wav"  # 16-bit PCM, for editing

    @classmethod
    def for_path(cls, path: Path | str) -> AudioFormat | None:
        """The format a file name asks for ('x.m4a' -> M4A), or None for other suffixes."""
        suffix = Path(path).suffix.lower().lstrip(".")
        return cls(suffix) if suffix in cls._value2member_map_ else None


@dataclass(frozen=True)
class OutputSpec:
    """How to encode: format, bitrate (ignored for WAV), sample rate and channels."""

    format: AudioFormat = AudioFormat.MP3
    bitrate: str = "96k"
    sample_rate: int = SAMPLE_RATE
    channels: int = 1

    def check(self) -> int:
        """Validate; return the bitrate in kb/s. Raises before anything is written."""
        if self.channels not in (1, 2):
            raise ValueError(f"1 or 2 channels, not {self.channels}")
        if self.format is AudioFormat.MP3:
            if self.sample_rate not in MPEG1_SAMPLE_RATES:
                # LAME would quietly switch to MPEG-2 or fail; neither is a file phones expect.
                raise ValueError(
                    f"MPEG-1 needs 32, 44.1 or 48 kHz and 1 or 2 channels, not "
                    f"{self.sample_rate} Hz and {self.channels} channels"
                )
            return parse_bitrate(self.bitrate)
        if self.format is AudioFormat.M4A:
            return _parse_kbps(self.bitrate, AAC_BITRATES_KBPS, "64k to 320k")
        return 0


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    end_ms: int
    title: str


@dataclass(frozen=True)
class Part:
    """One file of a split output: the samples [start, end) of the track."""

    path: Path
    start_sample: int
    end_sample: int
    tags: Mapping[str, str] = field(default_factory=dict)


def parse_bitrate(bitrate: str) -> int:
    """'96k' -> 96. Raises UsageError (exit 2) listing the allowed values for anything else."""
    allowed = ", ".join(f"{k}k" for k in MP3_BITRATES_KBPS)
    return _parse_kbps(bitrate, MP3_BITRATES_KBPS, allowed, what="MP3 ")


def _parse_kbps(bitrate: str, allowed: Sequence[int], listed: str, what: str = "") -> int:
    match = re.fullmatch(r"(\d+)k", bitrate.strip())
    kbps = int(match[1]) if match else None
    if kbps is None or kbps not in allowed:
        raise UsageError(f"invalid {what}bitrate {bitrate!r}", hint=f"use one of: {listed}")
    return kbps


# --- encoding -----------------------------------------------------------------------------


def encode_mp3(
    chunks: Iterable[bytes],
    output: Path | str,
    *,
    bitrate: str = "96k",
    sample_rate: int = SAMPLE_RATE,
    channels: int = 1,
) -> None:
    """Encode s16le PCM chunks to a CBR MP3 at `output`, atomically."""
    encode_audio(chunks, output, OutputSpec(AudioFormat.MP3, bitrate, sample_rate, channels))


def encode_audio(
    chunks: Iterable[bytes],
    output: Path | str,
    spec: OutputSpec,
    *,
    tags: Mapping[str, str] | None = None,
    chapters: Sequence[Chapter] = (),
    filters: Sequence[str] = (),
) -> None:
    """Encode s16le PCM chunks to `output` as `spec` says, atomically."""
    spec.check()  # fail before touching the filesystem
    with atomic_output(output) as temp:
        write_audio(chunks, temp, spec, tags=tags, chapters=chapters, filters=filters)


def write_audio(
    chunks: Iterable[bytes],
    path: Path,
    spec: OutputSpec,
    *,
    tags: Mapping[str, str] | None = None,
    chapters: Sequence[Chapter] = (),
    parts: Sequence[Part] = (),
    filters: Sequence[str] = (),
) -> None:
    """Encode s16le PCM `chunks` into `path` (not atomically) and into every part's path.

    `tags` go into M4A and WAV files and into every part; an MP3's tags are written
    afterwards with mutagen, so ffmpeg writes none. `chapters` go into an M4A. `filters`
    (ffmpeg audio filters, e.g. a limiter) run on the stream before anything is cut or
    encoded.
    """
    spec.check()
    with scratch_dir() as scratch:
        command = _command(path, spec, tags or {}, chapters, parts, filters, str(scratch))
        what = f"encode the {spec.format.upper()}"
        _ffmpeg.run_fed(command, chunks, what=what, hint_for=_hint_for)


def _command(
    path: Path,
    spec: OutputSpec,
    tags: Mapping[str, str],
    chapters: Sequence[Chapter],
    parts: Sequence[Part],
    filters: Sequence[str],
    scratch: str,
) -> list[str]:
    command = [*_ffmpeg.base_command(), "-loglevel", "error", *input_options(spec)]
    with_chapters = spec.format is AudioFormat.M4A and bool(chapters)
    if with_chapters:
        command += ["-f", "ffmetadata", "-i", _write_ffmetadata(chapters, scratch)]
    graph = _filter_graph(filters, parts)
    if graph:
        command += ["-filter_complex", graph, "-map", "[main]"]
    if with_chapters:
        command += ["-map_chapters", "1"]
    main_tags = {} if spec.format is AudioFormat.MP3 else tags
    command += [*codec_options(spec, main_tags), _ffmpeg.ffmpeg_path_arg(path)]
    for index, part in enumerate(parts):
        part_tags = {**tags, **part.tags}
        command += ["-map", f"[part{index}]", *codec_options(spec, part_tags, part=True)]
        command.append(_ffmpeg.ffmpeg_path_arg(part.path))
    return command


def input_options(spec: OutputSpec) -> list[str]:
    """ffmpeg's input: raw s16le PCM on stdin, as `spec` says."""
    return ["-f", "s16le", "-ar", str(spec.sample_rate), "-ac", str(spec.channels), "-i", "pipe:0"]


def _filter_graph(filters: Sequence[str], parts: Sequence[Part]) -> str:
    """'' when the stream goes straight to the encoder; else a graph whose outputs are
    [main] and [part0]..[partN-1]."""
    branches = ["main"] + [f"cut{i}" for i in range(len(parts))]
    if not filters and len(branches) == 1:
        return ""
    chain = ",".join(filters) if filters else "anull"
    if len(branches) == 1:
        return f"[0:a]{chain}[main]"
    labels = "".join(f"[{name}]" for name in branches)
    graph = [f"[0:a]{chain},asplit={len(branches)}{labels}"]
    for i, part in enumerate(parts):
        # Sample-exact cuts; each part then starts at time zero in its own file.
        trim = f"atrim=start_sample={part.start_sample}:end_sample={part.end_sample}"
        graph.append(f"[cut{i}]{trim},asetpts=PTS-STARTPTS[part{i}]")
    return ";".join(graph)


def codec_options(
    spec: OutputSpec, tags: Mapping[str, str], *, part: bool = False, xing: bool = True
) -> list[str]:
    """The output options for one file; `xing=False` leaves out an MP3's header frame."""
    kbps = spec.check()
    metadata = [arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")]
    if spec.format is AudioFormat.MP3:
        # The main file gets its ID3v2.3 tags from mutagen afterwards; parts get theirs here.
        id3 = ["-id3v2_version", "3"] if part and tags else ["-id3v2_version", "0"]
        return [
            "-codec:a", "libmp3lame", "-b:a", f"{kbps}k",
            # LAME quality 7: no noise shaping. Its default (5) shapes quantization noise
            # onto sibilant peaks, lifting true peaks up to 1.5 dB over the PCM's at
            # every bitrate; 7 stays under them above 32k, with a better signal-to-noise
            # ratio on this band-limited speech (measured: docs/output.md), as fast.
            "-compression_level", str(LAME_QUALITY),
            # The Xing/LAME header records delay and padding, so decoders get the exact length.
            "-write_xing", "1" if xing else "0", *id3, "-write_id3v1", "0",
            "-map_metadata", "-1", *metadata, "-f", "mp3", "-y",
        ]  # fmt: skip
    if spec.format is AudioFormat.M4A:
        # faststart puts the index first: phones start playing before reading the end.
        # The fast coder: the default one lifts true peaks up to 2.6 dB at low bitrates
        # (the fast one 0.5 dB), for no audible gain on speech. No -map_metadata -1
        # here: it would strip the chapter titles too.
        return [
            "-codec:a", "aac", "-aac_coder", "fast", "-b:a", f"{kbps}k",
            "-movflags", "+faststart",
            *metadata, "-f", "ipod", "-y",
        ]  # fmt: skip
    return [
        "-codec:a", "pcm_s16le", "-map_metadata", "-1", *metadata,
        "-fflags", "+bitexact", "-f", "wav", "-y",
    ]  # fmt: skip


def _write_ffmetadata(chapters: Sequence[Chapter], folder: str) -> str:
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={_ffmetadata_escape(chapter.title)}",
        ]
    path = Path(folder) / "chapters.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _ffmpeg.ffmpeg_path_arg(path)


def _ffmetadata_escape(text: str) -> str:
    # ffmetadata gives '=', ';', '#', '\\' and newlines a meaning; a backslash escapes them.
    return re.sub(r"([=;#\\\n])", r"\\\1", text)


def _hint_for(log: str) -> str:
    lowered = log.lower()
    if "unknown encoder" in lowered:
        return (
            "this ffmpeg lacks an encoder audiogen needs (libmp3lame, aac): install one built "
            "with it, or remove it from PATH so the one from imageio-ffmpeg is used"
        )
    if "no space left" in lowered or "permission denied" in lowered or "read-only" in lowered:
        return DISK_HINT
    return f"try another --bitrate or output folder; {DISK_HINT}"
