"""Every shipped workout and every golden file, with real speech: the track obeys the
spec's rules. (The MP3 itself is checked end to end in test_end_to_end.py.)"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from audiogen.pipeline import render_timeline
from audiogen.plan.compiler import track_minutes
from audiogen.plan.phrasebook import load_phrasebook
from audiogen.plan.spoken import number_words, speak_numbers
from audiogen.plan.timeline import CueKind, Role
from audiogen.speech.defaults import workout_voice
from audiogen.speech.synth import Synthesizer, make_synthesizer
from audiogen.workout.loader import load_workout
from tests import rules
from tests.golden import cases

if TYPE_CHECKING:
    from pydub import AudioSegment

FILES = sorted(Path("workouts").glob("*.yaml")) + cases()


def test_each_format_has_an_example() -> None:
    text = "\n".join(p.read_text() for p in Path("workouts").glob("*.yaml"))
    for needle in ("format: tabata", "format: emom", "format: amrap", "sides: each"):
        assert needle in text


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_real_timeline_obeys_the_rules(path: Path) -> None:
    workout = load_workout(path)
    rules.check_all(workout, render_timeline(workout).timeline)


# ---- the workouts in other languages ----------------------------------------------


class Recording:
    """The real engine, keeping every utterance it is asked to speak (a spy, not a
    stand-in: the audio is espeak's)."""

    def __init__(self, synth: Synthesizer) -> None:
        self.synth = synth
        self.key = synth.key
        self.heard: list[str] = []

    def synthesize(self, text: str) -> AudioSegment:
        self.heard.append(text)
        return self.synth.synthesize(text)


def english_fragments(language: str) -> list[str]:
    """Words of the English phrasebook that the other language's phrasebook lacks."""
    other = " ".join(load_phrasebook(language).phrases.values())
    found = []
    for template in load_phrasebook("en").phrases.values():
        for literal, *_ in string.Formatter().parse(template):
            fragment = literal.strip(" .,:!?")
            if len(fragment) >= 3 and not re.search(rf"\b{re.escape(fragment)}\b", other):
                found.append(fragment)
    return found


FOREIGN = [p for p in sorted(Path("workouts").glob("*.yaml")) if load_workout(p).language != "en"]


def test_there_is_a_workout_in_each_language() -> None:
    assert {load_workout(p).language for p in FOREIGN} == {"de", "es", "fr"}


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.stem)
def test_a_workout_in_another_language_has_no_english_phrase_and_says_its_numbers(
    path: Path,
) -> None:
    workout = load_workout(path)
    profile = workout_voice(workout)
    assert profile.voice == load_phrasebook(workout.language).default_voice
    voice = Recording(make_synthesizer(profile))
    timeline = render_timeline(workout, synthesizer=voice, cache=False).timeline
    shown = [c.text or "" for c in timeline.cues if c.kind is CueKind.SPEECH]
    english = english_fragments(workout.language)
    assert {"Next up", "left", "Halfway", "Rest"} <= set(english)
    for text in shown + voice.heard:
        found = [f for f in english if re.search(rf"\b{re.escape(f)}\b", text)]
        assert not found, (found, text)
    assert voice.heard and not [u for u in voice.heard if re.search(r"\d", u)]
    # The numbers are the language's words: the track's length in the intro, say.
    (intro,) = [c.phrase for c in timeline.cues if c.role is Role.INTRO]
    (heard,) = [u for u in voice.heard if u == speak_numbers(intro, workout.language)]
    minutes = track_minutes(timeline.duration_ms)
    assert f"{number_words(minutes, workout.language)} " in heard, heard
