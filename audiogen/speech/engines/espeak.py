"""espeak-ng, reached through pyttsx3's ctypes bindings (`pyttsx3.drivers._espeak`).

Not through `pyttsx3.init()`: the driver's `save_to_file` route costs about 11 ms a
phrase, nearly all of it the 10 ms sleep of its run loop, and it needs a temp file per
phrase, an event to wait on (the file can appear after `runAndWait` returns) and stdout
redirection. Initialising espeak in synchronous mode and collecting its samples in a
callback costs about 2 ms a phrase, runs in the calling thread, touches no files and
prints nothing. `_espeak` is private to pyttsx3: every use of it is in this module, and
tests/speech/test_espeak.py fails loudly if a pyttsx3 release changes what we use.

The library comes from the `espeakng-loader` wheel, or the system's espeak-ng where no
wheel exists (Linux on ARM).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version as package_version
from types import ModuleType
from typing import Any

from audiogen.core.forked import CAN_FORK, ForkedError, run_forked, run_forked_many
from audiogen.core.pcm import SAMPLE_WIDTH
from audiogen.core.text import close_matches
from audiogen.errors import VoiceChoiceError, VoiceError
from audiogen.speech.clip import RawSpeech
from audiogen.speech.engines.espeak_library import BOOTSTRAP_HINT, load_espeak
from audiogen.speech.registry import EngineVoice, SettingSpec, register

# espeak_Initialize option: report a bad data path with -1 instead of calling exit(1).
_INITIALIZE_DONT_EXIT = 0x8000
# Bump when trimming or resampling changes, so cached clips are rebuilt. 2: each phrase
# spoken from espeak's initial state (clips cached by 1 depended on what came before).
PIPELINE_VERSION = 2


@dataclass(frozen=True)
class _Settings:
    voice: str
    rate: int
    volume: int
    pitch: int


class _Engine:
    """The process's one espeak-ng instance: espeak keeps all its state globally."""

    def __init__(self, espeak: ModuleType, sample_rate: int) -> None:
        self.espeak = espeak
        self.sample_rate = sample_rate
        self.version = _decode(espeak.Info(None))
        # Reentrant: `EspeakSynthesizer.__init__` selects a voice inside its own hold.
        self.lock = threading.RLock()
        self._chunks: list[bytes] = []
        self._done = threading.Event()
        self._callback = espeak.t_espeak_callback(self._on_synth)
        # Not when pyttsx3 started espeak in this process: its driver runs a thread.
        self.may_fork = CAN_FORK and not _pyttsx3_started()

    def apply(self, settings: _Settings) -> None:
        """Select the voice and set its parameters; unconfirmed voices raise VoiceError."""
        espeak = self.espeak
        if espeak.SetVoiceByName(settings.voice.encode("utf-8")) != espeak.EE_OK:
            raise _unknown_voice(settings.voice)
        espeak.SetParameter(espeak.RATE, settings.rate, 0)
        espeak.SetParameter(espeak.VOLUME, settings.volume, 0)
        espeak.SetParameter(espeak.PITCH, settings.pitch, 0)

    def confirm(self, settings: _Settings) -> tuple[str, str]:
        """The voice espeak takes for `settings` (see `current_voice`); ("", "") if none.

        Asked in a forked copy where forking is possible, so that this process's espeak
        stays as initialisation left it (see `EspeakSpeaker.synthesize`).
        """

        def probe() -> bytes:
            try:
                self.apply(settings)
            except VoiceError:
                return b""
            return "\n".join(self.current_voice()).encode()

        answer = (run_forked(probe) if self.may_fork else probe()).decode()
        identifier, _, name = answer.partition("\n")
        return identifier, name

    def current_voice(self) -> tuple[str, str]:
        """(identifier, name) of the selected voice; the identifier carries `+variant`."""
        voice = self.espeak.GetCurrentVoice()
        if not voice:
            return "", ""
        return _decode(voice.contents.identifier).lower(), _decode(voice.contents.name)

    def synth(self, text: str) -> bytes:
        """Raw mono 16-bit samples at `sample_rate` for plain `text`. Hold `lock`."""
        espeak = self.espeak
        encoded = text.encode("utf-8")
        self._chunks, self._done = [], threading.Event()
        previous = espeak.SynthCallback
        espeak.cSetSynthCallback(self._callback)
        try:
            # Plain UTF-8 text: no SSML, no [[phonemes]]. The size is the byte length + 1:
            # pyttsx3's `Synth` claims len(text) * 10 and espeak may read that far past
            # the end of the text (a segfault on long texts in asynchronous mode).
            status = espeak.cSynth(
                encoded, len(encoded) + 1, 0, espeak.POS_CHARACTER, 0, espeak.CHARS_UTF8, None, None
            )
            if status != espeak.EE_OK:
                raise VoiceError(f"espeak-ng could not synthesize {text[:40]!r} (error {status})")
            # Synchronous mode has finished already; the wait only matters if something
            # re-initialised espeak asynchronously (a `pyttsx3.init()` in this process).
            if not self._done.wait(timeout=30 + len(encoded) / 10):
                espeak.Cancel()
                raise VoiceError(f"espeak-ng did not finish {text[:40]!r}")
        finally:
            if previous is not None:
                espeak.cSetSynthCallback(previous)
        return b"".join(self._chunks)

    def _on_synth(self, wav: Any, numsamples: int, events: Any) -> int:
        # Runs inside espeak: an exception here would only be printed, so keep it trivial.
        if numsamples > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, numsamples * SAMPLE_WIDTH))
        if not wav or _has_event(events, self.espeak.EVENT_MSG_TERMINATED):
            self._done.set()
        return 0


