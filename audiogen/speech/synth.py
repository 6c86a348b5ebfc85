"""Speech: turn cue phrases into trimmed audio clips.

The espeak-ng engine is reached through pyttsx3's ctypes bindings
(`pyttsx3.drivers._espeak`), not through `pyttsx3.init()`. The driver's
`save_to_file` route costs about 11 ms a phrase, nearly all of it the 10 ms sleep of
its run loop, and it needs a temp file per phrase, an event to wait on (the file can
appear after `runAndWait` returns) and stdout redirection. Initialising espeak in
synchronous mode and collecting its samples in a callback costs about 2 ms a phrase,
runs in the calling thread, touches no files and prints nothing.

Importing this module is cheap: pydub and pyttsx3 are imported on first use.
"""

from __future__ import annotations

import array
import ctypes
import functools
import math
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from audiogen.core.pcm import SAMPLE_RATE, SAMPLE_WIDTH, pcm_segment
from audiogen.errors import VoiceError
from audiogen.plan.numbers import speak_numbers
from audiogen.workout.model import VoiceProfile
from audiogen.workout.profiles import ENGINES, RATE_RANGE

if TYPE_CHECKING:
    from pydub import AudioSegment

    from audiogen.speech.cache import SpeechCache
    from audiogen.speech.clips import ClipPack

# Silence kept before and after the speech once the rest is trimmed.
PAD_MS = 20
# Samples quieter than this (about -50 dBFS) count as silence when trimming.
SILENCE_AMPLITUDE = 100
# Bump when trimming or resampling changes, so cached clips are rebuilt.
PIPELINE_VERSION = 1

BOOTSTRAP_HINT = "run python3 scripts/bootstrap.py to install the espeak-ng speech engine"
# espeak_Initialize option: report a bad data path with -1 instead of calling exit(1).
_INITIALIZE_DONT_EXIT = 0x8000
_SYSTEM_DATA_DIRS = (
    "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
    "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
    "/usr/lib/arm-linux-gnueabihf/espeak-ng-data",
    "/usr/share/espeak-ng-data",
    "/usr/local/share/espeak-ng-data",
    "/opt/homebrew/share/espeak-ng-data",
)


class Synthesizer(Protocol):
    """Something that speaks a phrase. `key` names everything that shapes the audio."""

    @property
    def key(self) -> str: ...

    def synthesize(self, text: str) -> AudioSegment: ...


@dataclass(frozen=True)
class EngineVoice:
    """A voice the installed espeak-ng offers, as `audiogen voices` lists it."""

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


# --- engine loading -------------------------------------------------------------


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
    import ctypes.util  # runs subprocesses at import: only on this path

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


# --- the engine -----------------------------------------------------------------


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

    def apply(self, settings: _Settings) -> None:
        """Select the voice and set its parameters; unconfirmed voices raise VoiceError."""
        espeak = self.espeak
        if espeak.SetVoiceByName(settings.voice.encode("utf-8")) != espeak.EE_OK:
            raise _unknown_voice(settings.voice)
        espeak.SetParameter(espeak.RATE, settings.rate, 0)
        espeak.SetParameter(espeak.VOLUME, settings.volume, 0)
        espeak.SetParameter(espeak.PITCH, settings.pitch, 0)

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
    pyttsx3_driver = sys.modules.get("pyttsx3.drivers.espeak")
    if pyttsx3_driver is not None and pyttsx3_driver.EspeakDriver._moduleInitialized:
        # espeak cannot be initialised twice; pyttsx3's driver hard-codes this rate too.
        return _Engine(espeak, 22050)
    data = os.environ.get("ESPEAK_DATA_PATH")
    sample_rate = espeak.Initialize(
        espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500, data.encode() if data else None, _INITIALIZE_DONT_EXIT
    )
    if sample_rate <= 0:
        raise VoiceError(f"espeak-ng found no usable data at {data}", hint=BOOTSTRAP_HINT)
    return _Engine(espeak, sample_rate)


# --- voices ---------------------------------------------------------------------


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


def _unknown_voice(requested: str) -> VoiceError:
    base, variant = _split_variant(requested)
    ids = {v.id for v in list_engine_voices()}
    short = {i.rpartition("/")[2] for i in ids}
    if variant and (base in ids or base in short):
        choices, wanted, what = list_voice_variants(), variant, "voice variant"
    else:
        choices, wanted, what = sorted(ids if "/" in base else short), base, "voice"
    close = _close_matches(wanted, choices)
    hint = f"did you mean {', '.join(close)}?" if close else "run `audiogen voices` to list them"
    return VoiceError(f"espeak-ng has no {what} {wanted!r} (asked for {requested!r})", hint=hint)


