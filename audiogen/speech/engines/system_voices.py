"""SAPI5 (Windows) and NSSpeechSynthesizer (macOS) through pyttsx3's public API.

Both drivers are registered everywhere; on a machine without them `unavailable()` says
so, and choosing one is a clear error rather than a crash.
"""

from __future__ import annotations

import os
import platform
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import version as package_version
from typing import Any

from audiogen.core.ffmpeg import decode_to_pcm
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.core.scratch import scratch_dir
from audiogen.core.text import close_matches
from audiogen.errors import VoiceChoiceError, VoiceError
from audiogen.speech.clip import RawSpeech
from audiogen.speech.registry import EngineVoice, SettingSpec, register

Init = Callable[[str], Any]
# Bump when the route from the driver to the clip changes, so cached clips are rebuilt.
PIPELINE_VERSION = 1


class Pyttsx3Speaker:
    """SAPI5 (Windows) or NSSpeechSynthesizer (macOS) through pyttsx3's usual route:
    `init(driver)`, `save_to_file`, `runAndWait`, then decode the file with ffmpeg.

    Only the fake engine in the tests exercises this on Linux; it works around the
    driver defects listed in the project's stack notes: one `save_to_file` per
    `runAndWait` (with several queued only the last is written), wait for the
    `finished-utterance` event and a complete file (it can appear after `runAndWait`
    returns), one engine per driver per process (`pyttsx3.init` caches it), and read
    the file with ffmpeg (macOS writes AIFF whatever the name). Neither driver can set
    the pitch.
    """

    FILE_TIMEOUT_S = 10.0
    _lock = threading.Lock()  # the engine is shared by every instance in the process

    def __init__(
        self, driver: str, voice: str, rate: int, volume: float, *, init: Init | None = None
    ) -> None:
        self.driver, self.rate, self.volume = driver, rate, volume
        self._engine = (init or _pyttsx3_engine)(driver)
        self.voice_id = _pick_voice(self._engine.getProperty("voices"), driver, voice)
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", lambda **_: self._finished.set())
        self.key = self._make_key()

    def _make_key(self) -> str:
        # The OS version stands in for the engine's version, which pyttsx3 cannot tell.
        return (
            f"pyttsx3 {package_version('pyttsx3')} {self.driver}|{platform.platform()}"
            f"|voice={self.voice_id}|rate={self.rate}|volume={round(self.volume * 100)}"
            f"|pipeline={PIPELINE_VERSION}"
        )

    def synthesize(self, text: str) -> RawSpeech:
        suffix = ".aiff" if self.driver == "nsss" else ".wav"
        with scratch_dir() as folder:
            path = os.path.join(folder, f"phrase{suffix}")
            with self._lock:
                self._save(text, path)
            return RawSpeech(decode_to_pcm(path, sample_rate=SAMPLE_RATE, channels=1), SAMPLE_RATE)

    def _save(self, text: str, path: str) -> None:
        engine = self._engine
        # Re-applied every time: another profile may have changed the shared engine.
        engine.setProperty("voice", self.voice_id)
        engine.setProperty("rate", self.rate)
        engine.setProperty("volume", self.volume)
        self._finished.clear()
        engine.save_to_file(text, path)
        engine.runAndWait()
        self._finished.wait(self.FILE_TIMEOUT_S)
        _wait_for_file(path, self.FILE_TIMEOUT_S)


def _pyttsx3_engine(driver: str) -> Any:
    try:
        import pyttsx3  # here, not at the top: importing it probes for drivers

        return pyttsx3.init(driver)
    except Exception as exc:  # ImportError (comtypes, pyobjc), OSError, driver errors
        raise VoiceChoiceError(
            f"the {driver} speech engine is not available here: {exc}",
            hint="use `engine: espeak`, which works everywhere",
        ) from exc


def _pick_voice(voices: Iterable[Any], driver: str, voice: str) -> str:
    """The engine voice a profile asks for: by id, by name, by language, or by part of
    its id or name (`zira`, `en-us`); never a silent fallback."""
    wanted = voice.strip().lower()
    found = list(voices)

    def norm(value: object) -> str:
        return str(value or "").lower().replace("_", "-")

    tests: list[Callable[[Any], bool]] = [
        lambda v: norm(v.id) == wanted,
        lambda v: norm(v.name) == wanted,
        lambda v: any(norm(lang).startswith(wanted) for lang in v.languages or ()),
        lambda v: wanted in norm(v.id) or wanted in norm(v.name),
    ]
    for test in tests:
        match = next((v for v in found if test(v)), None)
        if match is not None:
            return str(match.id)
    names = [str(v.name) for v in found]
    close = close_matches(wanted, [n.lower() for n in names])
    hint = f"did you mean {', '.join(close)}?" if close else f"voices: {', '.join(names)}"
    raise VoiceChoiceError(f"{driver} has no voice {voice!r}", hint=hint)


def _wait_for_file(path: str, timeout_s: float) -> None:
    """Until the file exists and its size holds still: drivers finish writing late."""
    deadline = time.monotonic() + timeout_s
    last = -1
    while time.monotonic() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else -1
        if size > 44 and size == last:  # more than a bare WAV header, and not growing
            return
        last = size
        time.sleep(0.01)
    raise VoiceError(f"the speech engine wrote no audio to {path}")


class PlatformEngine:
    """`sapi5` or `nsss`: the operating system's own voices, through pyttsx3."""

    settings: Mapping[str, SettingSpec] = {}
    default_voice = ""  # the first voice the system lists

    def __init__(self, driver: str, *, init: Init | None = None) -> None:
        self.name = driver
        self._init = init

    def unavailable(self) -> str | None:
        try:
            (self._init or _pyttsx3_engine)(self.name)
        except VoiceError as exc:
            return exc.message
        return None

    def version(self) -> str:
        return f"pyttsx3 {package_version('pyttsx3')} {self.name} on {platform.platform()}"

    def voices(self) -> list[EngineVoice]:
        found = (self._init or _pyttsx3_engine)(self.name).getProperty("voices")
        return [EngineVoice(str(v.id), str(v.name), tuple(v.languages or ())) for v in found]

    def open(
        self, voice: str, *, rate: int, volume: float, settings: Mapping[str, int | float]
    ) -> Pyttsx3Speaker:
        return Pyttsx3Speaker(self.name, voice, rate, volume, init=self._init)


register(PlatformEngine("sapi5"))
register(PlatformEngine("nsss"))
