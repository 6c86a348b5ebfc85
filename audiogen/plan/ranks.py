"""Which cues give way when time is short (rule 9's order), and small helpers the
lead-in and the placer share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from audiogen.plan.requests import CueRequest
from audiogen.plan.timeline import Cue, CueKind, Role

# Left out first to last when time is short (the spec's order; the equipment line
# only ever competes in the lead-in). Roles not listed here are never left out.
DROP_ORDER = (
    Role.MODIFICATION, Role.TIP, Role.NEXT, Role.EQUIPMENT, Role.TIME_LEFT, Role.HALFWAY,
    Role.PROMPT, Role.GET_READY, Role.REST, Role.GO,
)  # fmt: skip


def rank(request: CueRequest) -> int | None:
    """Position in DROP_ORDER (0 goes first), or None for a cue never left out."""
    role = request.rank_as or request.role
    return DROP_ORDER.index(role) if role in DROP_ORDER else None


def droppable(request: CueRequest) -> bool:
    return rank(request) is not None


def priority(request: CueRequest) -> int:
    """Sort key placing never-dropped cues first, then the rest most important first."""
    found = rank(request)
    return -1 if found is None else len(DROP_ORDER) - found


def least_important(group: list[CueRequest]) -> CueRequest | None:
    ranked = [(found, r) for r in reversed(group) if (found := rank(r)) is not None]
    if not ranked:
        return None
    # Among equals (tips), the last one spoken goes first.
    return min(ranked, key=lambda pair: pair[0])[1]


def bare(request: CueRequest) -> CueRequest:
    """The request said with its short text (the name alone, without "Next up")."""
    if request.fallback is None:
        return request
    text, spoken = request.fallback
    return replace(request, text=text, spoken=spoken, fallback=None)


def speech_cue(start: int, role: Role, text: str, phrase: str, speech_ms: Mapping[str, int]) -> Cue:
    spoken = phrase if phrase != text else None
    return Cue(start, start + speech_ms[phrase], CueKind.SPEECH, role, text, spoken)


def request_cue(start: int, request: CueRequest, speech_ms: Mapping[str, int]) -> Cue:
    return speech_cue(start, request.role, request.text, request.phrase, speech_ms)


def seconds(ms: int) -> str:
    return f"{ms / 1000:g}"
