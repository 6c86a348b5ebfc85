"""Which voice speaks a workout that names none: the default voice of its language.

The phrasebook of each language says which voice that is (`meta.default_voice`, an
espeak-ng voice id, and `meta.natural_voice`, a neural voice where one exists). Where
the language has a natural voice and its engine is installed (the `natural` extra), the
shipped `natural` profile speaks with it; otherwise espeak-ng does.
`$AUDIOGEN_DEFAULT_ENGINE=espeak` keeps espeak-ng as the default even then (its speed,
or the same voice on every machine: the test suite sets it).
"""

from __future__ import annotations

import os
from dataclasses import replace

from audiogen.errors import VoiceChoiceError
from audiogen.plan.phrasebook import load_phrasebook
from audiogen.speech import engines  # noqa: F401  (registers the built-in engines)
from audiogen.speech.registry import find_engine
from audiogen.workout.model import VoiceProfile, Workout
from audiogen.workout.profiles import SHIPPED_VOICES, load_profile

ENV_VAR = "AUDIOGEN_DEFAULT_ENGINE"
NATURAL_PROFILE = SHIPPED_VOICES / "natural.yaml"
_ENGINES = ("espeak", "piper")


def workout_voice(workout: Workout) -> VoiceProfile:
    """The workout's own voice if the file or the command line names one, else the
    default voice of its language (keeping a `--rate` given on the command line)."""
    if workout.voice_chosen:
        return workout.voice
    return default_profile(workout.language, workout.voice)


def default_profile(language: str = "en", base: VoiceProfile | None = None) -> VoiceProfile:
    """The default profile for `language`: the natural voice where the language has one
    and it is installed, else espeak-ng's voice for it; with the rate of `base`."""
    book = load_phrasebook(language)
    if book.natural_voice is not None and _default_engine() == "piper" and natural_available():
        natural = replace(load_profile(NATURAL_PROFILE), voice=book.natural_voice)
        rate_given = base is not None and base.rate != VoiceProfile.rate
        return replace(natural, rate=base.rate) if base is not None and rate_given else natural
    return replace(base or VoiceProfile(), engine="espeak", voice=book.default_voice)


def natural_available() -> bool:
    """Whether the natural voice's engine is installed (cheap: no model is loaded)."""
    return find_engine(load_profile(NATURAL_PROFILE).engine).unavailable() is None


def _default_engine() -> str:
    chosen = os.environ.get(ENV_VAR, "").strip() or "piper"
    if chosen not in _ENGINES:
        raise VoiceChoiceError(
            f"${ENV_VAR} is {chosen!r}", hint=f"use {' or '.join(_ENGINES)}, or unset it"
        )
    return chosen