def _close_matches(wanted: str, choices: list[str]) -> list[str]:
    """Refinements of what was asked (`en-gb` -> `en-gb-x-rp`) first, then look-alikes."""
    import difflib

    refined = [c for c in choices if c.startswith(wanted) and c != wanted]
    similar = difflib.get_close_matches(wanted, choices, n=4, cutoff=0.6)
    return list(dict.fromkeys(refined + similar))[:5]


def _voice_taken(requested: str, identifier: str, name: str) -> bool:
    """Whether the engine's current voice is the one asked for.

    espeak keeps the old voice on some failures (`en-gb`) and drops unknown variants
    silently (`en-us+nope` gives plain `en-us`), so the read-back is the only proof.
    """
    want_base, want_variant = _split_variant(requested)
    have_base, have_variant = _split_variant(identifier)
    base_ok = want_base in {have_base, have_base.rpartition("/")[2], name.lower()}
    return base_ok and want_variant == have_variant


# --- synthesizers -----------------------------------------------------------------


def _check_text(text: str) -> str:
    plain = text.replace("\0", " ").strip()
    if not plain:
        raise ValueError("nothing to say: the text is empty")
    return plain


def _settings(profile: VoiceProfile) -> _Settings:
    low, high = RATE_RANGE
    if not low <= profile.rate <= high:
        raise VoiceError(f"voice rate {profile.rate} is outside {low}-{high} words per minute")
    if not 0.0 <= profile.volume <= 1.0:
        raise VoiceError(f"voice volume {profile.volume} is outside 0-1")
    if profile.pitch is not None and not 0 <= profile.pitch <= 100:
        raise VoiceError(f"voice pitch {profile.pitch} is outside 0-100")
    pitch = 50 if profile.pitch is None else profile.pitch  # espeak's own default
    return _Settings(profile.voice.strip(), profile.rate, round(profile.volume * 100), pitch)


class EspeakSynthesizer:
    """Speaks with espeak-ng through pyttsx3's bindings, using a `VoiceProfile`.

    The voice is selected and confirmed on construction, so a bad profile fails
    before any work is done.
    """

    def __init__(self, profile: VoiceProfile) -> None:
        self.profile = profile
        self._settings = _settings(profile)
        self._engine = _engine()
        with self._engine.lock:
            self._engine.apply(self._settings)
            identifier, name = self._engine.current_voice()
        if not _voice_taken(self._settings.voice, identifier, name):
            raise _unknown_voice(self._settings.voice)
        self.voice_id = identifier
        self.key = self._make_key()

    def _make_key(self) -> str:
        from importlib.metadata import version

        s = self._settings
        return (
            f"espeak-ng {self._engine.version}|pyttsx3 {version('pyttsx3')}"
            f"|voice={self.voice_id}|rate={s.rate}|volume={s.volume}|pitch={s.pitch}"
            f"|pipeline={PIPELINE_VERSION}"
        )

    def synthesize(self, text: str) -> AudioSegment:
        plain = _check_text(text)
        engine = self._engine
        with engine.lock:
            # Re-applied every time (0.1 ms): the engine is shared by all synthesizers.
            engine.apply(self._settings)
            raw = engine.synth(plain)
        trimmed = trim_silence(raw, engine.sample_rate)
        return pcm_segment(trimmed, engine.sample_rate).set_frame_rate(SAMPLE_RATE)


def trim_silence(samples: bytes, frame_rate: int, pad_ms: int = PAD_MS) -> bytes:
    """Cut mono 16-bit `samples` to the audible part plus up to `pad_ms` each side."""
    data = array.array("h", samples)
    pad = frame_rate * pad_ms // 1000
    first = next((i for i, s in enumerate(data) if abs(s) > SILENCE_AMPLITUDE), None)
    if first is None:
        return bytes(2 * pad * SAMPLE_WIDTH)
    last = next(i for i in range(len(data) - 1, first - 1, -1) if abs(data[i]) > SILENCE_AMPLITUDE)
    return data[max(0, first - pad) : min(len(data), last + 1 + pad)].tobytes()