def _has_event(events: Any, wanted: int) -> bool:
    i = 0
    while (kind := events[i].type) != 0:  # 0: EVENT_LIST_TERMINATED
        if kind == wanted:
            return True
        i += 1
    return False


def _decode(value: bytes | None) -> str:
    return value.decode("utf-8", errors="replace") if value else ""


_ENGINE_LOCK = threading.Lock()
_ENGINE: _Engine | None = None


def _engine() -> _Engine:
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = _start_engine()
        return _ENGINE


def _start_engine() -> _Engine:
    load_espeak()
    try:
        from pyttsx3.drivers import _espeak as espeak
    except (ImportError, OSError, RuntimeError) as exc:
        raise VoiceError(f"pyttsx3 cannot load espeak-ng: {exc}", hint=BOOTSTRAP_HINT) from exc
    if _pyttsx3_started():
        # espeak cannot be initialised twice; pyttsx3's driver hard-codes this rate too.
        return _Engine(espeak, 22050)
    data = os.environ.get("ESPEAK_DATA_PATH")
    sample_rate = espeak.Initialize(
        espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500, data.encode() if data else None, _INITIALIZE_DONT_EXIT
    )
    if sample_rate <= 0:
        raise VoiceError(f"espeak-ng found no usable data at {data}", hint=BOOTSTRAP_HINT)
    return _Engine(espeak, sample_rate)


def _pyttsx3_started() -> bool:
    pyttsx3_driver = sys.modules.get("pyttsx3.drivers.espeak")
    return pyttsx3_driver is not None and bool(pyttsx3_driver.EspeakDriver._moduleInitialized)


def list_engine_voices() -> list[EngineVoice]:
    """The installed espeak-ng voices (variants such as `+f3` are not listed)."""
    espeak = _engine().espeak
    genders = {1: "male", 2: "female"}
    return [
        EngineVoice(
            id=_decode(v.identifier).lower(),
            name=_decode(v.name),
            languages=_languages(v, espeak.VOICE.languages.offset),
            gender=genders.get(v.gender),
        )
        for v in espeak.ListVoices(None)
    ]


def list_voice_variants() -> list[str]:
    """Variant names usable after `+` in a voice id, e.g. `f3`, `m3`, `klatt`."""
    espeak = _engine().espeak
    spec = espeak.VOICE()
    spec.languages = b"variant"
    variants = espeak.ListVoices(ctypes.pointer(spec))
    return [_decode(v.identifier).rpartition("/")[2].lower() for v in variants]


def _languages(voice: Any, offset: int) -> tuple[str, ...]:
    """Every language a voice speaks.

    espeak packs them as (priority byte, name, NUL) repeated, ending with a 0 byte;
    the binding's c_char_p stops at the first NUL, so read the raw memory.
    """
    address = ctypes.c_void_p.from_buffer(voice, offset).value
    if not address:
        return ()
    languages: list[str] = []
    while ctypes.string_at(address, 1) != b"\0" and len(languages) < 16:
        name = ctypes.string_at(address + 1)
        languages.append(_decode(name))
        address += len(name) + 2
    return tuple(languages)


def _split_variant(voice_id: str) -> tuple[str, str]:
    base, _, variant = voice_id.lower().partition("+")
    return base, variant


