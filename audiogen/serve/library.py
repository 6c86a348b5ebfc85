"""The tracks in a served folder, read from their JSON sidecars.

A track is an audio file with a `<stem>.json` sidecar beside it. Reading a sidecar and
working out what the follow-along page shows at a given moment are pure functions;
`Library` only adds a cache keyed by the files' stats, so a request re-reads a sidecar
(and re-hashes its audio) only after a rebuild.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.id3 import ID3, ID3NoHeaderError

from audiogen.output.about import file_sha256
from audiogen.output.cover import make_cover
from audiogen.output.naming import chapter_title, section_title
from audiogen.plan.phrasebook import Titles, english_titles, load_phrasebook
from audiogen.plan.timeline import Interval, IntervalKind, Side
from audiogen.serve.files import AUDIO_TYPES, child_path
from audiogen.workout.schema import LANGUAGES


@dataclass(frozen=True)
class Caption:
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Track:
    """One servable track: what its sidecar says, and the facts of its audio file."""

    stem: str
    title: str
    duration_ms: int
    intervals: tuple[Interval, ...]
    captions: tuple[Caption, ...]
    audio: Path
    size: int
    mtime: float
    sha256: str
    author: str | None = None
    description: str | None = None
    has_transcript: bool = False
    # The workout's language (sidecar format 3; English before): its chapters' words.
    language: str = "en"

    @property
    def media_type(self) -> str:
        return AUDIO_TYPES[self.audio.suffix.lower()]

    @property
    def work_intervals(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind is IntervalKind.WORK)

    @property
    def titles(self) -> Titles:
        """The built-in phrasebook's titles for the track's language, as its MP3's
        chapters have them (a workout's own `phrases` file is not known here)."""
        return load_phrasebook(self.language).titles


@dataclass(frozen=True)
class Panel:
    """What the follow-along page shows for the whole of one interval."""

    kind: str
    exercise: str
    side: str
    round: str
    block: str
    next: str


@dataclass(frozen=True)
class Moment:
    """What the follow-along page shows at one instant."""

    panel: Panel
    left: int
    caption: str
    progress: float


# --- reading sidecars ---------------------------------------------------------------------


def parse_intervals(data: Mapping[str, Any]) -> tuple[Interval, ...]:
    """The sidecar's intervals, back in the timeline's own (millisecond) form."""
    return tuple(_interval(item) for item in data["intervals"])


def _interval(item: Mapping[str, Any]) -> Interval:
    side = item.get("side")
    return Interval(
        start_ms=_ms(item["start"]),
        end_ms=_ms(item["end"]),
        kind=IntervalKind(item["kind"]),
        exercise=item.get("exercise"),
        block=item.get("block"),
        round=item.get("round"),
        rounds=item.get("rounds"),
        side=Side(side) if side else None,
    )


def parse_captions(data: Mapping[str, Any]) -> tuple[Caption, ...]:
    """Every spoken cue with text, in time order: the page's caption line."""
    cues = [c for c in data.get("cues", ()) if c.get("kind") == "speech" and c.get("text")]
    captions = (Caption(_ms(c["start"]), _ms(c["end"]), str(c["text"])) for c in cues)
    return tuple(sorted(captions, key=lambda c: c.start_ms))


def _ms(seconds: float) -> int:
    return round(float(seconds) * 1000)


def read_track(folder: Path, sidecar: Path) -> Track | None:
    """The track a sidecar describes, or None when it is not a timeline or has no audio
    inside the folder (a symlink pointing out of the folder counts as none)."""
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        intervals, captions = parse_intervals(data), parse_captions(data)
        duration_ms = _ms(data["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    audio = find_audio(folder, sidecar.stem, data.get("audio"))
    if audio is None:
        return None
    stat = audio.stat()
    return Track(
        stem=sidecar.stem,
        title=str(data.get("title") or sidecar.stem),
        duration_ms=duration_ms,
        intervals=intervals,
        captions=captions,
        audio=audio,
        size=stat.st_size,
        mtime=stat.st_mtime,
        sha256=_checksum(audio, stat.st_size, data.get("audio")),
        author=data.get("author"),
        description=data.get("description"),
        has_transcript=child_path(folder, f"{sidecar.stem}.vtt") is not None,
        language=_language(data.get("language")),
    )


def _language(value: object) -> str:
    # A hand-edited or future sidecar may name a language without a phrasebook here.
    return value if isinstance(value, str) and value in LANGUAGES else "en"


def find_audio(folder: Path, stem: str, facts: Mapping[str, Any] | None) -> Path | None:
    """The sidecar's own audio file when it names one (format 2), else <stem>.mp3/.m4a/.wav."""
    named = [str(facts["file"])] if isinstance(facts, Mapping) and facts.get("file") else []
    for name in named + [stem + suffix for suffix in AUDIO_TYPES]:
        path = child_path(folder, name)
        if path is not None and path.suffix.lower() in AUDIO_TYPES:
            return path
    return None


def _checksum(audio: Path, size: int, facts: Mapping[str, Any] | None) -> str:
    # The sidecar is written after its audio, so a matching size means the recorded sum
    # is this file's; older sidecars (and hand-copied audio) get hashed here instead.
    if isinstance(facts, Mapping) and facts.get("size") == size and facts.get("sha256"):
        return str(facts["sha256"])
    return file_sha256(audio)


# --- what the page shows ------------------------------------------------------------------


def panels(track: Track) -> tuple[Panel, ...]:
    """One panel per interval, in order: the page's JavaScript gets these as they are, so
    the server's first render and the script's updates use the same words."""
    # A block name says something only where there are several (the one block of a simple
    # workout is called 'Workout').
    several = len({i.block for i in track.work_intervals}) > 1
    count = len(track.intervals)
    return tuple(_panel(track.intervals, index, several) for index in range(count))


def _panel(intervals: tuple[Interval, ...], index: int, show_block: bool) -> Panel:
    # The page around the panel (its labels, "Rest 20 s, then ...") is in English, and
    # so is the panel, whatever the track's language: a rest reads "Rest" (the spec's
    # data-now="exercise"). Only the chapters follow the track's language.
    interval = intervals[index]
    rounds = interval.rounds or 1
    return Panel(
        kind=str(interval.kind),
        exercise=interval.exercise or section_title(interval.kind, english_titles()),
        side=f"{interval.side} side".capitalize() if interval.side else "",
        round=f"Round {interval.round} of {rounds}" if rounds > 1 else "",
        block=(interval.block or "") if show_block else "",
        next=_next_text(intervals, index),
    )


def _next_text(intervals: tuple[Interval, ...], index: int) -> str:
    """'Glute Bridge', or 'Rest 20 s, then Glute Bridge' when a rest comes first."""
    later = intervals[index + 1 :]
    upcoming = next((i for i in later if i.kind is IntervalKind.WORK), None)
    if upcoming is None:
        return "The end" if later else ""
    name = short_title(upcoming)
    first = later[0]
    if first.kind is IntervalKind.REST and intervals[index].kind is IntervalKind.WORK:
        return f"Rest {round(first.length_ms / 1000)} s, then {name}"
    return name


def short_title(interval: Interval) -> str:
    """'Side Plank (left)': the exercise and side, without the round."""
    name = interval.exercise or str(interval.kind)
    return f"{name} ({interval.side})" if interval.side else name


def interval_index(track: Track, at_ms: int) -> int:
    """The interval playing at `at_ms`, the last one at or after the end, -1 if none."""
    for index, interval in enumerate(track.intervals):
        if at_ms < interval.end_ms:
            return index
    return len(track.intervals) - 1


def moment_at(track: Track, at_ms: int) -> Moment:
    """What the page shows at `at_ms`. follow.js computes the same from the panels."""
    at_ms = min(max(at_ms, 0), track.duration_ms)
    index = interval_index(track, at_ms)
    if index < 0:
        return Moment(Panel("outro", "Done", "", "", "", ""), 0, "", 1.0)
    interval = track.intervals[index]
    # Whole seconds, rounded up as a countdown shows them: 0.2 s left still reads 1.
    left = math.ceil(max(interval.end_ms - at_ms, 0) / 1000)
    progress = at_ms / track.duration_ms if track.duration_ms else 0.0
    caption = caption_at(track, at_ms, caption_from(track, index))
    return Moment(panels(track)[index], left, caption, progress)


def caption_from(track: Track, index: int) -> int:
    """Where the captions an interval may show start: a work interval also shows what was
    said in the rest or lead-in before it (its name, its tip); a rest shows only its own,
    so it never shows the last exercise's 'ten seconds left'."""
    interval = track.intervals[index]
    before = track.intervals[index - 1] if index > 0 else None
    if interval.kind is IntervalKind.WORK and before and before.kind is not IntervalKind.WORK:
        return before.start_ms
    return interval.start_ms


def caption_at(track: Track, at_ms: int, since_ms: int) -> str:
    """The latest spoken line that started by `at_ms` and was still being said at, or
    after, `since_ms` (see `caption_from`)."""
    shown = ""
    for caption in track.captions:
        if caption.start_ms > at_ms:
            break
        if caption.end_ms > since_ms:
            shown = caption.text
    return shown


def chapters(track: Track) -> dict[str, Any]:
    """Podcasting 2.0 JSON chapters (version 1.2.0): every interval, titled as in the
    MP3's chapters; rests and the like are `toc: false`, shown as they play but left out
    of the list a player offers to jump to."""
    items = [_chapter(interval, track.titles) for interval in track.intervals]
    document: dict[str, Any] = {"version": "1.2.0", "title": track.title, "chapters": items}
    if track.author:
        document["author"] = track.author
    return document


def _chapter(interval: Interval, titles: Titles) -> dict[str, Any]:
    work = interval.kind is IntervalKind.WORK
    item: dict[str, Any] = {
        "startTime": interval.start_ms / 1000,
        "endTime": interval.end_ms / 1000,
        "title": chapter_title(interval, titles) if work else section_title(interval.kind, titles),
    }
    if not work:
        item["toc"] = False
    return item


def cover_png(track: Track) -> bytes:
    """The cover embedded in the MP3 (tags.py puts it there), else one made as it would be."""
    if track.audio.suffix.lower() == ".mp3":
        try:
            pictures = ID3(track.audio).getall("APIC")
        except (OSError, ID3NoHeaderError):
            pictures = []
        if pictures:
            return bytes(pictures[0].data)
    return make_cover(track.title, track.duration_ms)


# --- the folder ---------------------------------------------------------------------------


def sidecars_in(folder: Path) -> list[Path]:
    """The candidate sidecars: visible `*.json` files directly inside the folder."""
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json") and n[0] != ".")
    return [p for p in (child_path(folder, n) for n in names) if p is not None]


class Library:
    """The tracks in one folder, re-read only where a file changed since the last look."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._cache: dict[Path, tuple[tuple[object, ...], Track | None]] = {}

    def tracks(self) -> list[Track]:
        found = [self._track(sidecar) for sidecar in sidecars_in(self.folder)]
        return [track for track in found if track is not None]

    def get(self, stem: str) -> Track | None:
        return next((t for t in self.tracks() if t.stem == stem), None)

    def _track(self, sidecar: Path) -> Track | None:
        key = _stamp(sidecar) + _audio_stamps(self.folder, sidecar.stem)
        cached = self._cache.get(sidecar)
        if cached is not None and cached[0] == key:
            return cached[1]
        track = read_track(self.folder, sidecar)
        self._cache[sidecar] = (key, track)
        return track


def _stamp(path: Path) -> tuple[object, ...]:
    try:
        stat = path.stat()
    except OSError:
        return (None,)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _audio_stamps(folder: Path, stem: str) -> tuple[object, ...]:
    return tuple(_stamp(folder / f"{stem}{suffix}") for suffix in (*AUDIO_TYPES, ".vtt"))
