"""ID3v2.3 tags on a real MP3: credits, cover, chapters per work interval, lyrics."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags, PictureType
from PIL import Image

from audiogen.core.ffmpeg import decode_to_pcm, probe_mp3
from audiogen.output.cover import make_cover
from audiogen.output.encoder import encode_mp3
from audiogen.output.tags import TrackMeta, read_chapters, write_tags
from audiogen.plan.timeline import Cue, CueKind, Interval, IntervalKind, Role, Side, Timeline

RATE = 44100
DURATION_MS = 8000
PCM = bytes(2 * RATE * DURATION_MS // 1000)  # mono s16le silence

W, R = IntervalKind.WORK, IntervalKind.REST
TIMELINE = Timeline(
    title="Test Day",
    duration_ms=DURATION_MS,
    intervals=(
        Interval(0, 1500, IntervalKind.LEAD_IN),
        Interval(1500, 3000, W, "Front Squat", "Strength", 1, 2),
        Interval(3000, 3500, R),
        Interval(3500, 5001, W, "Single-Leg Deadlift", "Strength", 1, 1, Side.LEFT),
        Interval(5001, 5500, R),
        Interval(5500, 7250, W, "Front Squat", "Strength", 2, 2),
        Interval(7250, DURATION_MS, IntervalKind.OUTRO),
    ),
    cues=(
        Cue(100, 900, CueKind.SPEECH, Role.INTRO, "Welcome to Test Day."),
        Cue(1400, 1500, CueKind.BEEP, Role.COUNTDOWN),
        Cue(3107, 3400, CueKind.SPEECH, Role.NAME, "Next up: Single-Leg Deadlift"),
        Cue(6300, 6600, CueKind.SPEECH, Role.HALFWAY, "Halfway"),
        Cue(7300, 7900, CueKind.SPEECH, Role.OUTRO, "Großartig — great work!"),
    ),
)
EXPECTED_CHAPTERS = [
    (1500, 3000, "Round 1: Front Squat"),
    (3500, 5001, "Single-Leg Deadlift (left)"),
    (5500, 7250, "Round 2: Front Squat"),
]
COVER = make_cover("Test Day", DURATION_MS, size=120)
META = TrackMeta(
    title="Test Day",
    artist="Coach Kim",
    year=2024,
    description="Legs and balance, eight seconds.",
    cover_png=COVER,
)


@pytest.fixture(scope="module")
def untagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tags") / "untagged.mp3"
    encode_mp3([PCM], path)
    return path


@pytest.fixture
def mp3(tmp_path: Path, untagged: Path) -> Path:
    path = tmp_path / "track.mp3"
    shutil.copy(untagged, path)
    return path


@pytest.fixture
def tagged(mp3: Path) -> ID3:
    write_tags(mp3, TIMELINE, META)
    return ID3(mp3)


def test_written_as_id3v23(mp3: Path, tagged: ID3) -> None:
    assert tagged.version == (2, 3, 0)
    assert mp3.read_bytes()[:4] == b"ID3\x03"
    raw = ID3(mp3, translate=False)
    assert str(raw["TYER"]) == "2024"
    assert "TDRC" not in raw  # a 2.4-only frame


def test_credits_and_comment(tagged: ID3) -> None:
    assert str(tagged["TIT2"]) == "Test Day"
    assert str(tagged["TPE1"]) == "Coach Kim"
    assert str(tagged["TALB"]) == "Test Day"  # album defaults to the title
    assert str(tagged["TLEN"]) == str(DURATION_MS)
    [comment] = tagged.getall("COMM")
    assert comment.text == ["Legs and balance, eight seconds."]


def test_cover_is_a_front_cover_png(tagged: ID3) -> None:
    [picture] = tagged.getall("APIC")
    assert picture.mime == "image/png"
    assert picture.type == PictureType.COVER_FRONT
    assert picture.data == COVER
    with Image.open(io.BytesIO(picture.data)) as image:
        assert (image.format, image.size) == ("PNG", (120, 120))


def test_a_chapter_for_every_work_interval(mp3: Path, tagged: ID3) -> None:
    assert read_chapters(mp3) == EXPECTED_CHAPTERS
    chapters = sorted(tagged.getall("CHAP"), key=lambda c: c.element_id)
    assert [c.element_id for c in chapters] == ["ch000", "ch001", "ch002"]
    assert [(c.start_time, c.end_time) for c in chapters] == [c[:2] for c in EXPECTED_CHAPTERS]


def test_chapters_are_stored_in_time_order(mp3: Path, tagged: ID3) -> None:
    # Players that ignore the CTOC (ffmpeg, and those built on it) list CHAP frames in
    # file order; mutagen on its own would sort them by size, so ch002 before ch001 here.
    data = mp3.read_bytes()
    frames = re.findall(rb"(CHAP|CTOC).{6}(\w+)\0", data, re.DOTALL)
    assert frames == [
        (b"CTOC", b"toc"),
        (b"CHAP", b"ch000"),
        (b"CHAP", b"ch001"),
        (b"CHAP", b"ch002"),
    ]
    assert data.index(b"APIC") > data.index(b"SYLT")  # the big picture goes last


def test_table_of_contents_lists_chapters_in_order(tagged: ID3) -> None:
    [toc] = tagged.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == ["ch000", "ch001", "ch002"]


def test_synced_lyrics_are_the_spoken_cues(tagged: ID3) -> None:
    [synced] = tagged.getall("SYLT")
    assert (synced.format, synced.type) == (2, 1)  # milliseconds, lyrics
    assert synced.text == [
        ("Welcome to Test Day.", 100),
        ("Next up: Single-Leg Deadlift", 3107),
        ("Halfway", 6300),
        ("Großartig — great work!", 7300),
    ]
    [plain] = tagged.getall("USLT")
    assert plain.text.splitlines()[-1] == "Großartig — great work!"
    assert len(plain.text.splitlines()) == 4


def test_rewriting_replaces_rather_than_adds(mp3: Path) -> None:
    write_tags(mp3, TIMELINE, META)
    first = mp3.read_bytes()
    write_tags(mp3, TIMELINE, META)
    assert mp3.read_bytes() == first
    tags = ID3(mp3)
    counts = {key: len(tags.getall(key)) for key in ("CHAP", "CTOC", "APIC", "SYLT", "COMM")}
    assert counts == {"CHAP": 3, "CTOC": 1, "APIC": 1, "SYLT": 1, "COMM": 1}


def test_audio_is_untouched_by_tagging(mp3: Path, untagged: Path) -> None:
    write_tags(mp3, TIMELINE, META)
    assert probe_mp3(mp3).duration_ms == probe_mp3(untagged).duration_ms == DURATION_MS
    assert len(decode_to_pcm(mp3)) == len(PCM)


def test_optional_frames_are_left_out(mp3: Path) -> None:
    empty = Timeline("Nothing", DURATION_MS, (Interval(0, DURATION_MS, IntervalKind.REST),), ())
    write_tags(mp3, empty, TrackMeta(title="Nothing"))
    tags = ID3(mp3)
    assert str(tags["TPE1"]) == "audiogen"
    for key in ("COMM", "APIC", "CHAP", "CTOC", "SYLT", "USLT"):
        assert tags.getall(key) == [], key
    assert read_chapters(mp3) == []


def test_meta_for_a_workout_without_author() -> None:
    meta = TrackMeta.for_workout("Quick Legs", author=None)
    assert (meta.artist, meta.album, meta.description) == ("audiogen", None, None)
    meta = TrackMeta.for_workout("Q", author="Ana", description="d", cover_png=b"png")
    assert (meta.artist, meta.description, meta.cover_png) == ("Ana", "d", b"png")


def test_read_chapters_of_an_untagged_file(untagged: Path) -> None:
    assert read_chapters(untagged) == []
