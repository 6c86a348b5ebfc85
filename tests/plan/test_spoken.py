"""Numbers and durations in words, per language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.plan.spoken import (
    LANGUAGES,
    format_spoken,
    number_words,
    ordinal_words,
    speak_numbers,
)

# ---- English: ported from tests/test_numbers.py, output unchanged ----------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (40, "forty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (1000, "one thousand"),
        (1500, "one thousand five hundred"),
        (2_000_019, "two million nineteen"),
    ],
)
def test_english_number_words(n: int, words: str) -> None:
    assert number_words(n, "en") == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "first"), (2, "second"), (3, "third"), (12, "twelfth"), (20, "twentieth"),
     (21, "twenty-first"), (100, "one hundredth")],
)  # fmt: skip
def test_english_ordinal_words(n: int, words: str) -> None:
    assert ordinal_words(n, "en") == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Round 2 of 3.", "Round two of three."),
        ("10 seconds left", "ten seconds left"),
        ("Welcome to Legs. 40 seconds in total.", "Welcome to Legs. forty seconds in total."),
        ("Next up: 8 Burpees", "Next up: eight Burpees"),
        ("Minute 3 of 10: Squat", "Minute three of ten: Squat"),
        ("1 minute 30 seconds left", "one minute thirty seconds left"),
        ("Hold for 2.5 seconds", "Hold for two point five seconds"),
        ("1,000 steps at 100% effort", "one thousand steps at one hundred percent effort"),
        ("the 1st and the 22nd", "the first and the twenty-second"),
        # New: a free-standing minus sign; a dash between numbers stays a range.
        ("Hold at -5 degrees", "Hold at minus five degrees"),
        ("8-12 Dips", "eight-twelve Dips"),
        ("50%-60% effort", "fifty percent-sixty percent effort"),
        ("the -2nd", "the -second"),
    ],
)
def test_english_numbers_in_cues_become_words(text: str, spoken: str) -> None:
    assert speak_numbers(text, "en") == spoken


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", ["3x10 reps", "B52 bomber", "at 1:30", "v1.2.3", "Halfway"])
def test_numbers_inside_words_and_times_stay_as_written(text: str, language: str) -> None:
    assert speak_numbers(text, language) == text


# ---- German, Spanish, French ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        ("de", "Runde 2 von 3.", "Runde zwei von drei."),
        ("de", "Runde 1 von 3.", "Runde eins von drei."),
        ("de", "Noch 1 Minute", "Noch eine Minute"),
        ("de", "Noch 21 Sekunden", "Noch einundzwanzig Sekunden"),
        ("de", "45 Sekunden", "fünfundvierzig Sekunden"),
        ("de", "2,5 Sekunden", "zwei Komma fünf Sekunden"),
        ("de", "2.5 Sekunden", "zwei Komma fünf Sekunden"),
        ("de", "1.000 Schritte bei 100 %", "eintausend Schritte bei einhundert Prozent"),
        ("de", "-3 Grad", "minus drei Grad"),
        ("es", "Ronda 1 de 3.", "Ronda uno de tres."),
        ("es", "1 minuto para terminar", "un minuto para terminar"),
        ("es", "21 segundos", "veintiún segundos"),
        ("es", "31 segundos", "treinta y un segundos"),
        ("es", "1 hora", "una hora"),
        ("es", "21 horas", "veintiuna horas"),
        ("es", "21000 pasos", "veintiún mil pasos"),
        ("es", "2,5 segundos", "dos coma cinco segundos"),
        ("es", "la 1ª y el 2º", "la primera y el segundo"),
        ("es", "100%", "cien por ciento"),
        ("fr", "Tour 1 sur 3.", "Tour un sur trois."),
        ("fr", "Encore 1 minute", "Encore une minute"),
        ("fr", "21 secondes", "vingt et une secondes"),
        ("fr", "1 seconde", "une seconde"),
        ("fr", "71 burpees", "soixante et onze burpees"),
        ("fr", "80 secondes", "quatre-vingts secondes"),
        ("fr", "2,5 secondes", "deux virgule cinq secondes"),
        ("fr", "10\u00a0000 pas", "dix mille pas"),
        ("fr", "le 1er et la 1re", "le premier et la première"),
        ("fr", "-5", "moins cinq"),
    ],
)
def test_numbers_in_cues_become_words(language: str, text: str, spoken: str) -> None:
    assert speak_numbers(text, language) == spoken


def test_an_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown language 'it'"):
        speak_numbers("1", "it")


@given(st.sampled_from(LANGUAGES), st.integers(min_value=-(10**9), max_value=10**9))
def test_every_number_is_spoken_without_digits(language: str, n: int) -> None:
    words = speak_numbers(f"{n} s", language)
    assert not any(c.isdigit() for c in words)
    assert words.endswith(" s")


@given(
    st.sampled_from(LANGUAGES),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=999),
)
def test_decimals_are_spoken_without_digits(language: str, whole: int, frac: int) -> None:
    assert not any(c.isdigit() for c in speak_numbers(f"{whole}.{frac} s", language))


# ---- durations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ms", "spoken"),
    [
        (40_000, "40 seconds"),
        (90_000, "1 minute 30 seconds"),
        (1_910_000, "32 minutes"),
        (3_600_000, "1 hour"),
        (0, "0 seconds"),
        (1000, "1 second"),
    ],
)
def test_english_durations_match_todays(ms: int, spoken: str) -> None:
    assert format_spoken(ms, "en") == spoken


@pytest.mark.parametrize(
    ("language", "ms", "spoken"),
    [
        ("de", 90_000, "1 Minute und 30 Sekunden"),
        ("de", 60_000, "1 Minute"),
        ("de", 3_900_000, "1 Stunde und 5 Minuten"),
        ("es", 90_000, "1 minuto y 30 segundos"),
        ("es", 7_200_000, "2 horas"),
        ("fr", 90_000, "1 minute et 30 secondes"),
        ("fr", 1000, "1 seconde"),
    ],
)
def test_durations_per_language(language: str, ms: int, spoken: str) -> None:
    assert format_spoken(ms, language) == spoken


@pytest.mark.parametrize(
    ("language", "spoken"),
    [("de", "eine Minute und dreißig Sekunden"), ("es", "un minuto y treinta segundos"),
     ("fr", "une minute et trente secondes")],
)  # fmt: skip
def test_a_spoken_duration_agrees_with_its_units(language: str, spoken: str) -> None:
    assert speak_numbers(format_spoken(90_000, language), language) == spoken
