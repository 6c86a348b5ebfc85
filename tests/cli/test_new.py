"""`audiogen new`: a commented starter of each format that passes `check` as written."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from audiogen.cli.main import cli
from audiogen.core.resources import data_file
from audiogen.workout.loader import load_workout


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", ["intervals", "tabata", "emom", "amrap"])
def test_each_format_writes_a_file_that_passes_check(fmt: str, in_tmp: Path) -> None:
    result = CliRunner().invoke(cli, ["new", f"leg-day-{fmt}", "--format", fmt])
    assert result.exit_code == 0, result.output
    path = in_tmp / f"leg-day-{fmt}.yaml"
    assert f"Wrote leg-day-{fmt}.yaml ({fmt})" in result.stdout
    checked = CliRunner().invoke(cli, ["check", str(path)])
    assert checked.exit_code == 0, checked.output
    workout = load_workout(path)
    assert workout.title == f"Leg Day {fmt.capitalize()}"
    if fmt != "intervals":
        assert fmt in {str(block.format) for block in workout.blocks}
    text = path.read_text()
    assert text.count("#") > 5, "a starter explains itself in comments"
    schema = json.loads(data_file("workout.schema.json").read_text())
    jsonschema.validate(yaml.safe_load(text), schema)


def test_the_first_line_points_editors_at_the_installed_schema(in_tmp: Path) -> None:
    CliRunner().invoke(cli, ["new"])
    first = (in_tmp / "workout.yaml").read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema={data_file('workout.schema.json')}"
    assert data_file("workout.schema.json").is_file()


def test_an_existing_file_is_kept_unless_forced(in_tmp: Path) -> None:
    (in_tmp / "mine.yaml").write_text("my work")
    result = CliRunner().invoke(cli, ["new", "mine.yaml"])
    assert result.exit_code == 2 and "mine.yaml already exists" in result.stderr
    assert (in_tmp / "mine.yaml").read_text() == "my work"
    assert CliRunner().invoke(cli, ["new", "mine.yaml", "--force"]).exit_code == 0
    assert load_workout(in_tmp / "mine.yaml").title == "Mine"


def test_a_title_that_needs_quotes_in_yaml_gets_them(in_tmp: Path) -> None:
    title = "Legs: #1 'hard'"
    result = CliRunner().invoke(cli, ["new", "sub/legs", "--title", title, "--format", "emom"])
    assert result.exit_code == 0, result.output
    assert load_workout(in_tmp / "sub" / "legs.yaml").title == title
