"""Fixtures for every test: the speech cache never touches the real home directory, and
a workout without `voice:` speaks with espeak-ng even where the natural voice is
installed (fast and the same on every machine); tests/speech/test_piper.py uses the
natural voice on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from audiogen.speech import defaults
from audiogen.speech.cache import ENV_VAR
from tests.leftovers import OLD_BYTES


@pytest.fixture(scope="session", autouse=True)
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """For module- and session-scoped fixtures, which run before any function fixture."""
    folder = tmp_path_factory.mktemp("speech-cache-session")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(folder))
        # Set for the session, so the commands tests run as subprocesses get it too.
        patch.setenv(defaults.ENV_VAR, "espeak")
        yield folder


@pytest.fixture(autouse=True)
def speech_cache_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty cache for each test, so no test depends on another's phrases."""
    folder = tmp_path_factory.mktemp("speech-cache")
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output path that already holds a good file."""
    path = tmp_path / "out.mp3"
    path.write_bytes(OLD_BYTES)
    return path


@pytest.fixture(autouse=True)
def user_config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An empty user config folder, so no test reads the developer's audiogen.toml."""
    folder = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder / "audiogen"
