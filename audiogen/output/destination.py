"""Where a build writes, checked before any work: never over its own input, never over
something that is not a regular file, never into a folder that cannot take files.

A build writes the audio, its sidecars (`.json`, `.vtt`, `.lrc`) and, with --split, a
folder. Each of those paths must be free to replace: `-o w.yaml` would overwrite the
workout, `-o x.json` would have the audio overwritten by its own timeline, `-o
/dev/null` would replace a device with a regular file. All are the user's mistakes
(exit 2), caught in milliseconds rather than after the synthesis.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from audiogen.core.scratch import temp_name
from audiogen.errors import EncoderError, UsageError
from audiogen.output.encoder import AudioFormat

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EIO)


def audio_format_for(output: Path, asked: AudioFormat | str | None) -> AudioFormat:
    """The format to write: the output's suffix says, and --format must agree with it."""
    by_name = AudioFormat.for_path(output)
    names = ", ".join(f".{f.value}" for f in AudioFormat)
    try:
        chosen = AudioFormat(asked) if asked else by_name
    except ValueError:
        raise UsageError(f"unknown audio format {asked!r}", hint=f"use {names[1:]}") from None
    if chosen is None:
        raise UsageError(
            f"-o {output}: audiogen writes {names} files, not {output.suffix or 'no suffix'}",
            hint=f"name the output {output.with_suffix('.mp3').name}",
        )
    if by_name is not chosen:
        raise UsageError(
            f"-o {output}: --format {chosen} would write {chosen.upper()} data under a "
            f"{output.suffix} name",
            hint=f"name the output {output.with_suffix('.' + chosen.value).name}",
        )
    return chosen


def check_destination(
    files: Sequence[Path], folders: Sequence[Path] = (), *, inputs: Sequence[Path] = ()
) -> None:
    """Refuse (UsageError, exit 2) outputs that collide with each other or with an input,
    that exist and are not regular files (folders, for `folders`), or whose folder
    cannot take new files. EncoderError (exit 1) if that folder's disk is full."""
    targets = [*files, *folders]
    _check_distinct(targets)
    for target in files:
        _check_kind(target, stat.S_IFREG)
    for target in folders:
        _check_kind(target, stat.S_IFDIR)
    for source in inputs:
        _check_not_overwritten(source, files, folders)
    for folder in sorted({t.absolute().parent for t in targets}):
        _check_writable(folder)


def _check_distinct(targets: Sequence[Path]) -> None:
    seen: dict[Path, Path] = {}
    for target in targets:
        key = Path(os.path.normcase(target.absolute()))
        if key in seen:
            raise UsageError(
                f"-o {target}: the build writes its audio and a sidecar file of that name",
                hint="the sidecars are named like the audio with .json, .vtt and .lrc; "
                "name the output .mp3, .m4a or .wav",
            )
        seen[key] = target


def _check_kind(target: Path, wanted: int) -> None:
    try:
        mode = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # a new file: whether its folder takes it is checked next
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    kind = stat.S_IFMT(mode)
    if kind != wanted:
        what = _KINDS.get(kind, "a regular file" if kind == stat.S_IFREG else "not a file")
        raise UsageError(
            f"cannot write {target}: it is {what}",
            hint="audiogen replaces only regular files; choose another output path",
        )


def _check_not_overwritten(source: Path, files: Sequence[Path], folders: Sequence[Path]) -> None:
    for target in files:
        with contextlib.suppress(OSError):
            if target.exists() and os.path.samefile(source, target):
                raise UsageError(
                    f"-o {target}: this build would overwrite its own input {source}",
                    hint="choose another output path",
                )
    resolved = source.resolve()
    for folder in folders:
        if folder.resolve() in resolved.parents:
            raise UsageError(
                f"--split would replace the folder {folder}, which holds the input {source}",
                hint="choose another output path",
            )


def _check_writable(folder: Path) -> None:
    """The nearest existing folder on the way to `folder` accepts a new file."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(
            f"cannot write into {folder}: {existing} is a file, not a folder",
            hint="choose another output path",
        )
    probe = temp_name(existing / "probe")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno in _DISK_FULL:
            raise EncoderError(f"cannot write into {existing}: {reason}") from None
        raise UsageError(
            f"cannot write into {existing}: it does not take new files ({reason})",
            hint="choose a folder you can write to",
        ) from None
    os.unlink(probe)
