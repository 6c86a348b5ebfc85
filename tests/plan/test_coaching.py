"""Worked examples of the version 1.1 cues, on timelines built with stand-in speech
lengths (the scheduler is a pure function of the plan and those lengths)."""

from __future__ import annotations

from audiogen.plan.compiler import compile_plan
from audiogen.plan.scheduler import schedule
from audiogen.plan.timeline import CueKind, IntervalKind, Role, Timeline
from audiogen.workout.loader import parse_workout
from tests.strategies import speech_ms


def build(text: str) -> Timeline:
    plan = compile_plan(parse_workout(text, source="w.yaml"))
    return schedule(plan, {p: speech_ms(p) for p in plan.phrases()})


def said(timeline: Timeline, *roles: Role) -> list[str]:
    return [c.text or "" for c in timeline.cues if c.role in roles]


def test_plurals_are_never_doubled_and_say_is_spoken_as_written() -> None:
    timeline = build(
        "title: T\nexercises:\n"
        "  - {name: Burpees, reps: 10}\n  - {name: Jumping Jacks, reps: 20}\n"
        "  - {name: Calf Raise, reps: 12}\n  - {name: Step-up (each leg), reps: '8-12'}\n"
        "  - {name: Toes to Bar, reps: 5, say: Toes to bar}\n"
    )
    assert said(timeline, Role.NAME) == [
        "First up: 10 Burpees",
        "Next up: 20 Jumping Jacks",
        "Next up: 12 Calf Raises",
        "Next up: 8 to 12 Step-ups (each leg)",
        "Next up: 5 Toes to Bar",
    ]
    (toes,) = [c for c in timeline.cues if c.text == "Next up: 5 Toes to Bar"]
    assert toes.spoken == "Next up: 5 Toes to bar"
    assert toes.to_json()["say"] == "Next up: 5 Toes to bar"


def test_pronounce_changes_speech_never_captions() -> None:
    timeline = build(
        "title: EMOM Day\npronounce: {EMOM: E-mom}\nblocks:\n"
        "  - {name: EMOM, format: emom, rounds: 2, exercises: [Burpee]}\n"
        "  - {name: Finisher, say: Finn, rounds: 2, exercises: [Squat]}\n"
    )
    cues = {c.text: c for c in timeline.cues if c.kind is CueKind.SPEECH}
    intro = next(c for c in cues.values() if c.role is Role.INTRO)
    assert intro.text is not None and intro.text.startswith("Welcome to EMOM Day.")
    assert intro.spoken is not None and intro.spoken.startswith("Welcome to E-mom Day.")
    assert cues["EMOM. Minute 1 of 2."].spoken == "E-mom. Minute 1 of 2."
    assert cues["Finisher. Round 1 of 2."].spoken == "Finn. Round 1 of 2."
    # A cue that says what it shows carries no `say`.
    assert "say" not in cues["Minute 2 of 2."].to_json()


def test_a_long_rest_talks() -> None:
    timeline = build("title: T\nwork: 30s\nrest: 90s\nexercises: [Squat, Front Squat]\n")
    rest = next(i for i in timeline.intervals if i.kind is IntervalKind.REST)
    speech = [c for c in timeline.cues if c.kind is CueKind.SPEECH]
    inside = [
        (c.start_ms - rest.start_ms, c.role, c.text)
        for c in speech
        if rest.start_ms <= c.start_ms < rest.end_ms
    ]
    assert inside[0][1:] == (Role.REST, "Rest, 1 minute 30 seconds")
    assert inside[0][0] == 650  # right after the end beep and its guard
    assert (30_000, Role.REST, "1 minute") in inside
    assert (60_000, Role.REST, "30 seconds") in inside
    assert (80_000, Role.GET_READY, "Get ready: Front Squat") in inside


def test_the_second_side_is_announced_in_a_five_second_side_rest() -> None:
    timeline = build("title: T\nexercises: [{name: Side Plank, sides: each, first_side: left}]\n")
    first, second = timeline.work_intervals
    assert (first.side, second.side) == ("left", "right")
    (call,) = [c for c in timeline.cues if c.text == "Right side"]
    assert first.end_ms < call.start_ms and call.end_ms < second.start_ms - 3000
    assert not said(timeline, Role.REST)  # a side rest gets no "Rest"


