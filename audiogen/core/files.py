"""Atomic files: a reader sees the old file or the new one, never half of either.

Every output audiogen writes (audio, sidecars, split folders, cache entries) goes
through here: written beside its target, then renamed over it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from audiogen.errors import EncoderError

DISK_HINT = "check that the output folder exists, is writable, and that the disk is not full"


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
        raise disk_error(f"cannot write to {target.parent}", exc) from exc
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
        raise disk_error(f"cannot write to {target.parent}", exc) from exc
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
        raise disk_error(f"cannot write {target}", exc) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise disk_error(f"cannot write {target}", exc) from exc


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Write a text file (a JSON sidecar, say) so readers see the old or the new, never half."""
    with atomic_output(path) as temp:
        try:
            temp.write_text(text, encoding=encoding)
        except OSError as exc:
            raise disk_error(f"cannot write {path}", exc) from exc


def disk_error(message: str, exc: OSError) -> EncoderError:
    return EncoderError(f"{message}: {exc.strerror or exc}", hint=DISK_HINT)
