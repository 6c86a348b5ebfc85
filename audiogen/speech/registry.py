"""The speech-engine seam: what an engine is, and the registry that names them.

An engine is one module in `audiogen.speech.engines` (or any module, in a plugin or a
test) that implements `SpeechEngine` and calls `register()` when imported. Nothing
else in audiogen names an engine: profiles say `engine: <name>`, and `voices`,
`doctor` and the build ask the registry.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from audiogen.errors import VoiceChoiceError
from audiogen.speech.clip import RawSpeech

SettingValue = str | int | float | bool


@dataclass(frozen=True)
class EngineVoice:
    """A voice an engine offers, as `audiogen voices` lists it."""

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None = None


@dataclass(frozen=True)
class SettingSpec:
    """An engine-specific profile setting: its type, its range and its default."""

    kind: type[int] | type[float]
    low: float
    high: float
    default: float
    hint: str

    def check(self, value: SettingValue) -> int | float:
        """The value if it is of the right kind and in range; ValueError otherwise."""
        kind_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if self.kind is int and isinstance(value, float):
            kind_ok = False
        if not kind_ok or not self.low <= float(value) <= self.high:
            what = "a whole number" if self.kind is int else "a number"
            raise ValueError(f"expected {what} from {self.low:g} to {self.high:g}, got {value!r}")
        return self.kind(value)


class Speaker(Protocol):
    """One voice of an engine with its settings applied."""

    @property
    def key(self) -> str:
        """Everything that shapes the audio (engine version, voice, settings): the
        speech cache's key, so a change in any of them is never served stale audio."""
        ...

    def synthesize(self, text: str) -> RawSpeech: ...


@runtime_checkable
class BatchSpeaker(Speaker, Protocol):
    """A speaker that is faster given many phrases at once (a slow engine that spreads
    them over worker processes). Optional: the resolver falls back to `synthesize`."""

    def synthesize_many(self, texts: Sequence[str]) -> Iterator[RawSpeech]:
        """The speech of each text, in order, each yielded as soon as it is ready."""
        ...


class SpeechEngine(Protocol):
    """A text-to-speech engine."""

    @property
    def name(self) -> str: ...

    @property
    def default_voice(self) -> str:
        """The voice a bare `engine: NAME` profile speaks with."""
        ...

    @property
    def settings(self) -> Mapping[str, SettingSpec]:
        """The profile keys this engine understands beyond the common ones."""
        ...

    def unavailable(self) -> str | None:
        """None when the engine can speak here, else why not and how to fix it.
        Cheap: it must not load a model."""
        ...

    def version(self) -> str: ...

    def voices(self) -> list[EngineVoice]: ...

    def open(
        self, voice: str, *, rate: int, volume: float, settings: Mapping[str, int | float]
    ) -> Speaker:
        """The voice with its settings; VoiceChoiceError if the engine lacks it."""
        ...


_ENGINES: dict[str, SpeechEngine] = {}


def register(engine: SpeechEngine) -> SpeechEngine:
    """Make `engine` available under its name (a later registration replaces it)."""
    _ENGINES[engine.name] = engine
    return engine


def engine_names() -> list[str]:
    return sorted(_ENGINES)


def registered() -> list[SpeechEngine]:
    return [_ENGINES[name] for name in engine_names()]


def find_engine(name: str) -> SpeechEngine:
    """The engine registered as `name`; VoiceChoiceError (a user's mistake) if none is."""
    engine = _ENGINES.get(name)
    if engine is not None:
        return engine
    close = difflib.get_close_matches(name, engine_names(), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"engines: {', '.join(engine_names())}"
    raise VoiceChoiceError(f"unknown speech engine {name!r}", hint=hint)