def test_prompts_at_their_moment_and_counted_from_the_end() -> None:
    timeline = build(
        "title: T\nexercises:\n  - name: Pigeon\n    work: 90s\n"
        "    prompts: [{at: 30s, say: Sink deeper}, {at: -15s, say: Come out}, "
        "{at: 45s, say: Halfway there}, {at: 2m, say: Never}]\n"
    )
    (work,) = timeline.work_intervals
    at = {c.text: c.start_ms - work.start_ms for c in timeline.cues if c.role is Role.PROMPT}
    assert at["Sink deeper"] == 30_000 and at["Come out"] == 75_000
    # "Halfway" (a lower priority) gives way to the prompt at the same moment.
    assert at["Halfway there"] == 45_000
    halfway = [c.start_ms - work.start_ms for c in timeline.cues if c.role is Role.HALFWAY]
    assert not halfway or halfway[0] > 45_000
    (never,) = [d for d in timeline.dropped if d.text == "Never"]
    assert never.role is Role.PROMPT and "outside the 90 s work interval" in never.reason


def test_go_follows_the_start_beep() -> None:
    timeline = build("title: T\ncues: {go: true}\nexercises: [Squat]\n")
    (work,) = timeline.work_intervals
    (go,) = [c for c in timeline.cues if c.role is Role.GO]
    assert go.text == "Go!" and 400 <= go.start_ms - work.start_ms <= 600


def test_a_huge_tip_never_stretches_a_short_workout() -> None:
    tip = "Keep your back straight and breathe. " * 280  # about 10,000 characters
    timeline = build(f"title: T\nwork: 15s\nexercises: [{{name: Squat, tips: ['{tip}']}}]\n")
    lead_in = timeline.intervals[0]
    assert lead_in.length_ms <= 30_000 and timeline.duration_ms < 30_000
    (dropped,) = [d for d in timeline.dropped if d.role is Role.TIP]
    assert dropped.reason.startswith("no room")
    (intro,) = said(timeline, Role.INTRO)
    assert intro == "Welcome to T. 1 minute in total."


def test_a_huge_intro_and_outro_are_shortened_to_the_title() -> None:
    text = "Breathe in. " * 100
    timeline = build(f"title: Calm\nintro: '{text}'\noutro: '{text}'\nexercises: [Squat]\n")
    assert said(timeline, Role.INTRO) == ["Calm."] and said(timeline, Role.OUTRO) == ["Calm."]
    assert {d.role for d in timeline.dropped} == {Role.INTRO, Role.OUTRO}
    assert timeline.intervals[0].length_ms <= 30_000


def test_custom_intro_with_equipment_and_minutes() -> None:
    timeline = build(
        "title: Legs\nequipment: [dumbbells, a mat]\n"
        "intro: '{title}: {minutes}. Bring {equipment}.'\nexercises: [Squat]\n"
    )
    assert said(timeline, Role.INTRO) == ["Legs: 1 minute. Bring dumbbells and a mat."]
    assert not said(timeline, Role.EQUIPMENT)
    default = build("title: Legs\nequipment: [dumbbells, a mat]\nexercises: [Squat]\n")
    assert said(default, Role.EQUIPMENT) == ["You will need dumbbells and a mat."]


def test_a_german_workout_speaks_german() -> None:
    timeline = build(
        "title: Beine\nlanguage: de\nrest: 30s\nrounds: 2\ncues: {go: true}\n"
        "exercises: [{name: Kniebeugen, reps: '8-12'}, {name: Wadenheben, sides: switch}]\n"
    )
    texts = said(timeline, *Role)
    assert "Zuerst: 8 bis 12 Kniebeugen" in texts and "Los!" in texts
    assert "Pause, 30 Sekunden" in texts and "Als Nächstes: Wadenheben, rechte Seite" in texts
    assert "Seitenwechsel" in texts and "Runde 2 von 2." in texts
