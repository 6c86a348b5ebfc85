"""Cues the voice says nothing for: a tip of dashes, a lone symbol the engine skips.

What can be spoken is the engine's to decide (espeak-ng reads "💪" as "flexed biceps"
but "---" as nothing), so this is known only once the phrases are synthesized: the
pipeline passes the phrases whose clips came back silent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from audiogen.plan.compiler import Plan
from audiogen.plan.ranks import droppable
from audiogen.plan.timeline import Dropped

REASON = "the voice says nothing for it"


def without_silent(plan: Plan, silent: Collection[str]) -> Plan:
    """`plan` without the cues that may be left out (rule 5) whose phrase is silent,
    each listed as dropped: a gap in the track with a cue on the clock would tell the
    listener something was meant to be said. A cue never left out (a name) stays."""
    if not silent:
        return plan
    gone = [r for r in plan.requests if r.phrase in silent and droppable(r)]
    if not gone:
        return plan
    kept = tuple(r for r in plan.requests if not (r.phrase in silent and droppable(r)))
    dropped = tuple(Dropped(r.role, r.text, REASON) for r in gone)
    return replace(plan, requests=kept, skipped=(*plan.skipped, *dropped))
