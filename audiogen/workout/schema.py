"""The keys a workout file may use, at each level, with their built-in defaults.

One table per level, each key with its kind of value and a description. The loader
validates and suggests with the key names; `json_schema.py` turns the same tables into
the JSON Schema that editors use (`audiogen schema`), so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from audiogen.workout.model import RATE_RANGE, BlockFormat, FirstSide, Sides

DEFAULT_WORK_MS = 40_000
DEFAULT_REST_MS = 20_000
DEFAULT_SIDE_REST_MS = 5_000
MIN_WORK_MS = 1_000
MAX_TRACK_MS = 12 * 3_600_000
# The languages with a built-in phrasebook (audiogen/data/phrases/<language>.yaml).
LANGUAGES = ("en", "de", "es", "fr")
LANGUAGE_HINT = "en English, de German, es Spanish, fr French"
# Placeholders an `intro` or `outro` template may use.
TEMPLATE_FIELDS = ("title", "minutes", "equipment")


class Kind(StrEnum):
    """What a key's value may be; `json_schema.py` says it in JSON Schema."""

    TEXT = "text"
    TEXT_LIST = "text or a list of text"
    DURATION = "duration"
    WORK_DURATION = "duration of 1 s or more"
    COUNT = "whole number, 1 or more"
    WHOLE = "whole number, 0 or more"
    FLAG = "true or false"
    LEVEL = "level in dB"
    SECONDS_LIST = "seconds, or a list of them"
    NUMBER = "number"
    CHOICE = "one of the choices"
    VOICE = "voice"
    MUSIC = "music"
    CUES = "cues"
    EXERCISES = "exercises"
    BLOCKS = "blocks"
    # version 1.1
    REPS = "whole number, 1 or more, or a range like 8-12"
    PROMPTS = "prompts"
    WORDS = "mapping of words to how they are said"


@dataclass(frozen=True)
class Key:
    kind: Kind
    about: str
    required: bool = False
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    default: str | int | float | bool | None = None


_WORK = "Length of each work interval: 40, 40s, 2m, 1m30s, 1:30 or 2.5s."
_REST = "Length of the rest after each work interval; 0 for none."

