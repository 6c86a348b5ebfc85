"""Atomic files: a reader sees the old file or the new one, never half of either.

Every output audiogen writes (audio, sidecars, split folders, cache entries) goes
through here: written beside its target under a temporary name that says whose it is
(`core.scratch`), then renamed over it. `atomic_outputs` does this for a build's files
as one unit: all are written first, then renamed in a fixed order while holding a lock
on their folder, so two builds to one output never pair one's audio with the other's
sidecars, and with SIGINT and SIGTERM held off, so an interrupt never splits the set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from audiogen.core.scratch import temp_name
from audiogen.errors import EncoderError

if sys.platform != "win32":
    import fcntl

DISK_HINT = "check that the output folder exists, is writable, and that the disk is not full"


def _create_temp_beside(target: Path) -> Path:
    """An empty new file next to `target`: same filesystem, so the final rename is atomic."""
    for _ in range(100):
        temp = temp_name(target)
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
    with atomic_outputs([Path(target)]) as temps:
        yield temps[Path(target)]


@contextlib.contextmanager
def atomic_directory(target: Path | str) -> Iterator[Path]:
    """Yield a new empty folder to fill; it replaces the folder `target` only on success.

    A folder cannot be renamed over a non-empty one, so the old folder is first moved
    aside, the new one renamed into place, then the old one deleted: a failure before
    that leaves the old folder whole and removes the new one.
    """
    with atomic_outputs([], folders=[Path(target)]) as temps:
        yield temps[Path(target)]


@contextlib.contextmanager
def atomic_outputs(
    files: Sequence[Path], folders: Sequence[Path] = ()
) -> Iterator[dict[Path, Path]]:
    """Temporary paths for several outputs, committed together if the block succeeds.

    Yields {target: temporary path}: an empty file for each of `files`, an empty folder
    for each of `folders`. On success the folders, then the files in the order given,
    replace their targets (give the main file last: a reader who sees it new finds the
    rest new too). On any exception every temporary is removed and no target is touched.
    """
    temps: dict[Path, Path] = {}
    try:
        for target in folders:
            _check_folder_target(target)
            temps[target] = _create_temp_folder(target)
        for target in files:
            _check_file_target(target)
            temps[target] = _create_temp_file(target)
        yield temps
        with _commit_lock(temps), interrupts_held():
            for target in folders:
                _swap_directory(temps[target], target)
            for target in files:
                _replace(temps[target], target)
    except BaseException:
        for temp in temps.values():
            _discard(temp)
        raise


def _check_file_target(target: Path) -> None:
    if target.is_dir():
        raise EncoderError(f"cannot write {target}: it is a directory")


def _check_folder_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise EncoderError(f"cannot write the folder {target}: a file is in the way")


def _create_temp_file(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return _create_temp_beside(target)
    except OSError as exc:
        raise disk_error(f"cannot write to {target.parent}", exc) from exc


def _create_temp_folder(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = temp_name(target)
        # 0777 less the umask, like any folder the user makes (mkdtemp would give 0700).
        temp.mkdir(0o777)
        return temp
    except OSError as exc:
        raise disk_error(f"cannot write to {target.parent}", exc) from exc


def _discard(temp: Path) -> None:
    if temp.is_dir() and not temp.is_symlink():
        shutil.rmtree(temp, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            temp.unlink()


@contextlib.contextmanager
def _commit_lock(temps: dict[Path, Path]) -> Iterator[None]:
    """An exclusive lock on each folder written to, held while the renames run.

    The lock is on the folder itself (flock on its descriptor), so no lock file is
    left behind; it is released when the descriptor closes, even on a crash.
    """
    folders = sorted({str(target.parent.absolute()) for target in temps})
    with contextlib.ExitStack() as stack:
        for folder in folders:
            if sys.platform == "win32":
                continue  # no flock there: renames still atomic, builds just not paired
            descriptor = os.open(folder, os.O_RDONLY)
            stack.callback(os.close, descriptor)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield


_HELD = (signal.SIGINT, signal.SIGTERM)
# What signal.getsignal gives back for a handler set in Python (SIG_DFL, SIG_IGN: ints).
_Handler = Callable[[int, FrameType | None], Any] | int


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (the renames, a fork: a few
    microseconds), then arrive.

    Blocked in this thread, they cannot interrupt its system calls. But the kernel
    hands a process's signal to any thread that does not block it (an idle thread of a
    pool), and Python still runs the handler in the main thread: so there, the handlers
    are also swapped for ones that only note the signal, raised again at the end."""
    caught: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    swapped = _noting(caught) if main else {}
    masked = hasattr(signal, "pthread_sigmask")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if masked else set()
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for number, handler in swapped.items():
            signal.signal(number, handler)
        for number in caught[:1]:
            signal.raise_signal(number)


def _noting(caught: list[int]) -> dict[int, _Handler]:
    """Swap the held signals' handlers for ones that note them in `caught`; the
    handlers swapped out (not one set outside Python, which could not be put back)."""
    swapped: dict[int, _Handler] = {}
    for number in _HELD:
        handler = signal.getsignal(number)
        if handler is not None:
            signal.signal(number, lambda got, _frame: caught.append(got))
            swapped[number] = handler
    return swapped


def _swap_directory(temp: Path, target: Path) -> None:
    old = temp_name(target, ".old") if target.exists() else None
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