def make_synthesizer(profile: VoiceProfile) -> Synthesizer:
    """The synthesizer for a profile's `engine`; errors name the profile they came from."""
    try:
        if profile.engine == "espeak":
            return EspeakSynthesizer(profile)
        if profile.engine in ENGINES:
            return Pyttsx3Synthesizer(profile)
        raise VoiceError(
            f"unknown speech engine {profile.engine!r}", hint=f"use one of: {', '.join(ENGINES)}"
        )
    except VoiceError as exc:
        if profile.name in (profile.voice, VoiceProfile.name):  # a bare voice id: no profile
            raise
        message = f"voice profile {profile.name!r}: {exc.message}"
        raise VoiceError(message, hint=exc.hint) from exc


class Pyttsx3Synthesizer:
    """SAPI5 (Windows) or NSSpeechSynthesizer (macOS) through pyttsx3's usual route:
    `init(driver)`, `save_to_file`, `runAndWait`, then decode the file with ffmpeg.

    Only the fake engine in the tests exercises this on Linux; it works around the
    driver defects listed in the project's stack notes: one `save_to_file` per
    `runAndWait` (with several queued only the last is written), wait for the
    `finished-utterance` event and a complete file (it can appear after `runAndWait`
    returns), one engine per driver per process (`pyttsx3.init` caches it), and read
    the file with ffmpeg (macOS writes AIFF whatever the name). Neither driver can set
    the pitch, so `pitch` is ignored here.
    """

    FILE_TIMEOUT_S = 10.0
    _lock = threading.Lock()  # the engine is shared by every instance in the process

    def __init__(self, profile: VoiceProfile, *, init: Callable[[str], Any] | None = None) -> None:
        self.profile = profile
        self._settings = _settings(profile)
        self._engine = (init or _pyttsx3_engine)(profile.engine)
        self.voice_id = _pick_voice(self._engine.getProperty("voices"), profile)
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", lambda **_: self._finished.set())
        self.key = self._make_key()

    def _make_key(self) -> str:
        import platform
        from importlib.metadata import version

        s = self._settings
        # The OS version stands in for the engine's version, which pyttsx3 cannot tell.
        return (
            f"pyttsx3 {version('pyttsx3')} {self.profile.engine}|{platform.platform()}"
            f"|voice={self.voice_id}|rate={s.rate}|volume={s.volume}"
            f"|pipeline={PIPELINE_VERSION}"
        )

    def synthesize(self, text: str) -> AudioSegment:
        import tempfile

        from audiogen.core.ffmpeg import decode_to_pcm

        plain = _check_text(text)
        suffix = ".aiff" if self.profile.engine == "nsss" else ".wav"
        with tempfile.TemporaryDirectory(prefix="audiogen-") as folder:
            path = os.path.join(folder, f"phrase{suffix}")
            with self._lock:
                self._save(plain, path)
            raw = decode_to_pcm(path, sample_rate=SAMPLE_RATE, channels=1)
        return pcm_segment(trim_silence(raw, SAMPLE_RATE))

    def _save(self, text: str, path: str) -> None:
        engine = self._engine
        # Re-applied every time: another profile may have changed the shared engine.
        engine.setProperty("voice", self.voice_id)
        engine.setProperty("rate", self._settings.rate)
        engine.setProperty("volume", self._settings.volume / 100)
        self._finished.clear()
        engine.save_to_file(text, path)
        engine.runAndWait()
        self._finished.wait(self.FILE_TIMEOUT_S)
        _wait_for_file(path, self.FILE_TIMEOUT_S)


def _pyttsx3_engine(driver: str) -> Any:
    try:
        import pyttsx3

        return pyttsx3.init(driver)
    except Exception as exc:  # ImportError (comtypes, pyobjc), OSError, driver errors
        raise VoiceError(
            f"the {driver} speech engine is not available here: {exc}",
            hint="use `engine: espeak`, which works everywhere",
        ) from exc


def _pick_voice(voices: Iterable[Any], profile: VoiceProfile) -> str:
    """The engine voice a profile asks for: by id, by name, by language, or by part of
    its id or name (`zira`, `en-us`); never a silent fallback."""
    wanted = profile.voice.strip().lower()
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
    close = _close_matches(wanted, [n.lower() for n in names])
    hint = f"did you mean {', '.join(close)}?" if close else f"voices: {', '.join(names)}"
    raise VoiceError(f"{profile.engine} has no voice {profile.voice!r}", hint=hint)


