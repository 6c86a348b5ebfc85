"""The one name each interval goes by: in chapters, captions, lyrics and split parts.

The words come from the timeline's `titles` (the workout's phrasebook), so a German
workout's chapters read "Wadenheben (rechts)" and its rests "Pause", and the MP3's
chapters, the M4A's, the lyrics and the split files always agree.
"""

from __future__ import annotations

from audiogen.plan.phrasebook import Titles
from audiogen.plan.timeline import Interval, IntervalKind


def section_title(kind: IntervalKind, titles: Titles) -> str:
    """'Get ready', 'Rest', 'Done': the title of an interval that is not an exercise."""
    sections = {
        IntervalKind.LEAD_IN: titles.lead_in,
        IntervalKind.REST: titles.rest,
        IntervalKind.OUTRO: titles.outro,
    }
    return sections.get(kind, str(kind))


def chapter_title(interval: Interval, titles: Titles) -> str:
    """'Front Squat', 'Single-Leg Deadlift (left)', 'Round 2: Front Squat'.

    Every round of a multi-round block is numbered, round 1 included, so that the
    chapter list reads evenly.
    """
    title = interval.exercise or str(interval.kind)
    if interval.side:
        title = titles.side(title, interval.side)
    if interval.rounds and interval.rounds > 1:
        title = titles.in_round(title, interval.round)
    return title


def interval_title(interval: Interval, titles: Titles) -> str:
    """The exercise's chapter title for a work interval, the section's title otherwise."""
    if interval.kind is IntervalKind.WORK:
        return chapter_title(interval, titles)
    return section_title(interval.kind, titles)
