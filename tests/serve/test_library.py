"""Reading tracks from sidecars, and what the page shows when: pure functions."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from audiogen.output.sidecars import timeline_json
from audiogen.plan.timeline import Cue, CueKind, Interval, IntervalKind, Role, Side, Timeline
from audiogen.serve.library import Library, Track, chapters, moment_at, read_track

W, R, L = IntervalKind.WORK, IntervalKind.REST, IntervalKind.LEAD_IN
TIMELINE = Timeline(
    "Tiny",
    30_000,
    (
        Interval(0, 5_000, L),
        Interval(5_000, 15_000, W, "Lunge", "Main", 1, 2, Side.RIGHT),
        Interval(15_000, 20_000, R),
        Interval(20_000, 30_000, W, "Squat", "Main", 2, 2),
    ),
    (
        Cue(1_000, 2_000, CueKind.SPEECH, Role.NAME, "First up: Lunge"),
        Cue(12_000, 13_000, CueKind.SPEECH, Role.TIME_LEFT, "3 seconds left"),
        Cue(12_500, 12_700, CueKind.BEEP, Role.COUNTDOWN),
        Cue(17_000, 18_000, CueKind.SPEECH, Role.NAME, "Next up: Squat"),
    ),
)


def old_track(tmp_path: Path) -> Path:
    """A track whose sidecar predates format_version: the timeline object alone."""
    (tmp_path / "tiny.mp3").write_bytes(b"\xff\xfb" + bytes(998))
    (tmp_path / "tiny.json").write_text(timeline_json(TIMELINE))
    return tmp_path / "tiny.json"


def test_an_old_sidecar_still_makes_a_track(tmp_path: Path) -> None:
    track = read_track(tmp_path, old_track(tmp_path))
    assert track is not None
    assert (track.size, track.title, track.author) == (1000, "Tiny", None)
    assert track.sha256 == hashlib.sha256((tmp_path / "tiny.mp3").read_bytes()).hexdigest()
    assert track.intervals == TIMELINE.intervals


def test_a_stale_checksum_in_the_sidecar_is_not_trusted(tmp_path: Path) -> None:
    sidecar = old_track(tmp_path)
    about = {"audio": {"file": "tiny.mp3", "size": 5, "sha256": "0" * 64}}
    sidecar.write_text(timeline_json(TIMELINE, about))
    track = read_track(tmp_path, sidecar)
    assert track is not None and track.sha256 != "0" * 64


def test_json_that_is_not_a_timeline_is_no_track(tmp_path: Path) -> None:
    old_track(tmp_path)
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}))
    shutil.copy(tmp_path / "tiny.json", tmp_path / "lonely.json")  # no audio beside it
    assert [t.stem for t in Library(tmp_path).tracks()] == ["tiny"]


def test_the_moment_in_a_work_interval() -> None:
    track = read_track_from(TIMELINE)
    now = moment_at(track, 7_300)
    assert (now.panel.exercise, now.panel.side, now.panel.round) == (
        "Lunge",
        "Right side",
        "Round 1 of 2",
    )
    assert now.left == 8  # 7.7 s left reads 8, as a countdown
    assert now.panel.next == "Rest 5 s, then Squat"
    assert now.caption == "First up: Lunge"  # said in the lead-in, shown through the move


def test_the_moment_in_a_rest_shows_rest_and_its_own_caption() -> None:
    track = read_track_from(TIMELINE)
    assert moment_at(track, 15_500).caption == ""  # not the last move's "3 seconds left"
    now = moment_at(track, 18_000)
    assert (now.panel.exercise, now.left, now.panel.next) == ("Rest", 2, "Squat")
    assert now.caption == "Next up: Squat"


def test_before_the_start_and_after_the_end() -> None:
    track = read_track_from(TIMELINE)
    assert moment_at(track, -1_000).panel.exercise == "Get ready"
    end = moment_at(track, 99_000)
    assert (end.panel.exercise, end.left, end.progress) == ("Squat", 0, 1.0)


def test_chapters_list_work_and_hide_the_rest_from_the_table_of_contents() -> None:
    document = chapters(read_track_from(TIMELINE))
    assert document["version"] == "1.2.0"
    titles = [(c["title"], c.get("toc", True)) for c in document["chapters"]]
    assert titles == [
        ("Get ready", False),
        ("Round 1: Lunge (right)", True),
        ("Rest", False),
        ("Round 2: Squat", True),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Mach dich bereit", "Runde 1: Lunge (rechts)", "Pause", "Runde 2: Squat"]),
        ("fr", ["Prépare-toi", "Tour 1 : Lunge (côté droit)", "Repos", "Tour 2 : Squat"]),
        ("xx", ["Get ready", "Round 1: Lunge (right)", "Rest", "Round 2: Squat"]),
    ],
)
def test_chapters_are_in_the_language_the_sidecar_names(language: str, expected: list[str]) -> None:
    track = read_track_from(TIMELINE, {"language": language})
    assert [c["title"] for c in chapters(track)["chapters"]] == expected
    # The page around them is English, and so is its panel: a rest reads "Rest".
    assert moment_at(track, 18_000).panel.exercise == "Rest"


def read_track_from(timeline: Timeline, about: dict[str, str] | None = None) -> Track:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "t.mp3").write_bytes(b"x")
        (folder / "t.json").write_text(timeline_json(timeline, about))
        track = read_track(folder, folder / "t.json")
    assert track is not None
    return track
