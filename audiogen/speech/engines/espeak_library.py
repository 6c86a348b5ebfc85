"""Finding the espeak-ng library and its data: the `espeakng-loader` wheel, else the
system's (Linux on ARM has no wheel). Loaded before pyttsx3 touches espeak."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

from audiogen.errors import VoiceError

BOOTSTRAP_HINT = "run python3 scripts/bootstrap.py to install the espeak-ng speech engine"


_SYSTEM_DATA_DIRS = (
    "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
    "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
    "/usr/lib/arm-linux-gnueabihf/espeak-ng-data",
    "/usr/share/espeak-ng-data",
    "/usr/local/share/espeak-ng-data",
    "/opt/homebrew/share/espeak-ng-data",
)


@functools.cache
def load_espeak() -> str:
    """Make libespeak-ng loadable by pyttsx3 and return the library's path.

    Must run before pyttsx3 touches espeak: its `_espeak` module opens the library by
    soname at import, and the library exits the process when it finds no data.
    Cached, so it runs once per process (failures are not cached).
    """
    library: str
    data: str | None
    try:
        library, data = _bundled_espeak()
    except (ImportError, OSError, RuntimeError) as bundled_error:
        library, data = _system_espeak(bundled_error)
    if data is not None:
        os.environ["ESPEAK_DATA_PATH"] = data
    # RTLD_GLOBAL so that pyttsx3's later dlopen by soname finds this copy.
    try:
        ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
    except OSError as exc:
        message = f"cannot load the espeak-ng library {library}: {exc}"
        raise VoiceError(message, hint=BOOTSTRAP_HINT) from exc
    return library


def _bundled_espeak() -> tuple[str, str]:
    import espeakng_loader

    library = str(espeakng_loader.get_library_path())
    if not os.path.exists(library):
        raise OSError(f"{library} does not exist")
    return library, str(espeakng_loader.get_data_path())


def _system_espeak(bundled_error: Exception) -> tuple[str, str | None]:
    """The system's espeak-ng (Linux on ARM has no espeakng-loader wheel)."""
    library = ctypes.util.find_library("espeak-ng")
    if library is None:
        raise VoiceError(
            f"the espeak-ng speech engine is not installed ({bundled_error})",
            hint=BOOTSTRAP_HINT,
        )
    if os.environ.get("ESPEAK_DATA_PATH"):
        return library, None
    data = next((d for d in _SYSTEM_DATA_DIRS if os.path.isfile(os.path.join(d, "phontab"))), None)
    return library, data
