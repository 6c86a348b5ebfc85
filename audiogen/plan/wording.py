"""What a cue shows and what the voice says: the phrasebook's templates filled in, with
`pronounce` applied to everything spoken except `say`, which is spoken as written.

Captions, chapters and tags use `Words.text`; the engine gets `Words.spoken` (numbers
become words later, in the speech stage, in the workout's language).
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from audiogen.plan.phrasebook import Phrasebook
from audiogen.workout.model import Reps


@dataclass(frozen=True)
class Words:
    """A phrase as the captions show it and as the voice says it."""

    text: str
    spoken: str


Field = Words | str | int


@dataclass(frozen=True)
class Wording:
    """The workout's phrasebook and its `pronounce` table, applied together."""

    book: Phrasebook
    pronounce: tuple[tuple[str, str], ...] = ()

    def said(self, text: str) -> str:
        """`text` with every word in `pronounce` replaced by how it is said. A plural
        "s" after a listed word is kept: "RDLs" with `RDL: R D L` is "R D Ls"."""
        if not self.pronounce:
            return text
        table = dict(self.pronounce)
        return _pattern(self.pronounce).sub(lambda m: table[m[1]] + m[2], text)

    def plain(self, text: str) -> Words:
        return Words(text, self.said(text))

    def named(self, text: str, say: str | None) -> Words:
        """A name, spoken as its `say` when it has one."""
        return Words(text, say) if say else self.plain(text)

    def phrase(self, key: str, **fields: Field) -> Words:
        """The phrasebook's `key` filled in: captions get each field's text, the voice
        its spoken form, with the template's own words pronounced too."""
        text = self.book.say(key, **{k: _text(v) for k, v in fields.items()})
        return Words(text, self.fill_spoken(self.book.phrases[key], fields))

    def template(self, template: str, **fields: Field) -> Words:
        """A user's template (an intro or outro) filled in like a phrase."""
        text = template.format(**{k: _text(v) for k, v in fields.items()})
        return Words(text, self.fill_spoken(template, fields))

    def fill_spoken(self, template: str, fields: dict[str, Field]) -> str:
        parts = string.Formatter().parse(template)
        return "".join(
            self.said(literal) + (_spoken(fields[name]) if name is not None else "")
            for literal, name, _, _ in parts
        )

    def duration(self, ms: int) -> Words:
        return self.plain(self.book.duration(ms))

    def with_reps(self, name: Words, reps: Reps, say: str | None) -> Words:
        """Count and name: "10 Calf Raises" (rule 7: never plural twice). A `say` is
        spoken exactly as written after the count, never made plural."""
        text = self.book.with_reps(name.text, reps)
        if not say:
            return Words(text, self.said(text))
        count = str(reps) if isinstance(reps, int) else self._range(reps)
        return Words(text, self.book.say("reps", reps=count, name=say))

    def _range(self, reps: tuple[int, int]) -> str:
        return self.book.say("rep_range", low=reps[0], high=reps[1])

    def join(self, items: Sequence[Words]) -> Words:
        """A list as a sentence part: "quads, glutes and core"."""
        return Words(
            self.book.join([i.text for i in items]), self.book.join([i.spoken for i in items])
        )


def _text(value: Field) -> str:
    return value.text if isinstance(value, Words) else str(value)


def _spoken(value: Field) -> str:
    return value.spoken if isinstance(value, Words) else str(value)


@cache
def _pattern(pairs: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    # Whole words only, longest first (the loader sorts them), with an optional plural.
    words = "|".join(re.escape(word) for word, _ in pairs)
    return re.compile(rf"(?<!\w)({words})((?:e?s)?)(?!\w)")
