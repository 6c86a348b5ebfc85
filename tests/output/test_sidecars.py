"""Sidecar files: timeline JSON, WebVTT captions and LRC lyrics, checked to the character."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from audiogen.output.naming import chapter_title, interval_title
from audiogen.output.sidecars import (
    lrc,
    lrc_time,
    timeline_json,
    vtt_time,
    webvtt,
    write_sidecars,
)
from audiogen.plan.phrasebook import english_titles, load_phrasebook
from audiogen.plan.timeline import Cue, CueKind, Interval, IntervalKind, Role, Side, Timeline

W, S = IntervalKind.WORK, CueKind.SPEECH
TINY = Timeline(
    title="Tiny",
    duration_ms=65_432,
    intervals=(
        Interval(0, 5000, IntervalKind.LEAD_IN),
        Interval(5000, 35_000, W, "Plank", "Core", 1, 1),
        Interval(35_000, 45_000, IntervalKind.REST),
        Interval(45_000, 60_000, W, "Side Plank", "Core", 2, 2, Side.LEFT),
        Interval(60_000, 65_432, IntervalKind.OUTRO),
    ),
    cues=(
        Cue(500, 2750, S, Role.INTRO, "Welcome to Tiny."),
        Cue(2000, 2150, CueKind.BEEP, Role.COUNTDOWN),
        Cue(3000, 4200, S, Role.NAME, "First up: Plank"),
        Cue(25_000, 26_234, S, Role.TIME_LEFT, "10 seconds left"),
        Cue(36_005, 37_500, S, Role.NAME, "Next up: Side Plank"),
        Cue(60_500, 62_999, S, Role.OUTRO, "Workout complete."),
    ),
)

TINY_VTT = """\
WEBVTT - Tiny

cue000
00:00:00.500 --> 00:00:02.750
Welcome to Tiny.

cue001
00:00:03.000 --> 00:00:04.200
First up: Plank

ch000
00:00:05.000 --> 00:00:35.000 line:0
Plank

cue002
00:00:25.000 --> 00:00:26.234
10 seconds left

cue003
00:00:36.005 --> 00:00:37.500
Next up: Side Plank

ch001
00:00:45.000 --> 00:01:00.000 line:0
Round 2: Side Plank (left)

