"""Rule 7: exercise names after a rep count, never pluralised twice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.plan.plurals import is_plural, plural_name, with_reps

ALREADY_PLURAL = [
    "Burpees", "Jumping Jacks", "Toes to Bar", "Pull-ups", "Lunges", "Mountain Climbers",
    "Squat Jacks", "Box Jumps", "Good Mornings", "Sit-ups", "Thrusters", "Dips",
    "Flutter Kicks", "Butt Kicks", "High Knees", "Knees to Elbows",
]  # fmt: skip

SINGULAR = [
    ("Farmer Carry", "Farmer Carries"),
    ("Calf Raise", "Calf Raises"),
    ("Step-up", "Step-ups"),
    ("Step-up (each leg)", "Step-ups (each leg)"),
    ("Push-up", "Push-ups"),
    ("Russian Twist", "Russian Twists"),
    ("Hip Thrust", "Hip Thrusts"),
    ("Press", "Presses"),
    ("Glute Bridge", "Glute Bridges"),
    ("Dead Bug", "Dead Bugs"),
    ("Side Plank", "Side Planks"),
    ("Plank", "Planks"),
    ("Kettlebell Swing", "Kettlebell Swings"),
    ("Bench Press", "Bench Presses"),
    ("Walking Lunge", "Walking Lunges"),
    ("Single-Leg Deadlift", "Single-Leg Deadlifts"),
    ("Child's Pose", "Child's Poses"),
    ("Wall Sit", "Wall Sits"),
    ("Bird Dog", "Bird Dogs"),
    ("Plank to Push-up", "Plank to Push-ups"),
    ("Knee-to-Elbow", "Knee-to-Elbows"),
    ("Superman", "Supermans"),
    ("RDL", "RDLs"),
]


@pytest.mark.parametrize("name", ALREADY_PLURAL)
def test_a_plural_name_is_said_as_written(name: str) -> None:
    assert is_plural(name)
    assert plural_name(name, "en") == name
    assert with_reps(name, 10, "en") == f"10 {name}"


@pytest.mark.parametrize(("name", "plural"), SINGULAR)
def test_a_singular_name_is_made_plural(name: str, plural: str) -> None:
    assert not is_plural(name)
    assert with_reps(name, 10, "en") == f"10 {plural}"


@pytest.mark.parametrize(("name", "plural"), SINGULAR)
def test_one_rep_keeps_the_singular(name: str, plural: str) -> None:
    assert with_reps(name, 1, "en") == f"1 {name}"


def test_a_range_is_plural_and_said_with_to() -> None:
    assert with_reps("Step-up (each leg)", (8, 12), "en") == "8 to 12 Step-ups (each leg)"
    assert with_reps("Calf Raise", (1, 2), "en") == "1 to 2 Calf Raises"


@pytest.mark.parametrize(
    ("language", "name", "reps", "said"),
    [
        ("de", "Kniebeugen", 10, "10 Kniebeugen"),
        ("de", "Kniebeuge", 10, "10 Kniebeuge"),
        ("de", "Liegestütze", (8, 12), "8 bis 12 Liegestütze"),
        ("es", "sentadillas", (8, 12), "8 a 12 sentadillas"),
        ("fr", "pompes", (8, 12), "8 à 12 pompes"),
        ("fr", "Burpee", 10, "10 Burpee"),
    ],
)
def test_other_languages_say_the_name_as_written(
    language: str, name: str, reps: int | tuple[int, int], said: str
) -> None:
    assert with_reps(name, reps, language) == said


@given(st.sampled_from([p for _, p in SINGULAR] + ALREADY_PLURAL), st.integers(2, 1000))
def test_a_plural_is_never_pluralised_again(name: str, reps: int) -> None:
    assert with_reps(name, reps, "en") == f"{reps} {name}"


_STEMS = st.from_regex(r"[A-Z][aeiou][bdgklmnprtv][aeiou]?[bdgklmnprt]", fullmatch=True)


@given(_STEMS, st.integers(2, 100))
def test_a_name_ending_in_s_never_gains_ses_or_ss(stem: str, reps: int) -> None:
    name = f"{stem}s"
    said = with_reps(name, reps, "en")
    assert said == f"{reps} {name}"
    assert not said.endswith(("ses", "ss"))


@given(_STEMS)
def test_plural_name_is_idempotent(stem: str) -> None:
    once = plural_name(f"Jump {stem}", "en")
    assert plural_name(once, "en") == once
