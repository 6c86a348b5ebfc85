"""Temporary files and folders that audiogen can prove are its own, and their sweeping.

Every temporary name carries its writer: the process id and the host,
`.<target>.<pid>@<host>.<random>.part` beside an output and `audiogen-<pid>@<host>-...`
in the system's temp folder. A SIGKILL (or a power cut) leaves such a file behind; the
next build removes it once it is provably stale: written on this host by a process that
no longer runs, or, whoever wrote it, untouched for `STALE_AFTER_S` (no build takes
that long). Nothing else is ever removed: a name that does not match is not ours.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

STALE_AFTER_S = 24 * 3600
_HOST = re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:24] or "host"
# `.` name `.` pid@host `.` 8 hex `.part` (a file or a folder) or `.old` (a folder being
# replaced); the name may itself contain dots.
_BESIDE = re.compile(r"^\..+\.(\d+)@([A-Za-z0-9-]+)\.[0-9a-f]{8}\.(?:part|old)$")
_SCRATCH = re.compile(r"^audiogen-(\d+)@([A-Za-z0-9-]+)-")


def owner() -> str:
    """This process, as written into its temporary names (read anew: a fork is another)."""
    return f"{os.getpid()}@{_HOST}"


def temp_name(target: Path, suffix: str = ".part") -> Path:
    """A fresh temporary name beside `target`, marked as this process's."""
    return target.with_name(f".{target.name}.{owner()}.{secrets.token_hex(4)}{suffix}")


def scratch_prefix() -> str:
    """The prefix for this process's folders in the system temp folder."""
    return f"audiogen-{owner()}-"


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private folder in the system temp folder, removed afterwards (and by the next
    build's sweep if this process is killed)."""
    with tempfile.TemporaryDirectory(prefix=scratch_prefix()) as folder:
        yield Path(folder)


def sweep(folder: Path) -> list[Path]:
    """Remove this program's stale temporaries directly inside `folder`; return them."""
    return _sweep(Path(folder), _BESIDE)


def sweep_tree(root: Path) -> list[Path]:
    """`sweep` every folder under `root` (the speech cache's fan-out folders)."""
    removed: list[Path] = []
    for folder, subfolders, _ in os.walk(root):
        subfolders[:] = [s for s in subfolders if not _BESIDE.match(s)]
        removed += _sweep(Path(folder), _BESIDE)
    return removed


def sweep_temp() -> list[Path]:
    """Sweep the system temp folder, where music decodes and encoder scratch live."""
    return _sweep(Path(tempfile.gettempdir()), _SCRATCH)


def _sweep(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    removed = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = pattern.match(entry.name)
            if match and _stale(Path(entry.path), int(match[1]), match[2]):
                _remove(Path(entry.path))
                removed.append(Path(entry.path))
    return removed


def _stale(path: Path, pid: int, host: str) -> bool:
    if host == _HOST and not _alive(pid):
        return True
    try:
        return time.time() - path.lstat().st_mtime > STALE_AFTER_S
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        # os.kill(pid, 0) would send CTRL_C_EVENT there; trust only the age.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