def _unknown_voice(requested: str) -> VoiceChoiceError:
    base, variant = _split_variant(requested)
    ids = {v.id for v in list_engine_voices()}
    short = {i.rpartition("/")[2] for i in ids}
    if variant and (base in ids or base in short):
        choices, wanted, what = list_voice_variants(), variant, "voice variant"
    else:
        choices, wanted, what = sorted(ids if "/" in base else short), base, "voice"
    close = close_matches(wanted, choices)
    hint = f"did you mean {', '.join(close)}?" if close else "run `audiogen voices` to list them"
    return VoiceChoiceError(
        f"espeak-ng has no {what} {wanted!r} (asked for {requested!r})", hint=hint
    )


def _voice_taken(requested: str, identifier: str, name: str) -> bool:
    """Whether the engine's current voice is the one asked for.

    espeak keeps the old voice on some failures (`en-gb`) and drops unknown variants
    silently (`en-us+nope` gives plain `en-us`), so the read-back is the only proof.
    """
    want_base, want_variant = _split_variant(requested)
    have_base, have_variant = _split_variant(identifier)
    base_ok = want_base in {have_base, have_base.rpartition("/")[2], name.lower()}
    return base_ok and want_variant == have_variant


class EspeakEngine:
    """The `espeak` engine of the registry."""

    name = "espeak"
    default_voice = "en-us"
    settings: Mapping[str, SettingSpec] = {
        "pitch": SettingSpec(int, 0, 100, 50, "50 is the voice's normal pitch"),
    }

    def unavailable(self) -> str | None:
        try:
            load_espeak()
        except VoiceError as exc:
            return str(exc)
        return None

    def version(self) -> str:
        return f"espeak-ng {_engine().version}; pyttsx3 {package_version('pyttsx3')}"

    def voices(self) -> list[EngineVoice]:
        return list_engine_voices()

    def open(
        self, voice: str, *, rate: int, volume: float, settings: Mapping[str, int | float]
    ) -> EspeakSpeaker:
        pitch = int(settings.get("pitch", self.settings["pitch"].default))
        return EspeakSpeaker(_Settings(voice.strip(), rate, round(volume * 100), pitch))


class EspeakSpeaker:
    """One espeak voice with its settings, confirmed on construction so that a bad
    profile fails before any work is done."""

    def __init__(self, settings: _Settings) -> None:
        self._settings = settings
        self._engine = _engine()
        with self._engine.lock:
            identifier, name = self._engine.confirm(settings)
        if not _voice_taken(settings.voice, identifier, name):
            raise _unknown_voice(settings.voice)
        self.voice_id = identifier
        s = settings
        self.key = (
            f"espeak-ng {self._engine.version}|pyttsx3 {package_version('pyttsx3')}"
            f"|voice={identifier}|rate={s.rate}|volume={s.volume}|pitch={s.pitch}"
            f"|pipeline={PIPELINE_VERSION}"
        )

    def synthesize(self, text: str) -> RawSpeech:
        """The phrase as espeak speaks it from its initial state, whatever it said before.

        espeak-ng keeps state from one utterance to the next that no API resets (among
        others the pitch flutter's phase, a static in wavegen.c), so the same phrase
        came out 1-23 ms longer or shorter depending on what the process had said, and a
        build depended on what the speech cache held. So this process's espeak never
        speaks: each phrase is spoken in a forked copy of it (about 4 ms), which starts
        from the state left by initialisation and voice selection alone.
        """
        engine = self._engine
        with engine.lock:
            if not engine.may_fork:
                return RawSpeech(self._speak(text), engine.sample_rate)
            try:
                samples = run_forked(lambda: self._speak(text))
            except ForkedError as exc:
                raise VoiceError(f"espeak-ng failed on {text[:40]!r}: {exc}") from None
            return RawSpeech(samples, engine.sample_rate)

    def synthesize_many(self, texts: Sequence[str]) -> Iterator[RawSpeech]:
        """Each phrase as `synthesize` speaks it, a forked copy per core at a time."""
        engine = self._engine
        if not engine.may_fork:
            yield from map(self.synthesize, texts)
            return
        works = [functools.partial(self._speak, text) for text in texts]
        with engine.lock:
            try:
                for samples in run_forked_many(works, parallel=os.cpu_count() or 1):
                    yield RawSpeech(samples, engine.sample_rate)
            except ForkedError as exc:
                raise VoiceError(f"espeak-ng failed: {exc}") from None

    def _speak(self, text: str) -> bytes:
        # Re-applied every time (0.1 ms): the engine is shared by all speakers.
        self._engine.apply(self._settings)
        return self._engine.synth(text)


register(EspeakEngine())
