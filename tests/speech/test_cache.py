"""The speech cache: hits, misses, corrupt entries, concurrent writers, and the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from audiogen.cli.main import cli
from audiogen.pipeline import render_timeline
from audiogen.speech.cache import (
    ENV_VAR,
    SPEECH_DIR,
    SpeechCache,
    cache_root,
    clear,
    entry_digest,
    usage,
)
from audiogen.speech.resolver import speak_phrases
from audiogen.speech.tone import ToneSynthesizer
from audiogen.workout.loader import parse_workout

if TYPE_CHECKING:
    from pydub import AudioSegment

KEY = ToneSynthesizer.key


class Counting:
    """The tone stand-in, counting what it is asked to say."""

    key = KEY

    def __init__(self) -> None:
        self.asked: list[str] = []

    def synthesize(self, text: str) -> AudioSegment:
        self.asked.append(text)
        return ToneSynthesizer().synthesize(text)


@pytest.fixture
def cache(tmp_path: Path) -> SpeechCache:
    return SpeechCache(tmp_path)


def entry_path(cache: SpeechCache, text: str, key: str = KEY) -> Path:
    return cache.path(entry_digest(key, text))


# --- entries ----------------------------------------------------------------------------


def test_a_stored_clip_comes_back_identical(cache: SpeechCache) -> None:
    clip = ToneSynthesizer().synthesize("Front squat")
    assert cache.get(KEY, "Front squat") is None
    cache.put(KEY, "Front squat", clip)
    back = cache.get(KEY, "Front squat")
    assert back is not None
    assert (back.raw_data, back.frame_rate, back.channels) == (clip.raw_data, 44100, 1)


def test_any_change_of_key_or_text_misses(cache: SpeechCache) -> None:
    cache.put(KEY, "Halfway", ToneSynthesizer().synthesize("Halfway"))
    assert cache.get(KEY + "|rate=200", "Halfway") is None
    assert cache.get(KEY, "Halfway.") is None
    assert cache.get(KEY, "halfway") is None


def corrupt_flip(path: Path) -> None:
    blob = bytearray(path.read_bytes())
    blob[-100] ^= 0x40
    path.write_bytes(bytes(blob))


def corrupt_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-2000])


def corrupt_header(path: Path) -> None:
    path.write_bytes(b"\0" * 16 + path.read_bytes()[16:])


def corrupt_empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [corrupt_flip, corrupt_truncate, corrupt_header, corrupt_empty])
def test_a_damaged_entry_is_rejected_and_removed(
    cache: SpeechCache, damage: Callable[[Path], None]
) -> None:
    cache.put(KEY, "Front squat", ToneSynthesizer().synthesize("Front squat"))
    path = entry_path(cache, "Front squat")
    damage(path)
    assert cache.get(KEY, "Front squat") is None
    assert cache.rejected == 1
    assert not path.exists()


def test_an_entry_under_the_wrong_name_is_rejected(cache: SpeechCache) -> None:
    # A valid entry for another phrase, as a bad copy or a hash mix-up would leave it.
    cache.put(KEY, "Plank", ToneSynthesizer().synthesize("Plank"))
    target = entry_path(cache, "Front squat")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(entry_path(cache, "Plank").read_bytes())
    assert cache.get(KEY, "Front squat") is None


def test_a_damaged_entry_is_synthesized_again_never_played(cache: SpeechCache) -> None:
    phrases = ["Front squat", "Halfway", "Plank"]
    speak_phrases(phrases, Counting(), cache=cache)
    corrupt_flip(entry_path(cache, "Halfway"))
    again = Counting()
    speech = speak_phrases(phrases, again, cache=cache)
    assert again.asked == ["Halfway"]
    assert (speech.synthesized, speech.cached) == (1, 2)
    assert speech.clips["Halfway"].raw_data == ToneSynthesizer().synthesize("Halfway").raw_data


def test_an_unwritable_cache_does_not_fail_the_build(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = SpeechCache(blocker)
    speech = speak_phrases(["Go"], Counting(), cache=cache)
    assert speech.synthesized == 1
    assert cache.write_errors == 1


def _write_and_read(root: str) -> int:
    """One of several builds at once: write every phrase, read others back, count
    anything wrong it saw."""
    cache = SpeechCache(Path(root))
    tone = ToneSynthesizer()
    texts = [f"Phrase number {n}" for n in range(8)]
    bad = 0
    for round_ in range(15):
        for n, text in enumerate(texts):
            cache.put(KEY, text, tone.synthesize(text))
            other = texts[(n + round_) % len(texts)]
            got = cache.get(KEY, other)
            bad += got is not None and got.raw_data != tone.synthesize(other).raw_data
    return bad + cache.rejected


def test_concurrent_builds_never_see_a_partial_entry(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        problems = list(pool.map(_write_and_read, [str(tmp_path)] * 4))
    assert problems == [0, 0, 0, 0]
    leftovers = [p for p in (tmp_path / SPEECH_DIR).rglob("*") if p.name.startswith(".")]
    assert leftovers == []
    assert usage(tmp_path).entries == 8


# --- where it lives, and clearing it --------------------------------------------------------


def test_the_cache_lives_where_the_environment_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    assert cache_root() == tmp_path / "elsewhere"
    monkeypatch.delenv(ENV_VAR)
    assert cache_root().name == "audiogen"  # the platform's user cache folder


def test_tests_never_use_the_real_cache(speech_cache_dir: Path) -> None:
    assert cache_root() == speech_cache_dir


def test_clear_reports_what_it_freed(cache: SpeechCache, tmp_path: Path) -> None:
    for text in ("One", "Two", "Three"):
        cache.put(KEY, text, ToneSynthesizer().synthesize(text))
    before = usage(tmp_path)
    assert before.entries == 3 and before.bytes > 3 * 26_000
    freed = clear(tmp_path)
    assert (freed.entries, freed.bytes) == (3, before.bytes)
    assert usage(tmp_path).entries == 0
    assert cache.get(KEY, "One") is None


def test_cache_commands(speech_cache_dir: Path) -> None:
    SpeechCache().put(KEY, "Halfway", ToneSynthesizer().synthesize("Halfway"))
    runner = CliRunner()
    shown = runner.invoke(cli, ["cache"])
    assert shown.exit_code == 0, shown.output
    assert str(speech_cache_dir) in shown.output and "1 phrases" in shown.output
    cleared = runner.invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0, cleared.output
    assert re.search(r"freed \d+\.\d KB \(1 phrases\)", cleared.output)
    assert "freed 0 bytes (0 phrases)" in runner.invoke(cli, ["cache", "clear"]).output


# --- builds -----------------------------------------------------------------------------

LONG = """\
title: Cache Test
work: 40s
rest: 20s
rounds: 3
exercises:
  - name: Front Squat
    tips: [Chest up]
  - Plank