cue004
00:01:00.500 --> 00:01:02.999
Workout complete.
"""

TINY_LRC = """\
[ti:Tiny]
[length:01:05]
[00:00.00]— Get ready —
[00:00.50]Welcome to Tiny.
[00:03.00]First up: Plank
[00:05.00]— Plank —
[00:25.00]10 seconds left
[00:35.00]— Rest —
[00:36.00]Next up: Side Plank
[00:45.00]— Round 2: Side Plank (left) —
[01:00.00]— Done —
[01:00.50]Workout complete.
"""


def test_chapter_titles() -> None:
    en = english_titles()
    squat = Interval(0, 1, W, "Front Squat", "B", 1, 1)
    assert chapter_title(squat, en) == "Front Squat"
    deadlift = Interval(0, 1, W, "Single-Leg Deadlift", "B", 1, 1, Side.LEFT)
    assert chapter_title(deadlift, en) == "Single-Leg Deadlift (left)"
    assert chapter_title(Interval(0, 1, W, "Front Squat", "B", 2, 3), en) == "Round 2: Front Squat"


# The lead-in, a side in round 2 of 3, the other side in a one-round block, a rest, the outro.
TITLED = {
    "en": ["Get ready", "Round 2: Lunge (right)", "Lunge (left)", "Rest", "Done"],
    "de": ["Mach dich bereit", "Runde 2: Lunge (rechts)", "Lunge (links)", "Pause", "Geschafft"],
    "es": [
        "Prepárate",
        "Ronda 2: Lunge (lado derecho)",
        "Lunge (lado izquierdo)",
        "Descanso",
        "Terminado",
    ],
    "fr": ["Prépare-toi", "Tour 2 : Lunge (côté droit)", "Lunge (côté gauche)", "Repos", "Terminé"],
}


@pytest.mark.parametrize(("language", "expected"), TITLED.items())
def test_intervals_are_titled_in_the_phrasebook_language(
    language: str, expected: list[str]
) -> None:
    titles = load_phrasebook(language).titles
    intervals = [
        Interval(0, 1, IntervalKind.LEAD_IN),
        Interval(1, 2, W, "Lunge", "B", 2, 3, Side.RIGHT),
        Interval(2, 3, W, "Lunge", "B", 1, 1, Side.LEFT),
        Interval(3, 4, IntervalKind.REST),
        Interval(4, 5, IntervalKind.OUTRO),
    ]
    assert [interval_title(i, titles) for i in intervals] == expected


def test_a_user_phrasebook_retitles_the_chapters(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text('title_right: "{name}, R"\ntitle_rest: "Breathe"\n')
    titles = load_phrasebook("en", tmp_path / "mine.yaml").titles
    assert chapter_title(Interval(0, 1, W, "Lunge", "B", 1, 1, Side.RIGHT), titles) == "Lunge, R"
    assert interval_title(Interval(0, 1, IntervalKind.REST), titles) == "Breathe"


def test_json_is_the_timeline_object() -> None:
    text = timeline_json(TINY)
    assert text.endswith("}\n")
    assert json.loads(text) == TINY.to_json()
    assert '\n  "duration": 65.432,\n' in text
    assert '      "side": "left"\n' in text


def test_webvtt_of_a_tiny_timeline() -> None:
    assert webvtt(TINY) == TINY_VTT


def test_lrc_of_a_tiny_timeline() -> None:
    assert lrc(TINY) == TINY_LRC


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "00:00:00.000"), (61_001, "00:01:01.001"), (3_723_004, "01:02:03.004"),
     (36_000_000 - 1, "09:59:59.999"), (360_000_000, "100:00:00.000")],
)  # fmt: skip
def test_vtt_time(ms: int, text: str) -> None:
    assert vtt_time(ms) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "00:00.00"), (36_005, "00:36.00"), (59_999, "00:59.99"), (3_723_456, "62:03.45")],
)
def test_lrc_time_rounds_down_to_hundredths(ms: int, text: str) -> None:
    assert lrc_time(ms) == text


VTT_TIMING = re.compile(r"(\d{2,}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2,}):(\d{2}):(\d{2})\.(\d{3})")


def vtt_ms(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def assert_valid_webvtt(text: str) -> None:
    """The file-level rules players rely on: header, id/timing/text blocks, cues in
    start order, each ending after it starts, no arrow or blank line inside a text."""
    header, *blocks = text.rstrip("\n").split("\n\n")
    assert header.startswith("WEBVTT") and "\n" not in header and "-->" not in header[6:]
    last_start = 0
    for block in blocks:
        identifier, timing, *lines = block.split("\n")
        assert "-->" not in identifier and lines
        match = VTT_TIMING.match(timing)
        assert match, timing
        start, end = vtt_ms(*match.groups()[:4]), vtt_ms(*match.groups()[4:])
        assert last_start <= start < end
        last_start = start
        assert all(line.strip() and "-->" not in line and "<" not in line for line in lines)


def test_webvtt_escapes_markup_and_stays_valid_past_an_hour() -> None:
    hour = 3_600_000
    timeline = Timeline(
        title="Long --> one\nday",
        duration_ms=2 * hour,
        intervals=(Interval(hour, hour + 40_000, W, "Tuck & Roll", "B", 1, 1),),
        cues=(
            Cue(hour + 1000, hour + 1000, S, Role.TIP, "Knees <in>\n\nback --> round"),
            Cue(hour + 500, hour + 900, S, Role.NAME, "Tuck & Roll"),
        ),
    )
    text = webvtt(timeline)
    assert_valid_webvtt(text)
    assert text.startswith("WEBVTT - Long -> one day\n\n")
    assert "01:00:00.000 --> 01:00:40.000 line:0\nTuck &amp; Roll\n" in text
    # A zero-length cue gets one millisecond, so no player drops it.
    assert "01:00:01.000 --> 01:00:01.001\nKnees &lt;in&gt; back --&gt; round\n" in text


def test_tiny_webvtt_is_valid() -> None:
    assert_valid_webvtt(webvtt(TINY))


def test_lrc_keeps_each_entry_on_one_line() -> None:
    timeline = Timeline("Two\nlines", 1000, (), (Cue(0, 500, S, Role.INTRO, "Hello\nthere"),))
    assert lrc(timeline) == "[ti:Two lines]\n[length:00:01]\n[00:00.00]Hello there\n"


def test_write_sidecars_beside_the_mp3(tmp_path: Path) -> None:
    mp3 = tmp_path / "tiny.mp3"
    (tmp_path / "tiny.vtt").write_text("an earlier version")
    paths = write_sidecars(mp3, TINY)
    assert paths == [tmp_path / "tiny.json", tmp_path / "tiny.vtt", tmp_path / "tiny.lrc"]
    assert paths[0].read_text(encoding="utf-8") == timeline_json(TINY)
    assert paths[1].read_text(encoding="utf-8") == TINY_VTT
    assert paths[2].read_text(encoding="utf-8") == TINY_LRC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.json", "tiny.lrc", "tiny.vtt"]
