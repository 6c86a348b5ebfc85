"""Each distinct phrase of a track, once: from the voice's clip pack, else the speech
cache, else the engine (which fills the cache)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audiogen.plan.spoken import speak_numbers
from audiogen.speech.cache import CachedSynthesizer, SpeechCache
from audiogen.speech.clips import ClipPack, speech_level
from audiogen.speech.synth import Synthesizer

if TYPE_CHECKING:
    from pydub import AudioSegment


def synthesize_phrases(
    phrases: Iterable[str],
    synth: Synthesizer,
    *,
    language: str = "en",
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, AudioSegment]:
    """Each distinct phrase, synthesized once, in first-seen order."""
    return speak_phrases(phrases, synth, language=language, on_progress=on_progress).clips


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
    language: str = "en",
    on_progress: Callable[[int, int], None] | None = None,
) -> Speech:
    """Each distinct phrase once, in first-seen order: from the clip pack when it has
    the phrase, else from the cache, else from the engine (which fills the cache).

    The engine is given the phrase with its numbers written as words in the workout's
    `language` (`speak_numbers`); the clips stay keyed by the phrase as the timeline
    shows it.
    """
    distinct = list(dict.fromkeys(phrases))
    source = CachedSynthesizer(synth, cache) if cache is not None else None

    def say(text: str) -> tuple[AudioSegment, bool]:
        return source.lookup(text) if source is not None else (synth.synthesize(text), False)

    recorded = pack.render(distinct, lambda: _reference_level(say)) if pack is not None else {}
    spoken: dict[str, AudioSegment] = {}  # by utterance: "Round 2" and "Round two" once
    clips: dict[str, AudioSegment] = {}
    synthesized = cached = 0
    for done, phrase in enumerate(distinct, start=1):
        utterance = speak_numbers(phrase, language)
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
    return speech_level(say(REFERENCE_TEXT)[0])