"""


def test_rebuild_after_changing_an_interval_synthesizes_nothing() -> None:
    first = render_timeline(parse_workout(LONG), synthesizer=Counting())
    assert first.synthesized > 5 and first.cached == 0
    changed = parse_workout(LONG.replace("  - Plank", "  - {name: Plank, work: 45s}"))
    counting = Counting()
    second = render_timeline(changed, synthesizer=counting)
    # Only the intro's stated length ("7 minutes in total") may be new.
    assert all(text.endswith("minutes in total.") for text in counting.asked)
    assert second.synthesized == len(counting.asked) <= 1


def test_no_cache_neither_reads_nor_writes(speech_cache_dir: Path) -> None:
    workout = parse_workout(LONG)
    rendered = render_timeline(workout, synthesizer=Counting(), cache=False)
    assert rendered.cached == 0
    assert usage().entries == 0


SHORT = "title: Short\nwork: 5s\nrest: 3s\ncues: {countdown: 2}\nexercises: [Squat, Lunge]\n"


def summary(output: str) -> tuple[int, int]:
    match = re.search(r"(\d+) phrases synthesized, (\d+) from the speech cache", output)
    assert match, output
    return int(match[1]), int(match[2])


def test_second_build_says_it_synthesized_nothing(tmp_path: Path) -> None:
    source = tmp_path / "short.yaml"
    source.write_text(SHORT)
    runner = CliRunner()
    args = ["build", str(source), "-o", str(tmp_path / "short.mp3"), "--bitrate", "32k"]
    cold = runner.invoke(cli, args)
    assert cold.exit_code == 0, cold.output
    synthesized, cached = summary(cold.output)
    assert synthesized > 3 and cached == 0
    warm = runner.invoke(cli, args)
    assert summary(warm.output) == (0, synthesized)
    forced = runner.invoke(cli, [*args, "--no-cache"])
    assert summary(forced.output) == (synthesized, 0)


def test_timeline_takes_no_cache(tmp_path: Path) -> None:
    source = tmp_path / "short.yaml"
    source.write_text(SHORT)
    result = CliRunner().invoke(cli, ["timeline", str(source), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert usage().entries == 0
