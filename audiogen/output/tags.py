"""ID3v2.3 tags for the finished MP3: title and credits, cover, chapters, and lyrics.

ID3v2.3 rather than 2.4 because Windows and many older players read only 2.3. Chapters
(CHAP, one per work interval, tied together by a CTOC) let a player skip from exercise
to exercise; SYLT lyrics let players that show lyrics show the cue being spoken.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    SYLT,
    TALB,
    TIT2,
    TLEN,
    TPE1,
    TYER,
    USLT,
    CTOCFlags,
    Encoding,
    Frame,
    ID3NoHeaderError,
    PictureType,
)
from mutagen.id3._tags import save_frame

from audiogen.output.encoder import Chapter
from audiogen.output.naming import chapter_title, section_title
from audiogen.plan.timeline import CueKind, IntervalKind, Timeline

DEFAULT_ARTIST = "audiogen"
TOC_ID = "toc"
# ID3v2.3 text is Latin-1 or UTF-16; UTF-16 so any exercise name survives.
_UTF16 = Encoding.UTF16
# The language of COMM/SYLT/USLT (ISO 639-2): the lyrics are the workout's phrases, and
# its description is written in its language too.
_ID3_LANGUAGES = {"en": "eng", "de": "deu", "es": "spa", "fr": "fra"}
_SYLT_MILLISECONDS = 2
_SYLT_LYRICS = 1


def _this_year() -> int:
    return datetime.date.today().year


@dataclass(frozen=True)
class TrackMeta:
    """What the tags say about the track besides its timeline.

    The album defaults to the title: players group cover art by album, so one shared
    album would show one workout's cover on all of them.
    """

    title: str
    artist: str = DEFAULT_ARTIST
    album: str | None = None
    year: int = field(default_factory=_this_year)
    description: str | None = None
    cover_png: bytes | None = None
    # The workout's `language`: what the lyrics and comment frames say they are in.
    language: str = "en"

    @classmethod
    def for_workout(
        cls,
        title: str,
        *,
        author: str | None = None,
        description: str | None = None,
        cover_png: bytes | None = None,
        language: str = "en",
    ) -> TrackMeta:
        """Tags for a workout file: its author is the artist, 'audiogen' when it has none."""
        return cls(
            title=title,
            artist=author or DEFAULT_ARTIST,
            description=description,
            cover_png=cover_png,
            language=language,
        )

    @property
    def id3_language(self) -> str:
        """The language as ID3 frames name it: 'deu' for German."""
        return _ID3_LANGUAGES[self.language]

    def ffmpeg_tags(self) -> dict[str, str]:
        """The same metadata as ffmpeg writes it into M4A and WAV files and split parts."""
        tags = {"title": self.title, "album": self.album or self.title, "artist": self.artist}
        if self.description:
            tags["comment"] = self.description
        return tags


def chapters_for(timeline: Timeline) -> list[Chapter]:
    """One chapter per work interval, and one for the lead-in before them: MP4 chapters
    run back to back from zero, so without it the first exercise would start at 0."""
    titles = timeline.titles
    chapters = [
        Chapter(i.start_ms, i.end_ms, chapter_title(i, titles)) for i in timeline.work_intervals
    ]
    if chapters and chapters[0].start_ms > 0:
        lead_in = section_title(IntervalKind.LEAD_IN, titles)
        chapters.insert(0, Chapter(0, chapters[0].start_ms, lead_in))
    return chapters


class _InOrderID3(ID3):  # type: ignore[misc]
    """An ID3 tag that writes its frames in the order they were added.

    mutagen sorts frames by size, which scatters the CHAP frames, and players that read
    chapters in file order and ignore the CTOC (ffmpeg, and players built on it) would
    list them out of order. This overrides a private mutagen method; tests/test_tags.py
    checks the order in the file, so a mutagen release that stops calling it shows up.
    """

    def _write(self, config: object) -> bytearray:
        return bytearray().join(save_frame(frame, config=config) for frame in self.values())


def write_tags(path: Path | str, timeline: Timeline, meta: TrackMeta) -> None:
    """Replace the MP3's ID3v2 tag (and drop any ID3v1 tag) with a fresh ID3v2.3 one.

    Starting from an empty tag makes this idempotent: writing twice gives the same file.
    """
    tags = _InOrderID3()
    frames = [
        *_text_frames(timeline, meta),
        *_chapter_frames(timeline),
        *_lyrics(timeline, meta.id3_language),
        *_cover(meta),  # the big picture last, as mutagen does: the small frames come first
    ]
    for frame in frames:
        tags.add(frame)
    tags.update_to_v23()
    tags.save(path, v1=0, v2_version=3)


def _text_frames(timeline: Timeline, meta: TrackMeta) -> list[Frame]:
    frames: list[Frame] = [
        TIT2(encoding=_UTF16, text=meta.title),
        TPE1(encoding=_UTF16, text=meta.artist),
        TALB(encoding=_UTF16, text=meta.album or meta.title),
        TYER(encoding=_UTF16, text=str(meta.year)),  # 2.3 has TYER, not 2.4's TDRC
        TLEN(encoding=_UTF16, text=str(timeline.duration_ms)),
    ]
    if meta.description:
        frames.append(COMM(encoding=_UTF16, lang=meta.id3_language, desc="", text=meta.description))
    return frames


def _cover(meta: TrackMeta) -> list[Frame]:
    if not meta.cover_png:
        return []
    picture = APIC(
        encoding=_UTF16,
        mime="image/png",
        type=PictureType.COVER_FRONT,
        desc="Cover",
        data=meta.cover_png,
    )
    return [picture]


def _chapter_frames(timeline: Timeline) -> list[Frame]:
    """A CHAP per work interval and the CTOC listing them in order.

    Rests and the lead-in get no chapter, so "next chapter" lands on the next exercise.
    The ids are zero-padded so that sorting them by name also sorts them by time.
    """
    chapters: list[Frame] = [
        CHAP(
            element_id=f"ch{number:03d}",
            start_time=interval.start_ms,
            end_time=interval.end_ms,
            sub_frames=[TIT2(encoding=_UTF16, text=chapter_title(interval, timeline.titles))],
        )
        for number, interval in enumerate(timeline.work_intervals)
    ]
    if not chapters:
        return []
    toc = CTOC(
        element_id=TOC_ID,
        flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
        child_element_ids=[chapter.element_id for chapter in chapters],
        sub_frames=[TIT2(encoding=_UTF16, text=timeline.title)],
    )
    return [toc, *chapters]


def _lyrics(timeline: Timeline, language: str) -> list[Frame]:
    spoken = sorted(
        (cue.start_ms, cue.text) for cue in timeline.cues if cue.kind is CueKind.SPEECH and cue.text
    )
    if not spoken:
        return []
    synced = SYLT(
        encoding=_UTF16,
        lang=language,
        format=_SYLT_MILLISECONDS,
        type=_SYLT_LYRICS,
        desc="",
        text=[(text, start) for start, text in spoken],
    )
    plain = USLT(encoding=_UTF16, lang=language, desc="", text="\n".join(t for _, t in spoken))
    return [synced, plain]


def read_chapters(path: Path | str) -> list[tuple[int, int, str]]:
    """(start ms, end ms, title) of each chapter, in table-of-contents order (or by start
    time when there is no table): what a player would offer to skip to."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        return []
    chapters = {chap.element_id: chap for chap in tags.getall("CHAP")}
    tocs = tags.getall("CTOC")
    if tocs:
        order = [chapters[i] for i in tocs[0].child_element_ids if i in chapters]
    else:
        order = sorted(chapters.values(), key=lambda chap: chap.start_time)
    return [(chap.start_time, chap.end_time, _sub_title(chap)) for chap in order]


def _sub_title(chapter: CHAP) -> str:
    title = chapter.sub_frames.get("TIT2")
    return str(title.text[0]) if title and title.text else ""
