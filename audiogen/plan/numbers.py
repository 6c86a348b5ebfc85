"""Numbers in cue texts, written out as a coach says them.

The timeline shows "Round 2 of 3" and "10 seconds left"; the voice says "Round two of
three" and "ten seconds left". Spelling the words out ourselves makes every engine say
them the same way (SAPI5 and espeak disagree on "1,000" and "2.5"), and lets a clip
pack name its files either way (`10-seconds-left.wav` or `ten-seconds-left.wav`).

Pure: no I/O.
"""

from __future__ import annotations

import re

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
# Past this, digits are read more clearly by the engine than by us.
MAX_SPOKEN = 999_999_999_999

_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}

# A number standing on its own: not part of a word ("B52", "3x10" stay as written),
# not a clock time ("1:30"), optionally with thousands commas, a decimal part, an
# ordinal suffix or a percent sign.
_NUMBER = re.compile(
    r"(?<![\w.,])(?<!\d:)"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?"
    r"(?:(?P<ord>st|nd|rd|th)\b|(?P<pct>%))?"
    r"(?!\w|[.,:]\d)"
)


def number_words(n: int) -> str:
    """A whole number in words: 42 -> "forty-two", 1500 -> "one thousand five hundred"."""
    if n < 0:
        return f"minus {number_words(-n)}"
    if n < 1000:
        return _below_thousand(n)
    parts: list[str] = []
    for size, name in _SCALES:
        count, n = divmod(n, size)
        if count:
            parts.append(f"{_below_thousand(count)} {name}")
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = f"{_ONES[hundreds]} hundred" if hundreds else ""
    if rest == 0:
        return head or "zero"
    tail = _ONES[rest] if rest < 20 else _TENS[rest // 10]
    if rest >= 20 and rest % 10:
        tail += f"-{_ONES[rest % 10]}"
    return f"{head} {tail}" if head else tail


def ordinal_words(n: int) -> str:
    """3 -> "third", 21 -> "twenty-first", 100 -> "one hundredth"."""
    words = number_words(n)
    head, sep, last = words.rpartition("-" if "-" in words.split(" ")[-1] else " ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def speak_numbers(text: str) -> str:
    """`text` with every free-standing number written as words; the rest unchanged."""
    return _NUMBER.sub(_spoken, text)


def _spoken(match: re.Match[str]) -> str:
    value = int(match["int"].replace(",", ""))
    if value > MAX_SPOKEN:
        return match[0]
    if match["ord"]:
        return ordinal_words(value)
    words = number_words(value)
    if match["frac"]:
        words += " point " + " ".join(_ONES[int(d)] for d in match["frac"])
    if match["pct"]:
        words += " percent"
    return words
