"""Every built-in phrase, in the workout's language, with the user's overrides.

A phrasebook is a YAML file: a `meta` section (`language`, `default_voice`,
`natural_voice`) and a flat mapping of phrase keys to str.format templates with named
fields ("Round {round} of {rounds}."). One ships per language in
`audiogen.data.phrases`; a user file of the same shape overrides any key, but must keep
the key's fields, so a typo fails when the workout loads and not halfway through a build.

Only `load_phrasebook` reads anything; the `Phrasebook` it returns is immutable.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml

from audiogen.core.resources import data_dir
from audiogen.plan.plurals import Reps, RepWords, with_reps
from audiogen.plan.spoken import DurationWords, format_spoken
from audiogen.workout.schema import LANGUAGES

_META_KEYS = frozenset({"language", "default_voice", "natural_voice"})


class PhrasebookError(ValueError):
    """A phrasebook entry that cannot be used; `key` names it (None: the whole file)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Titles:
    """What the output files call the parts of a track, in the workout's language: the
    phrasebook's `title_*` phrases, shown in chapters, captions, lyrics and split files,
    never spoken. `right`, `left` and `round` are templates ("{name} (right)")."""

    lead_in: str
    rest: str
    outro: str
    right: str
    left: str
    round: str

    def side(self, name: str, side: str) -> str:
        """'Side Plank (left)': `side` is "right" or "left", as the timeline has it."""
        return {"right": self.right, "left": self.left}[side].format(name=name)

    def in_round(self, name: str, round: int | None) -> str:
        """'Round 2: Front Squat'."""
        return self.round.format(name=name, round=round)


@dataclass(frozen=True)
class Phrasebook:
    language: str
    default_voice: str
    natural_voice: str | None
    # Read-only view; not hashed, a mapping has no hash.
    phrases: Mapping[str, str] = field(hash=False, repr=False)

    def say(self, key: str, **fields: object) -> str:
        """The phrase `key` with its fields filled in: say("round", round=2, rounds=3)."""
        template = self._template(key)
        missing = template_fields(template) - fields.keys()
        if missing:
            raise PhrasebookError(
                f"phrase {key!r} needs {_listed(template_fields(template))}; "
                f"missing {_listed(missing)}",
                key,
            )
        return template.format(**fields)

    def fields(self, key: str) -> frozenset[str]:
        """The named fields of phrase `key`."""
        return template_fields(self._template(key))

    def duration(self, ms: int) -> str:
        """A length in this book's words: "1 minute 30 seconds"."""
        return format_spoken(ms, self.language, self.duration_words)

    def with_reps(self, name: str, reps: Reps) -> str:
        """Count and name, plural where it should be: "10 Calf Raises", "8 to 12 Dips"."""
        words = RepWords(self.phrases["reps"], self.phrases["rep_range"])
        return with_reps(name, reps, self.language, words)

    def join(self, items: Sequence[str]) -> str:
        """A list as a sentence part: "quads, glutes and core"."""
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        text = self.say("list_and", items=", ".join(items[:-1]), last=items[-1])
        if self.language == "es":
            # Spanish "y" turns "e" before an "i" sound: "glúteos e isquiotibiales".
            text = re.sub(r"\by (?=[hH]?[iIíÍ](?![aeiouáéíóú]))", "e ", text)
        return text

    @property
    def titles(self) -> Titles:
        """The `title_*` phrases, as the output files use them."""
        p = self.phrases
        return Titles(
            lead_in=p["title_lead_in"],
            rest=p["title_rest"],
            outro=p["title_outro"],
            right=p["title_right"],
            left=p["title_left"],
            round=p["title_round"],
        )

    @property
    def duration_words(self) -> DurationWords:
        p = self.phrases
        return DurationWords(
            hour=p["duration_hour"],
            hours=p["duration_hours"],
            minute=p["duration_minute"],
            minutes=p["duration_minutes"],
            second=p["duration_second"],
            seconds=p["duration_seconds"],
            join=p["duration_join"],
        )

    def _template(self, key: str) -> str:
        try:
            return self.phrases[key]
        except KeyError:
            raise PhrasebookError(f"no phrase {key!r}", key) from None


