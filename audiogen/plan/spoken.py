"""Numbers and durations as a coach says them, in each phrasebook language.

Cue texts keep digits ("Round 2 of 3", "10 seconds left") for captions; the voice gets
words ("Round two of three"). Spelling the words out ourselves makes every engine say
them the same way (SAPI5, espeak and Piper disagree on "1,000" and "2.5").

English keeps the project's own spelling ("one hundred five", no "and"), so existing
clip packs and golden files stay valid; German, Spanish and French use num2words.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from num2words import num2words

# Past this, digits are read more clearly by the engine than by us.
MAX_SPOKEN = 999_999_999_999


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_EN_ONES = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = _words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_EN_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_EN_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}  # fmt: skip


@dataclass(frozen=True)
class _Style:
    """How one language writes and says numbers in running text."""

    group: str  # regex for a thousands separator
    decimal: str  # regex character class for the decimal mark
    ordinal: str  # regex for ordinal suffixes; "" when the language has none we can read
    point: str
    percent: str
    minus: str


_STYLES = {
    "en": _Style(",", r"[.]", r"(?:st|nd|rd|th)\b", "point", "percent", "minus"),
    # German and Spanish group thousands with "." ("1.000") and mark decimals with ",";
    # a "." that does not form a 3-digit group ("2.5", as in durations) is a decimal too.
    # German "1." ordinals are not read: a sentence-final number looks the same.
    "de": _Style(r"\.", r"[,.]", "", "Komma", "Prozent", "minus"),
    "es": _Style(r"\.", r"[,.]", r"\.?[ºª]", "coma", "por ciento", "menos"),
    # French groups with (narrow) no-break spaces: a plain space would join "3 10".
    "fr": _Style(
        "[\u00a0\u202f]",
        r"[,.]",
        r"(?:ères?|ers?|res?|èmes?|emes?|e)\b",
        "virgule",
        "pour cent",
        "moins",
    ),
}
LANGUAGES = tuple(_STYLES)


def _pattern(style: _Style) -> re.Pattern[str]:
    # A number standing on its own: not part of a word ("B52", "3x10" stay as written),
    # not a clock time ("1:30"); a "-" is a minus only at the start or after a space or
    # bracket, so "8-12" and "50%-60%" stay ranges.
    ordinal = f"(?P<ord>{style.ordinal})" if style.ordinal else "(?P<ord>(?!))"
    return re.compile(
        r"(?<![\w.,])(?<!\d:)"
        r"(?:(?<![^\s(\[])(?P<neg>[-\u2212])(?=\d))?"
        rf"(?P<int>\d{{1,3}}(?:{style.group}\d{{3}})+|\d+)"
        rf"(?:{style.decimal}(?P<frac>\d+))?"
        rf"(?:{ordinal}|(?P<pct>\s?%))?"
        r"(?!\w|[.,:]\d)"
    )


_PATTERNS = {language: _pattern(style) for language, style in _STYLES.items()}


def number_words(n: int, language: str) -> str:
    """A whole number in words: 42 -> "forty-two", "zweiundvierzig", "cuarenta y dos"."""
    if _known(language) == "en":
        return _english(n)
    words = str(num2words(n, lang=language))
    return _fix_spanish(words) if language == "es" else words


def _known(language: str) -> str:
    if language not in _STYLES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    return language


def _style(language: str) -> _Style:
    return _STYLES[_known(language)]


def _fix_spanish(words: str) -> str:
    # num2words says "veintiuno mil"; before "mil" the word is cut short ("veintiún mil").
    words = re.sub(r"\bveintiuno (?=mil)", "veintiún ", words)
    return re.sub(r"\buno (?=mil)", "un ", words)


def _english(n: int) -> str:
    if n < 0:
        return f"minus {_english(-n)}"
    if n < 1000:
        return _english_below_thousand(n)
    parts: list[str] = []
    for size, name in _EN_SCALES:
        count, n = divmod(n, size)
        if count:
            parts.append(f"{_english_below_thousand(count)} {name}")
    if n:
        parts.append(_english_below_thousand(n))
    return " ".join(parts)


def _english_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = f"{_EN_ONES[hundreds]} hundred" if hundreds else ""
    if rest == 0:
        return head or "zero"
    tail = _EN_ONES[rest] if rest < 20 else _EN_TENS[rest // 10]
    if rest >= 20 and rest % 10:
        tail += f"-{_EN_ONES[rest % 10]}"
    return f"{head} {tail}" if head else tail


def ordinal_words(n: int, language: str, *, feminine: bool = False) -> str:
    """3 -> "third", "troisième", "tercero" ("tercera" when `feminine`)."""
    if language != "en":
        words = str(num2words(n, lang=language, to="ordinal"))
        # num2words has no feminine ordinals for Spanish: every word ends in -o.
        if feminine and language == "es":
            return re.sub(r"o\b", "a", words)
        return re.sub(r"premier$", "première", words) if feminine else words
    words = _english(n)
    head, sep, last = words.rpartition("-" if "-" in words.split(" ")[-1] else " ")
    if last in _EN_ORDINALS:
        last = _EN_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def speak_numbers(text: str, language: str) -> str:
    """`text` with every free-standing number written as words; the rest unchanged."""
    style = _style(language)
    return _PATTERNS[language].sub(lambda match: _spoken(match, language, style), text)


def _spoken(match: re.Match[str], language: str, style: _Style) -> str:
    value = int(re.sub(r"\D", "", match["int"]))
    if value > MAX_SPOKEN:
        return match[0]
    if match["ord"]:
        # No "minus first": a dash before an ordinal is punctuation, kept as written.
        feminine = match["ord"].endswith(("ª", "re", "res"))
        return (match["neg"] or "") + ordinal_words(value, language, feminine=feminine)
    words = number_words(value, language)
    if match["frac"]:
        # Digit by digit, as the English version always did: "2.05" keeps its zero.
        digits = " ".join(number_words(int(d), language) for d in match["frac"])
        words += f" {style.point} {digits}"
    elif not match["pct"]:
        words = agree(words, value, _next_word(match), language)
    if match["pct"]:
        words += f" {style.percent}"
    return f"{style.minus} {words}" if match["neg"] else words


def _next_word(match: re.Match[str]) -> str:
    following = re.match(r"\s+([^\W\d_]+)", match.string[match.end() :])
    return following[1].lower() if following else ""


# ---- agreement: "one" before a noun -----------------------------------------------
# num2words gives the counting form ("eins", "uno", "un"); before a noun the word
# agrees with it. Only nouns the phrasebooks put after a number, plus common exercise
# nouns, are known: a user's exercise name may be any gender.

_DE_FEMININE = frozenset(
    _words("minute sekunde stunde runde wiederholung übung kniebeuge serie seite pause")
)
_DE_OTHER = frozenset(_words("satz liegestütz klimmzug ausfallschritt burpee sprung mal"))
_ES_FEMININE = frozenset(
    _words(
        "hora horas ronda rondas vez veces repetición repeticiones serie series sentadilla "
        "sentadillas flexión flexiones plancha planchas zancada zancadas dominada dominadas "
        "vuelta vueltas"
    )
)
# Words after which Spanish keeps the counting form: "Ronda 1 de 3".
_ES_NOT_NOUNS = frozenset(_words("de del a al y e o u por para con en sobre entre más menos"))
_FR_FEMININE = frozenset(
    _words(
        "minute minutes seconde secondes heure heures fois répétition répétitions série "
        "séries pompe pompes fente fentes planche planches traction tractions flexion "
        "flexions"
    )
)


def agree(words: str, value: int, noun: str, language: str) -> str:
    """`words` for `value` made to agree with the `noun` after it (lower case, or "").

    "eins" + Minute -> "eine"; "veintiuno" + segundos -> "veintiún", + horas ->
    "veintiuna"; "vingt et un" + secondes -> "vingt et une".
    """
    if language == "de" and value == 1:
        return "eine" if noun in _DE_FEMININE else "ein" if noun in _DE_OTHER else words
    if language == "es" and re.search(r"uno$", words) and noun:
        if noun in _ES_FEMININE:
            return words[:-1] + "a"
        if noun not in _ES_NOT_NOUNS:
            return re.sub(r"veintiun$", "veintiún", words[:-1])
    if language == "fr" and re.search(r"\bun$", words) and noun in _FR_FEMININE:
        return words + "e"
    return words


# ---- durations --------------------------------------------------------------------


@dataclass(frozen=True)
class DurationWords:
    """Templates for a length: each unit singular and plural with `{n}`, and `join`
    with `{first}` and `{second}` for "1 minute 30 seconds"."""

    hour: str
    hours: str
    minute: str
    minutes: str
    second: str
    seconds: str
    join: str


DURATION_WORDS: Mapping[str, DurationWords] = {
    # English joins with a space, exactly as today's format_spoken.
    "en": DurationWords("{n} hour", "{n} hours", "{n} minute", "{n} minutes",
                        "{n} second", "{n} seconds", "{first} {second}"),
    "de": DurationWords("{n} Stunde", "{n} Stunden", "{n} Minute", "{n} Minuten",
                        "{n} Sekunde", "{n} Sekunden", "{first} und {second}"),
    "es": DurationWords("{n} hora", "{n} horas", "{n} minuto", "{n} minutos",
                        "{n} segundo", "{n} segundos", "{first} y {second}"),
    "fr": DurationWords("{n} heure", "{n} heures", "{n} minute", "{n} minutes",
                        "{n} seconde", "{n} secondes", "{first} et {second}"),
}  # fmt: skip


def format_spoken(ms: int, language: str, words: DurationWords | None = None) -> str:
    """A length as a coach says it, with digits: "32 minutes", "1 minute 30 seconds",
    "1 Minute und 30 Sekunden". From 5 minutes up, seconds round to the minute.
    `words` overrides the language's unit templates (a phrasebook passes its own)."""
    units = words or DURATION_WORDS[_known(language)]
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours or minutes >= 5:
        minutes += 1 if secs >= 30 else 0
        secs = 0
    parts = [
        _count(hours, units.hour, units.hours),
        _count(minutes, units.minute, units.minutes),
        _count(secs, units.second, units.seconds),
    ]
    spoken = [p for p in parts if p]
    if not spoken:
        return units.seconds.format(n=0)
    # At most two parts survive the rounding above (hours+minutes or minutes+seconds).
    head, *tail = spoken
    for part in tail:
        head = units.join.format(first=head, second=part)
    return head


def _count(n: int, singular: str, plural: str) -> str:
    if n == 0:
        return ""
    return (singular if n == 1 else plural).format(n=n)
