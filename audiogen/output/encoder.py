"""Encode raw PCM with ffmpeg (MP3, M4A or WAV), and write files atomically.

Output files are written to a temporary file beside the target and renamed over it only
when complete, so a failed or interrupted build never leaves a partial file at the output
path and an earlier good file there stays intact. `atomic_directory` does the same for
the folder of a split build.

One ffmpeg process does all the encoding of a build: the whole track and, when asked,
one file per part (`--split`), each cut at its exact sample from the same stream.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.errors import EncoderError

# Every bitrate MPEG-1 Layer III defines; CBR at one of these is what phones expect.
MP3_BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MPEG1_SAMPLE_RATES = (32000, 44100, 48000)
# AAC from 64k up: below, its quantization noise can lift true peaks by 2 dB and more.
AAC_BITRATES_KBPS = range(64, 321)

_DISK_HINT = "check that the output folder exists, is writable, and that the disk is not full"


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
    sample_rate: int = 44100
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
    """'96k' -> 96. Raises EncoderError listing the allowed values for anything else."""
    allowed = ", ".join(f"{k}k" for k in MP3_BITRATES_KBPS)
    return _parse_kbps(bitrate, MP3_BITRATES_KBPS, allowed, what="MP3 ")


def _parse_kbps(bitrate: str, allowed: Sequence[int], listed: str, what: str = "") -> int:
    match = re.fullmatch(r"(\d+)k", bitrate.strip())
    kbps = int(match[1]) if match else None
    if kbps is None or kbps not in allowed:
        raise EncoderError(f"invalid {what}bitrate {bitrate!r}", hint=f"use one of: {listed}")
    return kbps


# --- atomic files -------------------------------------------------------------------------


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")


def _create_temp_beside(target: Path) -> Path:
    """An empty new file next to `target`: same filesystem, so the final rename is atomic."""
    for _ in range(100):
        temp = _temp_name(target)
        try:
            # Not mkstemp: its 0600 mode would carry over to the output; 0666 honours umask.
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(f"no free temporary name beside {target}")


@contextlib.contextmanager
def atomic_output(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces `target` only if the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and
    whatever was at `target` is left untouched. The parent directory is created.
    """
    target = Path(target)
    if target.is_dir():
        raise EncoderError(f"cannot write {target}: it is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = _create_temp_beside(target)
    except OSError as exc:
        raise _disk_error(f"cannot write to {target.parent}", exc) from exc
    try:
        yield temp
        _replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


@contextlib.contextmanager
def atomic_directory(target: Path | str) -> Iterator[Path]:
    """Yield a new empty folder to fill; it replaces the folder `target` only on success.

    A folder cannot be renamed over a non-empty one, so the old folder is first moved
    aside, the new one renamed into place, then the old one deleted: a failure before
    that leaves the old folder whole and removes the new one.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise EncoderError(f"cannot write the folder {target}: a file is in the way")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
        # mkdtemp makes 0700 folders; a normal folder honours the umask.
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o777 & ~umask)
    except OSError as exc:
        raise _disk_error(f"cannot write to {target.parent}", exc) from exc
    try:
        yield temp
        _swap_directory(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _swap_directory(temp: Path, target: Path) -> None:
    old = _temp_name(target).with_suffix(".old") if target.exists() else None
    try:
        if old is not None:
            os.replace(target, old)
        os.replace(temp, target)
    except OSError as exc:
        if old is not None and not target.exists():
            with contextlib.suppress(OSError):
                os.replace(old, target)
        raise _disk_error(f"cannot write {target}", exc) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise _disk_error(f"cannot write {target}", exc) from exc


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Write a text file (a JSON sidecar, say) so readers see the old or the new, never half."""
    with atomic_output(path) as temp:
        try:
            temp.write_text(text, encoding=encoding)
        except OSError as exc:
            raise _disk_error(f"cannot write {path}", exc) from exc


def _disk_error(message: str, exc: OSError) -> EncoderError:
    return EncoderError(f"{message}: {exc.strerror or exc}", hint=_DISK_HINT)


# --- encoding -----------------------------------------------------------------------------


def encode_mp3(
    chunks: Iterable[bytes],
    output: Path | str,
    *,
    bitrate: str = "96k",
    sample_rate: int = 44100,
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
    with tempfile.TemporaryDirectory(prefix="audiogen-") as scratch:
        command = _command(path, spec, tags or {}, chapters, parts, filters, scratch)
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
    command = [
        *_ffmpeg.base_command(), "-loglevel", "error",
        "-f", "s16le", "-ar", str(spec.sample_rate), "-ac", str(spec.channels), "-i", "pipe:0",
    ]  # fmt: skip
    with_chapters = spec.format is AudioFormat.M4A and bool(chapters)
    if with_chapters:
        command += ["-f", "ffmetadata", "-i", _write_ffmetadata(chapters, scratch)]
    graph = _filter_graph(filters, parts)
    if graph:
        command += ["-filter_complex", graph, "-map", "[main]"]
    if with_chapters:
        command += ["-map_chapters", "1"]
    main_tags = {} if spec.format is AudioFormat.MP3 else tags
    command += [*_codec_options(spec, main_tags), _ffmpeg.ffmpeg_path_arg(path)]
    for index, part in enumerate(parts):
        part_tags = {**tags, **part.tags}
        command += ["-map", f"[part{index}]", *_codec_options(spec, part_tags, part=True)]
        command.append(_ffmpeg.ffmpeg_path_arg(part.path))
    return command


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


def _codec_options(spec: OutputSpec, tags: Mapping[str, str], *, part: bool = False) -> list[str]:
    kbps = spec.check()
    metadata = [arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")]
    if spec.format is AudioFormat.MP3:
        # The main file gets its ID3v2.3 tags from mutagen afterwards; parts get theirs here.
        id3 = ["-id3v2_version", "3"] if part and tags else ["-id3v2_version", "0"]
        return [
            "-codec:a", "libmp3lame", "-b:a", f"{kbps}k",
            # The Xing/LAME header records delay and padding, so decoders get the exact length.
            "-write_xing", "1", *id3, "-write_id3v1", "0",
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
        return _DISK_HINT
    return f"try another --bitrate or output folder; {_DISK_HINT}"