def load_phrasebook(language: str, override: Path | None = None) -> Phrasebook:
    """The built-in phrasebook for `language`, with the entries of `override` on top.

    Raises PhrasebookError (a ValueError) naming the key for an unknown key, a template
    whose fields differ from the built-in one's, or a file that is not a phrasebook.
    """
    book = _builtin(language)
    if override is None:
        return book
    text = override.read_text(encoding="utf-8")
    return apply_override(book, _parse(text, str(override)))


def apply_override(book: Phrasebook, entries: Mapping[str, object]) -> Phrasebook:
    """`book` with `entries` (a parsed user phrasebook) replacing its phrases. Pure."""
    meta = entries.get("meta")
    if meta is not None:
        _check_override_meta(meta, book.language)
    phrases = dict(book.phrases)
    for key, value in entries.items():
        if key != "meta":
            phrases[key] = _checked_override(key, value, book)
    return Phrasebook(
        book.language, book.default_voice, book.natural_voice, MappingProxyType(phrases)
    )


def english_titles() -> Titles:
    """The built-in English titles: those of a timeline made without a plan's."""
    return _builtin("en").titles


def template_fields(template: str) -> frozenset[str]:
    """The named fields of a template: "Round {round} of {rounds}." -> {round, rounds}."""
    names: set[str] = set()
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        # Plain names only: "{0}", "{a.b}" or "{x!r}" would break or leak Python into speech.
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}}} is not a plain named field like {{name}}")
        names.add(name)
    return frozenset(names)


# ---- loading ----------------------------------------------------------------------


@cache
def _builtin(language: str) -> Phrasebook:
    if language not in LANGUAGES:
        raise PhrasebookError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    text = (data_dir("phrases") / f"{language}.yaml").read_text(encoding="utf-8")
    data = _parse(text, f"{language}.yaml")
    meta = data.get("meta")
    if not isinstance(meta, dict) or set(meta) != _META_KEYS:
        raise PhrasebookError(f"{language}.yaml: meta needs {_listed(_META_KEYS)}", "meta")
    phrases = {k: v for k, v in data.items() if k != "meta" and isinstance(v, str)}
    if len(phrases) != len(data) - 1:
        raise PhrasebookError(f"{language}.yaml: every phrase must be a string")
    return Phrasebook(
        language=str(meta["language"]),
        default_voice=str(meta["default_voice"]),
        natural_voice=None if meta["natural_voice"] is None else str(meta["natural_voice"]),
        phrases=MappingProxyType(phrases),
    )


def _parse(text: str, where: str) -> dict[str, object]:
    data = yaml.safe_load(text)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise PhrasebookError(f"{where}: a phrasebook is a mapping of phrase keys to text")
    return data


def _check_override_meta(meta: object, language: str) -> None:
    # Voices are chosen with the workout's `voice`; an override only says its language,
    # which must match, so a French file on a German workout fails early.
    if not isinstance(meta, dict) or set(meta) - {"language"}:
        raise PhrasebookError("meta in a user phrasebook may only hold `language`", "meta")
    if meta.get("language", language) != language:
        raise PhrasebookError(
            f"this phrasebook is for {meta['language']!r}, the workout speaks {language!r}",
            "meta",
        )


def _checked_override(key: str, value: object, book: Phrasebook) -> str:
    if key not in book.phrases:
        raise PhrasebookError(f"unknown phrase {key!r}{_nearest(key, book.phrases)}", key)
    expected = book.fields(key)
    if not isinstance(value, str):
        raise PhrasebookError(f"phrase {key!r} must be text", key)
    try:
        found = template_fields(value)
    except ValueError as error:
        raise PhrasebookError(f"phrase {key!r}: {error}", key) from None
    if found != expected:
        raise PhrasebookError(
            f"phrase {key!r} must use the fields {_listed(expected)}, found {_listed(found)}",
            key,
        )
    return value


def _nearest(key: str, known: Mapping[str, str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _listed(names: frozenset[str] | set[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names)) or "no fields"
