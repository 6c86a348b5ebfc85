"""`--split`: one file per interval, and an .m3u playlist of them, for players that
ignore chapters. `out/legs.mp3` gets the folder `out/legs/`, replaced as a whole."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from audiogen.core.files import atomic_directory
from audiogen.core.pcm import SAMPLE_RATE, ms_to_samples
from audiogen.core.text import slug
from audiogen.output.encoder import OutputSpec, Part
from audiogen.output.naming import interval_title
from audiogen.plan.timeline import Timeline


def split_folder(output: Path) -> Path:
    """Where --split writes: the output's path without its suffix (out/legs.mp3 -> out/legs)."""
    return output.with_suffix("")


@contextlib.contextmanager
def maybe_folder(folder: Path | None) -> Iterator[Path | None]:
    """A temporary folder that replaces `folder` on success; nothing when it is None."""
    if folder is None:
        yield None
        return
    with atomic_directory(folder) as temp:
        yield temp


def split_parts(timeline: Timeline, folder: Path, stem: str, spec: OutputSpec) -> list[Part]:
    """One part per interval, named and titled as the chapters are, in the workout's
    language: <stem>-01-get-ready.mp3, <stem>-02-march-in-place.mp3, ..."""
    from audiogen.output.encoder import Part

    intervals = [i for i in timeline.intervals if i.length_ms > 0]
    parts = []
    for number, interval in enumerate(intervals, start=1):
        title = interval_title(interval, timeline.titles)
        name = f"{stem}-{number:02d}-{slug(title)[:48] or 'part'}.{spec.format.value}"
        start = ms_to_samples(interval.start_ms, spec.sample_rate)
        end = ms_to_samples(interval.end_ms, spec.sample_rate)
        tags = {"title": title, "track": f"{number}/{len(intervals)}"}
        parts.append(Part(folder / name, start, end, tags))
    return parts


def write_playlist(path: Path, title: str, parts: Sequence[Part]) -> None:
    """An extended M3U (UTF-8) listing the parts in order, with lengths and titles."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(title)}"]
    for part in parts:
        seconds = round((part.end_sample - part.start_sample) / SAMPLE_RATE)
        lines += [f"#EXTINF:{seconds},{_one_line(part.tags['title'])}", part.path.name]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())
