"""Text files written beside the MP3: the timeline as JSON, WebVTT captions, LRC lyrics.

The renderers are pure (timeline in, text out); `write_sidecars` writes all three
atomically. Intervals are named by `audiogen.output.naming`, as in the chapters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from audiogen.core.files import atomic_write_text
from audiogen.output.naming import chapter_title, interval_title
from audiogen.plan.timeline import CueKind, Timeline


def _spoken(timeline: Timeline) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) of every speech cue with text, in time order."""
    cues = [c for c in timeline.cues if c.kind is CueKind.SPEECH and c.text]
    return sorted((c.start_ms, c.end_ms, c.text or "") for c in cues)


# --- JSON ---------------------------------------------------------------------------------


def timeline_json(timeline: Timeline, about: Mapping[str, Any] | None = None) -> str:
    """The timeline object of the spec, the same one `audiogen timeline --json` prints,
    after `about`: what `audiogen.about.sidecar_about` says of the audio file."""
    return json.dumps({**(about or {}), **timeline.to_json()}, indent=2) + "\n"


# --- WebVTT -------------------------------------------------------------------------------


def webvtt(timeline: Timeline) -> str:
    """WebVTT captions: each spoken cue for as long as it is spoken, and the exercise for
    the whole of its work interval, placed at the top (`line:0`) so the spoken captions
    come and go below it instead of pushing it around."""
    blocks = [f"WEBVTT - {_vtt_safe(timeline.title)}"]
    events: list[tuple[int, int, str]] = []
    for number, interval in enumerate(timeline.work_intervals):
        start, end = interval.start_ms, interval.end_ms
        title = chapter_title(interval, timeline.titles)
        cue = _vtt_cue(f"ch{number:03d}", start, end, title, " line:0")
        events.append((start, 0, cue))
    for number, (start, end, text) in enumerate(_spoken(timeline)):
        events.append((start, 1, _vtt_cue(f"cue{number:03d}", start, end, text)))
    # Files must list cues by start time; at a tie the exercise comes first.
    blocks += [cue for _, _, cue in sorted(events)]
    return "\n\n".join(blocks) + "\n"


def _vtt_cue(identifier: str, start_ms: int, end_ms: int, text: str, settings: str = "") -> str:
    # A cue must end after it starts; a zero-length one would be dropped by some players.
    end_ms = max(end_ms, start_ms + 1)
    timing = f"{vtt_time(start_ms)} --> {vtt_time(end_ms)}{settings}"
    return f"{identifier}\n{timing}\n{_vtt_escape(text)}"


def vtt_time(ms: int) -> str:
    """HH:MM:SS.mmm, hours always shown (and not capped at 99)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    # A blank line would end the cue early; &, < and > would be read as markup.
    one_line = " ".join(text.split())
    return one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_safe(text: str) -> str:
    # The header line may hold any text but an arrow and line breaks.
    return " ".join(text.split()).replace("-->", "->")


# --- LRC ----------------------------------------------------------------------------------


def lrc(timeline: Timeline) -> str:
    """LRC lyrics: a '— Front Squat —' line as each interval starts ('— Rest —' for
    rests, in the workout's language), and each spoken cue as it starts. A player shows
    each line until the next, so the section lines make sure a rest never keeps showing
    the last exercise's cue."""
    lines = [f"[ti:{_lrc_safe(timeline.title)}]", f"[length:{_lrc_length(timeline.duration_ms)}]"]
    titles = timeline.titles
    events = [(i.start_ms, 0, f"— {interval_title(i, titles)} —") for i in timeline.intervals]
    events += [(start, 1, text) for start, _, text in _spoken(timeline)]
    lines += [f"[{lrc_time(ms)}]{_lrc_safe(text)}" for ms, _, text in sorted(events)]
    return "\n".join(lines) + "\n"


def lrc_time(ms: int) -> str:
    """mm:ss.xx; minutes go past 59 rather than adding an hours field LRC does not have.
    Rounded down to the hundredth, so a line never shows later than its sound."""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000 // 10:02d}"


def _lrc_length(ms: int) -> str:
    minutes, rest = divmod((ms + 500) // 1000, 60)
    return f"{minutes:02d}:{rest:02d}"


def _lrc_safe(text: str) -> str:
    # One line per entry; a line break inside would start an untimed line.
    return " ".join(text.split())


# --- files --------------------------------------------------------------------------------

_RENDERERS = {".json": timeline_json, ".vtt": webvtt, ".lrc": lrc}


def sidecar_paths(audio_path: Path | str) -> list[Path]:
    """<stem>.json, <stem>.vtt and <stem>.lrc beside the audio."""
    return [Path(audio_path).with_suffix(suffix) for suffix in _RENDERERS]


def sidecar_texts(
    audio_path: Path | str, timeline: Timeline, about: Mapping[str, Any] | None = None
) -> dict[Path, str]:
    """What each sidecar file of the audio at `audio_path` holds."""
    renderers: dict[str, Callable[[Timeline], str]] = {
        **_RENDERERS,
        ".json": partial(timeline_json, about=about),
    }
    paths = sidecar_paths(audio_path)
    return {path: render(timeline) for path, render in zip(paths, renderers.values(), strict=True)}


def write_sidecars(
    mp3_path: Path | str, timeline: Timeline, about: Mapping[str, Any] | None = None
) -> list[Path]:
    """Write <stem>.json, <stem>.vtt and <stem>.lrc beside the MP3; returns their paths.

    Each file is replaced atomically, so a failure leaves the earlier version intact.
    A build writes them together with its audio instead (`pipeline.build_workout`).
    """
    texts = sidecar_texts(mp3_path, timeline, about)
    for path, text in texts.items():
        atomic_write_text(path, text)
    return list(texts)
