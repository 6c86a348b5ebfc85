"""Config defaults rank below the workout file, at every level the file may set them."""

from __future__ import annotations

from pathlib import Path

from audiogen.core.config import Config, Setting
from audiogen.workout.defaults import FileDefault, defaults_from
from audiogen.workout.loader import parse_workout

BLOCKS = """\
title: T
cues: {countdown: 2}
blocks:
  - exercises: [A]
  - cues: {tips: 1}
    exercises: [B]
"""


def test_tips_fill_the_file_cues_and_a_block_still_sets_its_own() -> None:
    workout = parse_workout(BLOCKS, defaults=[FileDefault("cues.tips", 0, "c.toml", 1)])
    assert [block.cues.tips for block in workout.blocks] == [0, 1]
    assert workout.blocks[0].cues.countdown == 2


def test_files_in_the_config_are_relative_to_it(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "audiogen.toml"
    settings = (
        Setting("music", "bed.mp3", path, 1),
        Setting("voice", "mine.yaml", path, 2),
        Setting("rounds", 3, path, 3),
    )
    found = {d.key_path: d.value for d in defaults_from(Config(path, settings))}
    assert found == {
        "music.file": str(tmp_path / "cfg" / "bed.mp3"),
        "voice": str(tmp_path / "cfg" / "mine.yaml"),
        "rounds": 3,
    }
    profile = Setting("voice", "british", path, 1)
    assert defaults_from(Config(path, (profile,)))[0].value == "british"
