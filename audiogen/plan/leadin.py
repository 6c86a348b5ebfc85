"""The lead-in and the outro: how long each is, and which intro and outro they say.

The intro says the track's length in minutes, and the track's length depends on how
long the lead-in and outro take to say: of the plan's intros (one per length the track
may have) the one whose track it describes is chosen (rule: the intro agrees with the
track). Rule 11: the lead-in never runs past 30 s; what does not fit is left out, and
an intro or outro too long for its slot is shortened to the title.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audiogen.plan.busy import SPEECH_GAP_MS
from audiogen.plan.compiler import LEAD_IN_MAX_MS, OUTRO_MAX_MS, Plan, track_minutes
from audiogen.plan.ranks import least_important, request_cue, speech_cue
from audiogen.plan.requests import CueRequest
from audiogen.plan.timeline import BEEP_MS, Cue, Dropped, Role
from audiogen.plan.wording import Words

LEAD_IN_START_MS = 500
LEAD_IN_PAUSE_MS = 700  # between the last words of the lead-in and its countdown
OUTRO_DELAY_MS = 400  # after the final end beep
OUTRO_TAIL_MS = 2000


@dataclass(frozen=True)
class Opening:
    """The lead-in's cues and length, the outro's words and length, what was left out,
    and the first exercise's announcements that must wait for its work interval."""

    cues: tuple[Cue, ...]
    lead_in_ms: int
    outro: Words
    outro_ms: int
    dropped: tuple[Dropped, ...]
    late: tuple[CueRequest, ...]


def opening(plan: Plan, speech_ms: Mapping[str, int]) -> Opening:
    """The intro and outro whose stated length matches the track they open and close."""
    outros = dict(plan.outros)
    options = [_option(plan, m, intro, outros[m], speech_ms) for m, intro in plan.intros]
    for minutes, option in options:
        if track_minutes(_track_ms(plan, option)) == minutes:
            return option
    # Rare: a shorter number is said so much faster that neither choice agrees. Pad the
    # outro (by well under a second) so the track reaches the length it states.
    for minutes, option in options:
        missing = (minutes * 60_000 - 30_000) - _track_ms(plan, option)
        if missing > 0:
            return _padded(option, missing)
    return options[0][1]


def _track_ms(plan: Plan, option: Opening) -> int:
    return option.lead_in_ms + plan.workout_ms + option.outro_ms


def _padded(option: Opening, extra_ms: int) -> Opening:
    return Opening(
        option.cues,
        option.lead_in_ms,
        option.outro,
        option.outro_ms + extra_ms,
        option.dropped,
        option.late,
    )


def _option(
    plan: Plan, minutes: int, intro: Words, outro: Words, speech_ms: Mapping[str, int]
) -> tuple[int, Opening]:
    cues, lead_in_ms, dropped, late = _lead_in(plan, intro, speech_ms)
    said, outro_ms, outro_dropped = _outro(plan, outro, speech_ms)
    return minutes, Opening(cues, lead_in_ms, said, outro_ms, dropped + outro_dropped, late)


@dataclass
class _LeadIn:
    """The lead-in's speech as it is trimmed to fit."""

    intro: Words
    equipment: Words | None
    requests: list[CueRequest]

    def lengths(self, speech_ms: Mapping[str, int]) -> list[int]:
        phrases = [self.intro.spoken] + ([self.equipment.spoken] if self.equipment else [])
        return [speech_ms[p] for p in phrases] + [speech_ms[r.phrase] for r in self.requests]


def _lead_in(
    plan: Plan, intro: Words, speech_ms: Mapping[str, int]
) -> tuple[tuple[Cue, ...], int, tuple[Dropped, ...], tuple[CueRequest, ...]]:
    first = plan.work_segment_indexes[0]
    countdown = plan.segments[first].cues.countdown
    asked = [r for r in plan.requests if r.segment == first and r.at_ms is None]
    lead = _LeadIn(intro, plan.equipment, list(asked))
    dropped: list[Dropped] = []
    late: list[CueRequest] = []
    where = f"no room in the {LEAD_IN_MAX_MS // 1000} s lead-in"
    while _length(lead.lengths(speech_ms), countdown) > LEAD_IN_MAX_MS:
        victim = least_important(lead.requests)
        if victim is not None:
            lead.requests.remove(victim)
            late.append(victim)  # tips may still fit in the work's first half
        elif lead.equipment is not None:
            dropped.append(Dropped(Role.EQUIPMENT, lead.equipment.text, where))
            lead.equipment = None
        elif lead.intro != plan.short_intro:
            dropped.append(Dropped(Role.INTRO, lead.intro.text, f"{where}: said the title only"))
            lead.intro = plan.short_intro
        else:
            break  # names are never left out: the lead-in runs long rather than lose them
    cues = _lay_out(lead, speech_ms)
    late.sort(key=asked.index)
    return cues, _length(lead.lengths(speech_ms), countdown), tuple(dropped), tuple(late)


def _lay_out(lead: _LeadIn, speech_ms: Mapping[str, int]) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    t = LEAD_IN_START_MS
    opening_words = [(Role.INTRO, lead.intro)]
    if lead.equipment is not None:
        opening_words.append((Role.EQUIPMENT, lead.equipment))
    for role, words in opening_words:
        cues.append(speech_cue(t, role, words.text, words.spoken, speech_ms))
        t = cues[-1].end_ms + SPEECH_GAP_MS
    for request in lead.requests:
        cues.append(request_cue(t, request, speech_ms))
        t = cues[-1].end_ms + SPEECH_GAP_MS
    return tuple(cues)


def _length(lengths: list[int], countdown: int) -> int:
    """The lead-in is exactly as long as its speech plus the first countdown."""
    speech = sum(lengths) + SPEECH_GAP_MS * (len(lengths) - 1)
    return round_up(LEAD_IN_START_MS + speech + LEAD_IN_PAUSE_MS + countdown * 1000, 100)


def _outro(
    plan: Plan, outro: Words, speech_ms: Mapping[str, int]
) -> tuple[Words, int, tuple[Dropped, ...]]:
    said: Words = outro
    dropped: tuple[Dropped, ...] = ()
    if _outro_ms(speech_ms[outro.spoken]) > OUTRO_MAX_MS:
        reason = f"no room in a {OUTRO_MAX_MS // 1000} s outro: said the title only"
        said, dropped = plan.short_outro, (Dropped(Role.OUTRO, outro.text, reason),)
    return said, _outro_ms(speech_ms[said.spoken]), dropped


def _outro_ms(speech: int) -> int:
    return round_up(BEEP_MS[Role.END] + OUTRO_DELAY_MS + speech + OUTRO_TAIL_MS, 100)


def round_up(ms: int, step: int) -> int:
    return -(-ms // step) * step
