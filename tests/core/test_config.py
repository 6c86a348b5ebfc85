"""Reading audiogen.toml: values with the line each was written on."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.core.config import find_config, read_config
from audiogen.errors import ConfigError


def test_each_setting_knows_its_line(tmp_path: Path) -> None:
    path = tmp_path / "audiogen.toml"
    path.write_text('# defaults\nbitrate = "128k"\n\n"out_dir" = "tracks"\njobs=2\n')
    config = read_config(path)
    assert [(s.key, s.value, s.line) for s in config.settings] == [
        ("bitrate", "128k", 2),
        ("out_dir", "tracks", 4),
        ("jobs", 2, 5),
    ]


def test_unknown_keys_are_named_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "audiogen.toml"
    path.write_text('bitrate = "1"\nvoise = "coach"\n')
    with pytest.raises(ConfigError) as caught:
        read_config(path).check_keys({"bitrate", "voice"})
    assert str(caught.value).startswith(f"{path}:2: error at voise: unknown key 'voise'")
    assert caught.value.exit_code == 2 and "did you mean 'voice'?" in str(caught.value)


def test_the_working_folder_comes_before_the_user_folder(
    tmp_path: Path, user_config_dir: Path
) -> None:
    assert find_config(tmp_path) is None
    user_config_dir.mkdir(parents=True)
    (user_config_dir / "audiogen.toml").write_text("")
    assert find_config(tmp_path) == user_config_dir / "audiogen.toml"
    (tmp_path / "audiogen.toml").write_text("")
    assert find_config(tmp_path) == tmp_path / "audiogen.toml"
