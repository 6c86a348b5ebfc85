"""The keys a workout file may use, at each level, with their built-in defaults.

One table, read by the loader (to validate and suggest) and by the docs.
"""

from __future__ import annotations

DEFAULT_WORK_MS = 40_000
DEFAULT_REST_MS = 20_000
DEFAULT_SIDE_REST_MS = 5_000
MIN_WORK_MS = 1_000
MAX_TRACK_MS = 12 * 3_600_000

TOP_LEVEL_KEYS = (
    "title", "description", "author", "equipment", "voice", "work", "rest", "rounds",
    "round_rest", "cues", "music", "exercises", "blocks",
)  # fmt: skip
BLOCK_KEYS = (
    "exercises", "name", "format", "rounds", "work", "rest", "round_rest", "rest_after",
    "every", "time", "cues",
)  # fmt: skip
EXERCISE_KEYS = (
    "name", "tips", "modification", "targets", "reps", "work", "rest", "sides", "side_rest",
    "say",
)  # fmt: skip
CUE_KEYS = ("tips", "modification", "next_up", "halfway", "time_left", "countdown", "rounds")
# The keys every voice profile may have; any other key is a setting of its engine.
VOICE_KEYS = ("name", "engine", "voice", "rate", "volume", "description", "clips")
MUSIC_KEYS = ("file", "volume", "duck")
