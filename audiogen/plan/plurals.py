"""Exercise names after a rep count: "10 Calf Raises", "8 to 12 Step-ups (each leg)".

Rule 7 of the spec: a name is never pluralised twice. A name already plural ("Burpees",
"Toes to Bar") is said as written; a singular one is made plural for a count other than
one; a range ("8-12") counts as plural.

English names are inflected with `inflect`. German, Spanish and French names are NOT
inflected: the reps are said, then the name exactly as written ("10 Kniebeugen",
"10 sentadillas", "10 pompes"). Plurals there depend on gender and on spellings no small
rule gets right (Kniebeuge -> Kniebeugen, Liegestütz -> Liegestütze, flexión ->
flexiones), and people writing a workout in those languages write the name as they want
it said after a number.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import inflect

Reps = int | tuple[int, int]


@dataclass(frozen=True)
class RepWords:
    """Templates: `reps` with `{reps}` and `{name}`, `rep_range` with `{low}`, `{high}`."""

    reps: str
    rep_range: str


REP_WORDS: Mapping[str, RepWords] = {
    "en": RepWords("{reps} {name}", "{low} to {high}"),
    "de": RepWords("{reps} {name}", "{low} bis {high}"),
    "es": RepWords("{reps} {name}", "{low} a {high}"),
    "fr": RepWords("{reps} {name}", "{low} à {high}"),
}

# Whole names inflect gets wrong, or that are pinned because rule 7 names them.
# Keys and values are lower case; the name's own capitals are put back.
_NAMES = {
    # inflect reads "X to Y" like "mother-in-law" and would say "Toeses to Bar" if the
    # "already plural" check ever missed it.
    "toes to bar": "toes to bar",
    "knees to elbows": "knees to elbows",
    # Capitalised "Carry" is a proper noun to inflect: "Farmer Carrys".
    "farmer carry": "farmer carries",
    "march in place": "marches in place",
}
# Last words inflect gets wrong as exercise names.
_WORDS = {"superman": "supermans", "halo": "halos"}

# "Step-up (each leg)": the note in brackets stays after the plural word.
_NOTE = re.compile(r"^(?P<core>.*?)(?P<note>\s*\([^()]*\))$")
# "Plank to Push-up", "Toes to Bar", "Knee-to-elbow": a move from one position to another.
_TO = re.compile(r"^(?P<head>.*?)(?P<sep>[\s-]to[\s-])(?P<tail>.*)$", re.IGNORECASE)


def with_reps(name: str, reps: Reps, language: str, words: RepWords | None = None) -> str:
    """The count and the name as the cue text shows them (digits; the voice gets words
    later): "10 Calf Raises", "1 Calf Raise", "8 to 12 Step-ups", "10 Kniebeugen".
    `words` overrides the language's templates (a phrasebook passes its own)."""
    templates = words or REP_WORDS[language]
    if isinstance(reps, tuple):
        low, high = reps
        count = templates.rep_range.format(low=low, high=high)
        plural = True
    else:
        count, plural = str(reps), reps != 1
    return templates.reps.format(reps=count, name=plural_name(name, language) if plural else name)


def plural_name(name: str, language: str) -> str:
    """The name said after a count above one: "Push-up" -> "Push-ups", "Burpees" stays.
    Only English names change (see the module's docstring)."""
    if language != "en":
        return name
    name = name.strip()
    note = _NOTE.match(name)
    core, suffix = (note["core"], note["note"]) if note else (name, "")
    return _english_plural(core) + suffix


def is_plural(name: str) -> bool:
    """Whether an English name is already plural: "Jumping Jacks", "Toes to Bar"."""
    lower = name.lower().strip()
    if lower in _NAMES:
        return _NAMES[lower] == lower
    move = _TO.match(lower)
    if move:
        heads, tails = _last_word(move["head"]), _last_word(move["tail"])
        return _word_is_plural(heads) or _word_is_plural(tails)
    return _word_is_plural(_last_word(lower))


def _english_plural(name: str) -> str:
    lower = name.lower()
    if lower in _NAMES:
        return _match_case(name, _NAMES[lower])
    if is_plural(name):
        return name
    # Only the last word changes: "Plank to Push-up" -> "Plank to Push-ups". inflect on
    # the whole name would pluralise the head of "X to Y" and "X in Y" instead.
    move = _TO.match(lower)
    if move:
        return _match_case(name, move["head"] + move["sep"] + _plural_last(move["tail"]))
    return _match_case(name, _plural_last(lower))


def _plural_last(text: str) -> str:
    head, space, last = text.rpartition(" ")
    return f"{head}{space}{_plural_word(last)}" if last else text


def _plural_word(word: str) -> str:
    if word in _WORDS:
        return _WORDS[word]
    # Lower case on purpose: inflect treats "Carry" as a name and says "Carrys".
    return _engine().plural_noun(word)


def _word_is_plural(word: str) -> bool:
    if not word or word.endswith("ss"):
        return False
    singular = _engine().singular_noun(word)
    # inflect answers an invariant word ("scissors") with itself: not a plural to undo.
    return isinstance(singular, str) and singular != word


def _last_word(text: str) -> str:
    return text.rpartition(" ")[2]


def _match_case(original: str, changed: str) -> str:
    """`changed` (lower case) with the capitals of `original`, token by token, so
    "Single-Leg Deadlift" keeps its "L" whatever happens to the last word."""
    before = re.split(r"([\s-])", original)
    after = re.split(r"([\s-])", changed)
    if len(before) != len(after):
        return changed
    return "".join(_token_case(old, new) for old, new in zip(before, after, strict=True))


def _token_case(old: str, new: str) -> str:
    # Position by position, so an acronym keeps a lower-case plural: "RDL" -> "RDLs".
    chars = [n.upper() if i < len(old) and old[i].isupper() else n for i, n in enumerate(new)]
    return "".join(chars)


@cache
def _engine() -> inflect.engine:
    # Imported here, not at the top: inflect type-checks its own functions as it is
    # imported (typeguard), 2-5 s of every build that says no rep count, and of `--help`.
    # Building the engine compiles many regexes: once per process is enough.
    import inflect

    return inflect.engine()