TOP_LEVEL = {
    "title": Key(Kind.TEXT, "The workout's name: spoken in the intro, the track's title.", True),
    "description": Key(Kind.TEXT, "A sentence about the workout, written into the tags."),
    "author": Key(Kind.TEXT, "Who wrote it: the track's artist tag."),
    "equipment": Key(Kind.TEXT_LIST, "What to have at hand, spoken in the intro."),
    "voice": Key(Kind.VOICE, "A voice profile name, a path to one, or an inline mapping."),
    "work": Key(Kind.WORK_DURATION, _WORK + " Default for every block.", default="40s"),
    "rest": Key(Kind.DURATION, _REST + " Default for every block.", default="20s"),
    "rounds": Key(Kind.COUNT, "How many times each block runs through its exercises."),
    "round_rest": Key(Kind.DURATION, "Rest between rounds (default: rest)."),
    "cues": Key(Kind.CUES, "Which cues are spoken; a block may change them."),
    "music": Key(Kind.MUSIC, "An optional background music bed, ducked under speech."),
    "exercises": Key(Kind.EXERCISES, "The exercises of a one-block workout (or use blocks)."),
    "blocks": Key(Kind.BLOCKS, "The workout's blocks, in order (or use exercises)."),
    # version 1.1
    "language": Key(
        Kind.CHOICE,
        "The language of every built-in phrase and number, and of the default voice.",
        choices=LANGUAGES,
        default="en",
    ),
    "phrases": Key(Kind.TEXT, "Your own phrasebook, relative to the workout file."),
    "intro": Key(Kind.TEXT, "The opening words; {title}, {minutes}, {equipment} filled in."),
    "outro": Key(Kind.TEXT, "The closing words; {title}, {minutes}, {equipment} filled in."),
    "pronounce": Key(Kind.WORDS, "Word as written: how it is said, e.g. EMOM: E-mom."),
}
BLOCK = {
    "exercises": Key(Kind.EXERCISES, "The block's exercises, in order.", True),
    "name": Key(Kind.TEXT, "The block's name, spoken when it starts."),
    "format": Key(
        Kind.CHOICE,
        "intervals (work, rest), tabata (20s/10s x 8), emom (one interval every minute) "
        "or amrap (one long interval of `time`).",
        choices=tuple(BlockFormat),
        default="intervals",
    ),
    "rounds": Key(Kind.COUNT, "How many times the block runs through its exercises."),
    "work": Key(Kind.WORK_DURATION, _WORK),
    "rest": Key(Kind.DURATION, _REST),
    "round_rest": Key(Kind.DURATION, "Rest between rounds (default: rest)."),
    "rest_after": Key(Kind.DURATION, "Rest before the next block (default: rest)."),
    "every": Key(Kind.WORK_DURATION, "emom: the length of each interval.", default="1m"),
    "time": Key(Kind.WORK_DURATION, "amrap: the length of the one work interval (required)."),
    "cues": Key(Kind.CUES, "Which cues are spoken in this block."),
    "say": Key(Kind.TEXT, "How to pronounce the block's name in its round call."),
}
EXERCISE = {
    "name": Key(Kind.TEXT, "The exercise's name, as spoken and shown.", True),
    "tips": Key(Kind.TEXT_LIST, "Short form tips, spoken in order (see cues.tips)."),
    "modification": Key(Kind.TEXT, "An easier version, spoken when cues.modification is on."),
    "targets": Key(Kind.TEXT_LIST, "The muscles it works."),
    "reps": Key(Kind.REPS, 'Repetitions, spoken with the name: 10, or a range "8-12".'),
    "work": Key(Kind.WORK_DURATION, _WORK),
    "rest": Key(Kind.DURATION, _REST),
    "sides": Key(
        Kind.CHOICE,
        "switch: one interval with a switch cue at its midpoint; each: right, then left.",
        choices=tuple(Sides),
    ),
    "side_rest": Key(Kind.DURATION, "sides: each: the rest between the sides.", default="5s"),
    "say": Key(Kind.TEXT, "How to pronounce the name, where the engine gets it wrong."),
    "prompts": Key(Kind.PROMPTS, "Words spoken at a moment of each work interval."),
    "first_side": Key(
        Kind.CHOICE,
        "Which side sides: each and switch start with.",
        choices=tuple(FirstSide),
        default="right",
    ),
}
CUES = {
    "tips": Key(Kind.WHOLE, "Form tips spoken per exercise; 0 for none.", default=2),
    "modification": Key(Kind.FLAG, "Also speak each exercise's modification.", default=False),
    "next_up": Key(Kind.FLAG, "Preview the next exercise during rests.", default=True),
    "halfway": Key(Kind.FLAG, '"Halfway" in work intervals of 30 s or more.', default=True),
    "time_left": Key(Kind.SECONDS_LIST, "Seconds left in a work interval to call out."),
    "countdown": Key(
        Kind.WHOLE,
        "Beeps in the last seconds before work starts and ends.",
        low=0,
        high=10,
        default=3,
    ),
    "rounds": Key(Kind.FLAG, '"Round 2 of 3" when a round begins.', default=True),
    "go": Key(Kind.FLAG, '"Go!" right after each start beep.', default=False),
    "rest": Key(
        Kind.FLAG, '"Rest" after work, with its length and time left in long rests.', default=True
    ),
    "get_ready": Key(
        Kind.WHOLE,
        "In rests of 25 s or more, a reminder of what comes next this many seconds before it.",
        low=0,
        high=120,
        default=10,
    ),
}
PROMPT = {
    "at": Key(Kind.TEXT, "When: a duration into the interval; negative counts from its end.", True),
    "say": Key(Kind.TEXT, "What to say.", True),
}
# The keys every voice profile may have; any other key is a setting of its engine.
VOICE = {
    "name": Key(Kind.TEXT, "The profile's name."),
    "engine": Key(Kind.TEXT, "The speech engine (see `audiogen voices`).", default="espeak"),
    "voice": Key(Kind.TEXT, "The engine's voice id, e.g. en-us."),
    "rate": Key(Kind.WHOLE, "Words per minute.", low=RATE_RANGE[0], high=RATE_RANGE[1]),
    "volume": Key(Kind.NUMBER, "Speech volume, above 0 and at most 1.", low=0, high=1),
    "description": Key(Kind.TEXT, "What the voice sounds like."),
    "clips": Key(Kind.TEXT, "A folder of recorded phrases played instead of speech."),
}
MUSIC = {
    "file": Key(Kind.TEXT, "The music file, relative to the workout file.", True),
    "volume": Key(Kind.LEVEL, "The bed's level under the voice.", default="-18dB"),
    "duck": Key(Kind.LEVEL, "The extra cut while speech plays.", default="-12dB"),
}

TOP_LEVEL_KEYS = tuple(TOP_LEVEL)
BLOCK_KEYS = tuple(BLOCK)
EXERCISE_KEYS = tuple(EXERCISE)
CUE_KEYS = tuple(CUES)
VOICE_KEYS = tuple(VOICE)
MUSIC_KEYS = tuple(MUSIC)
PROMPT_KEYS = tuple(PROMPT)

# Options of `build`, `timeline` and `check` that are also workout settings, with where
# they sit in a file. Set in audiogen.toml they act as if the file said them wherever
# it says nothing (see defaults.py); set on the command line they override the file.
CONFIG_KEY_PATHS = {
    "work": "work",
    "rest": "rest",
    "rounds": "rounds",
    "voice": "voice",
    "tips": "cues.tips",
    "music": "music.file",
    "language": "language",
}


def check_language(value: str) -> str:
    """`value` if it has a built-in phrasebook, else ValueError saying which do: one
    check for the file's `language`, audiogen.toml's and `--language`."""
    if value not in LANGUAGES:
        raise ValueError(f"expected one of {', '.join(LANGUAGES)}, got {value!r}")
    return value