def _wait_for_file(path: str, timeout_s: float) -> None:
    """Until the file exists and its size holds still: drivers finish writing late."""
    import time

    deadline = time.monotonic() + timeout_s
    last = -1
    while time.monotonic() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else -1
        if size > 44 and size == last:  # more than a bare WAV header, and not growing
            return
        last = size
        time.sleep(0.01)
    raise VoiceError(f"the speech engine wrote no audio to {path}")


class ToneSynthesizer:
    """A stand-in for tests of scheduling and mixing: fast, deterministic, no engine.

    A soft 441 Hz tone, 60 ms per character and at least 300 ms.
    """

    MS_PER_CHAR = 60
    MIN_MS = 300
    FREQUENCY = 441  # 100 samples a period at 44.1 kHz: the tone is one period tiled.
    key = "tone|441Hz|60ms-per-char|min300ms|v1"

    def duration_ms(self, text: str) -> int:
        return max(self.MIN_MS, self.MS_PER_CHAR * len(_check_text(text)))

    def synthesize(self, text: str) -> AudioSegment:
        frames = round(self.duration_ms(text) * SAMPLE_RATE / 1000)
        period = SAMPLE_RATE // self.FREQUENCY
        amplitude = 0.1 * 32767  # -20 dBFS
        cycle = [round(amplitude * math.sin(2 * math.pi * i / period)) for i in range(period)]
        data = array.array("h", cycle * (frames // period + 1))[:frames]
        fade = SAMPLE_RATE * 10 // 1000
        for i in range(fade):
            gain = i / fade
            data[i] = round(data[i] * gain)
            data[frames - 1 - i] = round(data[frames - 1 - i] * gain)
        return pcm_segment(data.tobytes())


def synthesize_phrases(
    phrases: Iterable[str],
    synth: Synthesizer,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, AudioSegment]:
    """Each distinct phrase, synthesized once, in first-seen order."""
    return speak_phrases(phrases, synth, on_progress=on_progress).clips


@dataclass(frozen=True)
class Speech:
    """The audio of every phrase, and where it came from."""

    clips: dict[str, AudioSegment]
    synthesized: int  # spoken by the engine in this run
    cached: int  # read back from the speech cache
    recorded: int  # played from the voice's clip pack


def speak_phrases(
    phrases: Iterable[str],
    synth: Synthesizer,
    *,
    cache: SpeechCache | None = None,
    pack: ClipPack | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Speech:
    """Each distinct phrase once, in first-seen order: from the clip pack when it has
    the phrase, else from the cache, else from the engine (which fills the cache).

    The engine is given the phrase with its numbers written as words (`speak_numbers`);
    the clips stay keyed by the phrase as the timeline shows it.
    """
    from audiogen.speech.cache import CachedSynthesizer

    distinct = list(dict.fromkeys(phrases))
    source = CachedSynthesizer(synth, cache) if cache is not None else None

    def say(text: str) -> tuple[AudioSegment, bool]:
        return source.lookup(text) if source is not None else (synth.synthesize(text), False)

    recorded = pack.render(distinct, lambda: _reference_level(say)) if pack is not None else {}
    spoken: dict[str, AudioSegment] = {}  # by utterance: "Round 2" and "Round two" once
    clips: dict[str, AudioSegment] = {}
    synthesized = cached = 0
    for done, phrase in enumerate(distinct, start=1):
        utterance = speak_numbers(phrase)
        if phrase in recorded:
            clips[phrase] = recorded[phrase]
        elif utterance in spoken:
            clips[phrase] = spoken[utterance]
        else:
            clip, hit = say(utterance)
            clips[phrase] = spoken[utterance] = clip
            cached, synthesized = cached + hit, synthesized + (not hit)
        if on_progress is not None:
            on_progress(done, len(distinct))
    return Speech(clips, synthesized, cached, len(recorded))


# A typical run of cues: the synthesized voice's level on it is what recordings match.
REFERENCE_TEXT = "Next up: front squat. Keep your chest tall. Halfway. Ten seconds left."


def _reference_level(say: Callable[[str], tuple[AudioSegment, bool]]) -> float:
    from audiogen.speech.clips import speech_level

    return speech_level(say(REFERENCE_TEXT)[0])
