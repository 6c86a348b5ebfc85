import pytest

from audiogen.workout.durations import format_clock, parse_duration


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        (40, 40_000),
        (0, 0),
        (2.5, 2_500),
        ("40", 40_000),
        ("40s", 40_000),
        ("2m", 120_000),
        ("1m30s", 90_000),
        ("1:30", 90_000),
        ("1:02:03", 3_723_000),
        ("2.5s", 2_500),
        ("1h", 3_600_000),
        ("750ms", 750),
        (" 1m 30s ", 90_000),
    ],
)
def test_every_spelling_of_the_spec_parses(text: object, ms: int) -> None:
    assert parse_duration(text) == ms


@pytest.mark.parametrize("bad", ["", "fourty", "40x", "s40", "1:3:", "-5", True, None, [40]])
def test_non_durations_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_negative_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_duration(-5)


@pytest.mark.parametrize(
    ("ms", "clock"),
    [(0, "0:00"), (65_250, "1:05.250"), (3_723_000, "1:02:03"), (40_000, "0:40")],
)
def test_format_clock(ms: int, clock: str) -> None:
    assert format_clock(ms) == clock
