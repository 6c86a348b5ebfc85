"""A build depends only on its inputs, never on what the speech cache or the process
held before (issue 12, item 9): the podcast feed's "unchanged rebuild" and the golden
files rely on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.pipeline import build_workout
from audiogen.speech.cache import SpeechCache
from audiogen.speech.synth import make_synthesizer
from audiogen.workout.loader import parse_workout
from audiogen.workout.model import VoiceProfile

pytestmark = pytest.mark.audio

LEGS = """\
title: Legs
work: 3s
rest: 2s
cues: {countdown: 1}
exercises:
  - name: Goblet Squat
    tips: [Sit back into your heels]
  - Reverse Lunge
"""
CORE = """\
title: Core Burner
work: 2s
rest: 2s
cues: {countdown: 1}
exercises: [Dead Bug, Mountain Climber, Hollow Hold]
"""


def _build(text: str, output: Path, cache_root: Path) -> list[bytes]:
    result = build_workout(parse_workout(text), output, cache=SpeechCache(cache_root))
    return [output.read_bytes(), *(p.read_bytes() for p in result.sidecars)]


def test_a_build_after_warming_the_cache_with_another_workout_is_byte_identical(
    tmp_path: Path,
) -> None:
    cold = _build(LEGS, tmp_path / "cold" / "legs.mp3", tmp_path / "cache-cold")
    # Another workout's phrases, spoken first and cached: the engine has said other
    # things since, and part of Legs now comes from the cache.
    _build(CORE, tmp_path / "warm" / "core.mp3", tmp_path / "cache-warm")
    _build(LEGS.replace("Reverse Lunge", "Dead Bug"), tmp_path / "x.mp3", tmp_path / "cache-warm")
    warm = _build(LEGS, tmp_path / "warm" / "legs.mp3", tmp_path / "cache-warm")
    assert cold == warm


def test_a_phrase_sounds_the_same_whatever_was_spoken_before() -> None:
    us, other = make_synthesizer(VoiceProfile()), make_synthesizer(VoiceProfile(voice="en-gb-x-rp"))
    first = us.synthesize("Next up: Squat.").raw_data
    other.synthesize("Keep your chest tall, and drive through your heels!")
    us.synthesize("Halfway?")
    make_synthesizer(VoiceProfile(voice="en-us+f3", rate=220))  # another voice selected
    assert us.synthesize("Next up: Squat.").raw_data == first
