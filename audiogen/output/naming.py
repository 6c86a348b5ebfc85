"""The one name each interval goes by: in chapters, captions, lyrics and split parts."""

from __future__ import annotations

from audiogen.plan.timeline import Interval, IntervalKind

# Titles of the intervals that are not exercises. One table, so the lead-in is "Get
# ready" in the MP3's chapters, the M4A's, the lyrics and the split files alike.
SECTION_TITLES = {
    IntervalKind.LEAD_IN: "Get ready",
    IntervalKind.REST: "Rest",
    IntervalKind.OUTRO: "Done",
}


def chapter_title(interval: Interval) -> str:
    """'Front Squat', 'Single-Leg Deadlift (left)', 'Round 2: Front Squat'.

    Every round of a multi-round block is numbered, round 1 included, so that the
    chapter list reads evenly.
    """
    title = interval.exercise or str(interval.kind)
    if interval.side:
        title = f"{title} ({interval.side})"
    if interval.rounds and interval.rounds > 1:
        title = f"Round {interval.round}: {title}"
    return title


def interval_title(interval: Interval) -> str:
    """The exercise's chapter title for a work interval, the section's title otherwise."""
    if interval.kind is IntervalKind.WORK:
        return chapter_title(interval)
    return SECTION_TITLES.get(interval.kind, str(interval.kind).capitalize())
