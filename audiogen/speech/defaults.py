"""Which voice speaks a workout that names none: the default voice of its language.

The phrasebook of each language says which voice that is (`meta.default_voice`, an
espeak-ng voice id, and `meta.natural_voice`, a neural voice where one exists). This
is the one place that decides; an engine that can speak the natural voice (Piper)
plugs in here, in `default_profile`.
"""

from __future__ import annotations

from dataclasses import replace

from audiogen.plan.phrasebook import load_phrasebook
from audiogen.workout.model import VoiceProfile, Workout


def workout_voice(workout: Workout) -> VoiceProfile:
    """The workout's own voice if the file or the command line names one, else the
    default voice of its language (keeping a `--rate` given on the command line)."""
    if workout.voice_chosen:
        return workout.voice
    return default_profile(workout.language, workout.voice)


def default_profile(language: str, base: VoiceProfile | None = None) -> VoiceProfile:
    """The default profile for `language`: espeak-ng's voice for it, with the rate and
    volume of `base`. (Hook: return the natural voice's profile here when its engine
    is installed, `load_phrasebook(language).natural_voice`.)"""
    book = load_phrasebook(language)
    return replace(base or VoiceProfile(), engine="espeak", voice=book.default_voice)
