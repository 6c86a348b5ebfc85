"""From a voice profile to a `Synthesizer`: the engine's speaker, trimmed and at the
track's sample rate.

Everything downstream (the cache, the clip packs, the build) sees only `Synthesizer`;
which engine speaks is decided here, by asking the registry.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from audiogen.core.pcm import SAMPLE_RATE, pcm_segment
from audiogen.core.text import close_matches
from audiogen.errors import Position, VoiceChoiceError, VoiceError, WorkoutError
from audiogen.speech import engines as _builtin_engines  # registers the built-in engines
from audiogen.speech.clip import RawSpeech
from audiogen.speech.registry import BatchSpeaker, Speaker, SpeechEngine, find_engine
from audiogen.workout.model import VoiceProfile

if TYPE_CHECKING:
    from pydub import AudioSegment

BUILTIN_ENGINES = _builtin_engines.__all__


class Synthesizer(Protocol):
    """Something that speaks a phrase. `key` names everything that shapes the audio."""

    @property
    def key(self) -> str: ...

    def synthesize(self, text: str) -> AudioSegment: ...


@runtime_checkable
class BatchSynthesizer(Synthesizer, Protocol):
    """A synthesizer that speaks many phrases at once faster than one by one."""

    def synthesize_many(self, texts: Sequence[str]) -> Iterator[AudioSegment]: ...


def synthesize_all(synth: Synthesizer, texts: Sequence[str]) -> Iterator[AudioSegment]:
    """Each of `texts`, in order: all at once where the synthesizer can, else one by one."""
    if isinstance(synth, BatchSynthesizer):
        yield from synth.synthesize_many(texts)
    else:
        yield from (synth.synthesize(text) for text in texts)


class EngineSynthesizer:
    """A registered engine's speaker, its output trimmed and resampled to the track's rate."""

    def __init__(self, speaker: Speaker) -> None:
        self.speaker = speaker
        self.key = speaker.key

    def synthesize(self, text: str) -> AudioSegment:
        return _finish(self.speaker.synthesize(check_text(text)))

    def synthesize_many(self, texts: Sequence[str]) -> Iterator[AudioSegment]:
        plain = [check_text(text) for text in texts]
        if isinstance(self.speaker, BatchSpeaker):
            yield from map(_finish, self.speaker.synthesize_many(plain))
        else:
            yield from (_finish(self.speaker.synthesize(text)) for text in plain)


def _finish(raw: RawSpeech) -> AudioSegment:
    """Trimmed and at the track's rate."""
    trimmed = raw.trimmed()
    clip = pcm_segment(trimmed.samples, trimmed.sample_rate)
    return clip if trimmed.sample_rate == SAMPLE_RATE else clip.set_frame_rate(SAMPLE_RATE)


def check_text(text: str) -> str:
    plain = text.replace("\0", " ").strip()
    if not plain:
        raise ValueError("nothing to say: the text is empty")
    return plain


def make_synthesizer(profile: VoiceProfile) -> EngineSynthesizer:
    """The synthesizer for a profile; errors name the profile they came from."""
    try:
        engine = usable_engine(profile.engine)
        speaker = engine.open(
            profile.voice,
            rate=profile.rate,
            volume=profile.volume,
            settings=engine_settings(profile, engine),
        )
    except VoiceError as exc:
        raise _in_profile(exc, profile) from exc
    return EngineSynthesizer(speaker)


def usable_engine(name: str) -> SpeechEngine:
    """The registered engine `name`, if it can speak on this machine."""
    engine = find_engine(name)
    reason = engine.unavailable()
    if reason is not None:
        raise VoiceChoiceError(f"the {name} speech engine is not available: {reason}")
    return engine


def engine_settings(profile: VoiceProfile, engine: SpeechEngine) -> Mapping[str, int | float]:
    """The profile's engine-specific settings, checked against what the engine takes;
    a mistake is placed at the setting's key in the profile file."""
    checked: dict[str, int | float] = {}
    for setting in profile.settings:
        spec = engine.settings.get(setting.key)
        try:
            if spec is None:
                raise ValueError(_unknown_setting(setting.key, engine))
            checked[setting.key] = spec.check(setting.value)
        except ValueError as exc:
            hint = spec.hint if spec else None
            raise _setting_error(str(exc), setting.key, setting.position, hint) from None
    return checked


def _unknown_setting(key: str, engine: SpeechEngine) -> str:
    close = close_matches(key, list(engine.settings))
    known = ", ".join(engine.settings) or "none"
    guess = f"; did you mean {close[0]!r}?" if close else f" (it takes: {known})"
    return f"the {engine.name} engine has no setting {key!r}{guess}"


def _setting_error(message: str, key: str, at: Position | None, hint: str | None) -> WorkoutError:
    return WorkoutError(message, position=at, key_path=key, hint=hint)


def _in_profile(exc: VoiceError, profile: VoiceProfile) -> VoiceError:
    where = f"{profile.chosen_at}: error at voice: " if profile.chosen_at else ""
    if profile.name in (profile.voice, VoiceProfile.name):  # a bare voice id: no profile
        return type(exc)(f"{where}{exc.message}", hint=exc.hint)
    return type(exc)(f"{where}voice profile {profile.name!r}: {exc.message}", hint=exc.hint)
