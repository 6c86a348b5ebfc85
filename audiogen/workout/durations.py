"""Durations (and levels in dB) as the user writes them, and as people read them.

Inside the program every time is an integer number of milliseconds.
"""

from __future__ import annotations

import math
import re

from audiogen.workout.schema import MAX_TRACK_MS

MAX_DURATION_HOURS = MAX_TRACK_MS // 3_600_000

_UNIT_MS = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}
_UNITS = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_DB = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(?:db)?\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)")

# The same spellings as regular expressions both Python and JSON Schema (ECMA 262)
# understand, for the JSON Schema of the workout format. Spaces are allowed between the
# parts; the parser, more lenient still, ignores them anywhere.
_NUMBER = r"\d+(\.\d+)?"
_UNIT = r"([mM][sS]|[hHmMsS])"
DURATION_PATTERN = (
    rf"^\s*({_NUMBER}|(\d+ *: *)?\d+ *: *\d{{1,2}}(\.\d+)?|({_NUMBER} *{_UNIT} *)+)\s*$"
)
DB_PATTERN = rf"^\s*[+-]?{_NUMBER}\s*([dD][bB])?\s*$"


def parse_duration(value: object) -> int:
    """Return milliseconds for `40`, `40s`, `2m`, `1m30s`, `1:30`, `2.5s`, `1h`.

    Raises ValueError with a short reason when the value is not a duration
    (a string of digits so long it reads as infinity included).
    """
    if isinstance(value, bool):
        raise ValueError("expected a duration, got a boolean")
    if isinstance(value, int | float):
        return _non_negative(_finite_ms(float(value)))
    if not isinstance(value, str):
        raise ValueError(f"expected a duration, got {type(value).__name__}")
    text = value.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _non_negative(_finite_ms(float(text)))
    clock = _CLOCK.fullmatch(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
        return _finite_ms(total)
    return _parse_units(text, value)


def _parse_units(text: str, original: str) -> int:
    pos, total = 0, 0.0
    for match in _UNITS.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_MS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise ValueError(f"{original!r} is not a duration")
    return _finite_ms(total / 1000)


def _finite_ms(seconds: float) -> int:
    # A long string of digits reads as infinity; rounding that would raise OverflowError.
    if not math.isfinite(seconds):
        raise ValueError("that is not a finite length of time")
    return round(seconds * 1000)


def check_length(ms: int) -> int:
    """`ms`, unless longer than the longest track: anything longer is a mistake."""
    if ms > MAX_TRACK_MS:
        raise ValueError(f"that is longer than {MAX_DURATION_HOURS} hours, the longest track")
    return ms


def _non_negative(ms: int) -> int:
    if ms < 0:
        raise ValueError("a duration cannot be negative")
    return ms


def format_clock(ms: int) -> str:
    """`1:05.250`-style clock for tables; hours appear only when needed."""
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    head = f"{hours}:{minutes:02d}" if hours else f"{minutes}"
    tail = f".{millis:03d}" if millis else ""
    return f"{head}:{secs:02d}{tail}"


def parse_db(value: str | float) -> float:
    """'-18dB', '-18 dB', '-18' or -18 -> -18.0. Raises ValueError otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        level = float(value)
    elif match := _DB.match(str(value)):
        level = float(match[1])
    else:
        raise ValueError(f"{value!r} is not a level in dB (write it like -18dB)")
    if not math.isfinite(level):
        raise ValueError(f"{value!r} is not a finite level")
    return level
