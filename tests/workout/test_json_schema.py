"""The JSON Schema: generated from the loader's key tables, shipped, and agreeing with
the loader on every example, every golden case and a set of broken files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from audiogen.cli.main import cli
from audiogen.core.resources import data_dir
from audiogen.errors import WorkoutError
from audiogen.workout.durations import DURATION_PATTERN, parse_duration
from audiogen.workout.json_schema import schema_text
from audiogen.workout.loader import parse_workout
from tests.golden import cases

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "workouts").glob("*.yaml"))
MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    """The schema exactly as `audiogen schema` prints it."""
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_shipped_schema_is_the_generated_one() -> None:
    shipped = data_dir(".") / "workout.schema.json"
    assert shipped.read_text(encoding="utf-8") == schema_text(), (
        "audiogen/data/workout.schema.json is stale: "
        "run `audiogen schema > audiogen/data/workout.schema.json`"
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_names_the_shipped_schema_for_editors(path: Path) -> None:
    match = MODELINE.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name} does not start with a yaml-language-server line"
    assert (path.parent / match[1]).resolve() == (data_dir(".") / "workout.schema.json")


@pytest.mark.parametrize("path", EXAMPLES + cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_example_and_golden_case_is_valid(
    validator: jsonschema.Draft7Validator, path: Path
) -> None:
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors]


GOOD = "title: T\nexercises: [Squat]\n"
BROKEN = {
    "unknown key": "title: T\nwrok: 30s\nexercises: [Squat]\n",
    "no title": "exercises: [Squat]\n",
    "exercises and blocks": "title: T\nexercises: [A]\nblocks: [{exercises: [B]}]\n",
    "nothing to do": "title: T\n",
    "no exercises in a list": "title: T\nexercises: []\n",
    "a block without exercises": "title: T\nblocks: [{name: Warm-up}]\n",
    "not a duration": "title: T\nwork: forty\nexercises: [Squat]\n",
    "negative rest": "title: T\nrest: -5\nexercises: [Squat]\n",
    "zero work": "title: T\nwork: 0\nexercises: [Squat]\n",
    "unknown format": "title: T\nblocks: [{format: hiit, exercises: [A]}]\n",
    "unknown sides": "title: T\nexercises: [{name: Lunge, sides: both}]\n",
    "exercise without a name": "title: T\nexercises: [{tips: [Low]}]\n",
    "zero reps": "title: T\nexercises: [{name: Burpee, reps: 0}]\n",
    "countdown too long": "title: T\ncues: {countdown: 11}\nexercises: [Squat]\n",
    "tips as text": "title: T\ncues: {tips: some}\nexercises: [Squat]\n",
    "halfway as text": "title: T\ncues: {halfway: maybe}\nexercises: [Squat]\n",
    "music without a file": "title: T\nmusic: {volume: -18dB}\nexercises: [Squat]\n",
    "music level": "title: T\nmusic: {file: a.mp3, volume: loud}\nexercises: [Squat]\n",
    "voice key": "title: T\nvoice: {voice: en-us, speed: 3}\nexercises: [Squat]\n",
    "voice rate": "title: T\nvoice: {voice: en-us, rate: 5}\nexercises: [Squat]\n",
    "title as a list": "title: [a, b]\nexercises: [Squat]\n",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=list(BROKEN))
def test_schema_and_loader_both_reject_a_broken_file(
    validator: jsonschema.Draft7Validator, text: str
) -> None:
    assert not validator.is_valid(yaml.safe_load(text))
    with pytest.raises(WorkoutError):
        parse_workout(text, source="broken.yaml")


def test_a_good_file_passes_both(validator: jsonschema.Draft7Validator) -> None:
    assert validator.is_valid(yaml.safe_load(GOOD))
    assert parse_workout(GOOD, source="good.yaml").title == "T"


def _pattern_matches(text: str) -> bool:
    return re.search(DURATION_PATTERN, text) is not None


def _parses(text: str) -> bool:
    try:
        parse_duration(text)
    except ValueError:
        return False
    return True


@given(st.text(alphabet="0123456789.:msh", max_size=10))
def test_duration_pattern_accepts_exactly_what_the_parser_does(text: str) -> None:
    assert _pattern_matches(text) == _parses(text)


@given(st.text(alphabet="0123456789.:msHMS x-", max_size=12))
def test_duration_pattern_never_accepts_what_the_parser_rejects(text: str) -> None:
    if _pattern_matches(text):
        assert _parses(text)


@pytest.mark.parametrize("text", ["40", "40s", "2m", "1m30s", "1:30", "2.5s", "1h", " 1m 30s "])
def test_documented_spellings_match_the_pattern(text: str) -> None:
    assert _pattern_matches(text) and _parses(text)
