"""Each distinct phrase of a track, once: from the voice's clip pack, else the speech
cache, else the engine (which fills the cache)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audiogen.plan.spoken import speak_numbers
from audiogen.speech.cache import CachedSynthesizer, SpeechCache
from audiogen.speech.clips import ClipPack, speech_level
from audiogen.speech.synth import Synthesizer, synthesize_all

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
    """Each distinct phrase once, keyed in first-seen order: from the clip pack when it
    has the phrase, else from the cache, else from the engine (which fills the cache).

    The engine is given the phrase with its numbers written as words in the workout's
    `language` (`speak_numbers`); the clips stay keyed by the phrase as the timeline
    shows it. The phrases the cache lacks go to the engine together (`synthesize_all`:
    a slow engine speaks them on all cores), after the recorded and cached ones are
    counted, so the progress reported is the engine's work as it happens. With nothing
    missing the engine does nothing.
    """
    distinct = list(dict.fromkeys(phrases))
    source = CachedSynthesizer(synth, cache) if cache is not None else None
    recorded = pack.render(distinct, lambda: _reference_level(synth, source)) if pack else {}
    # By utterance: "Round 2" and "Round two" are spoken once.
    said = {p: speak_numbers(p, language) for p in distinct if p not in recorded}
    wanted: dict[str, list[str]] = {}
    for phrase, utterance in said.items():
        wanted.setdefault(utterance, []).append(phrase)
    progress = _Progress(len(distinct), on_progress)
    progress.advance(len(recorded))
    spoken: dict[str, AudioSegment] = {}
    for utterance, group in wanted.items():
        clip = cache.get(synth.key, utterance) if cache is not None else None
        if clip is not None:
            spoken[utterance] = clip
            progress.advance(len(group))
    missing = [utterance for utterance in wanted if utterance not in spoken]
    for utterance, clip in zip(missing, synthesize_all(synth, missing), strict=True):
        if cache is not None:
            cache.put(synth.key, utterance, clip)
        spoken[utterance] = clip
        progress.advance(len(wanted[utterance]))
    clips = {p: recorded[p] if p in recorded else spoken[said[p]] for p in distinct}
    return Speech(clips, len(missing), len(wanted) - len(missing), len(recorded))


class _Progress:
    """Reports (done, total) after each step, if anyone listens."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self.report = total, 0, report

    def advance(self, count: int) -> None:
        self.done += count
        if self.report is not None and count:
            self.report(self.done, self.total)


# A typical run of cues: the synthesized voice's level on it is what recordings match.
REFERENCE_TEXT = "Next up: front squat. Keep your chest tall. Halfway. Ten seconds left."


def _reference_level(synth: Synthesizer, source: CachedSynthesizer | None) -> float:
    clip = source.synthesize(REFERENCE_TEXT) if source else synth.synthesize(REFERENCE_TEXT)
    return speech_level(clip)
