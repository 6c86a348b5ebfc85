"""The pipeline as a library: the stages run in order, and the API does what the CLI does.

A tone stands in for speech here (tests/speech covers the engines); the encode, the tags
and the files read back are real.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audiogen import build_workout, parse_workout, render_timeline
from audiogen.core.ffmpeg import probe_mp3
from audiogen.core.resources import data_dir
from audiogen.output.tags import read_chapters
from audiogen.pipeline import speak_ahead
from audiogen.plan.compiler import compile_plan
from audiogen.speech.cache import SpeechCache
from audiogen.speech.tone import ToneSynthesizer

WORKOUT = """\
title: Pipeline Check
author: Test Coach
work: 6s
rest: 3s
exercises: [Squat, Lunge]
music:
  file: {music}
"""


@pytest.fixture(scope="module")
def workout(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("pipeline")
    text = WORKOUT.format(music=data_dir("music") / "loop.ogg")
    return parse_workout(text, source=str(folder / "w.yaml"), base_dir=folder)


def test_the_workouts_own_music_is_used_unless_told_otherwise(workout, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tone = ToneSynthesizer()
    with_bed = build_workout(workout, tmp_path / "bed.mp3", synthesizer=tone, cache=False)
    without = build_workout(
        workout, tmp_path / "plain.mp3", synthesizer=tone, cache=False, music=False
    )
    assert probe_mp3(with_bed.output).channels == 2
    assert probe_mp3(without.output).channels == 1


def test_a_build_writes_tagged_audio_and_its_sidecars(workout, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = build_workout(
        workout, tmp_path / "t.mp3", synthesizer=ToneSynthesizer(), cache=False, music=False
    )
    assert probe_mp3(result.output).duration_ms == result.timeline.duration_ms
    titles = [title for _, _, title in read_chapters(result.output)]
    assert titles == ["Squat", "Lunge"]
    sidecar = json.loads(result.output.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["duration"] == result.timeline.duration_ms / 1000
    assert sidecar["audio"]["size"] == result.output.stat().st_size
    assert {p.suffix for p in result.sidecars} == {".json", ".vtt", ".lrc"}


def test_speaking_ahead_speaks_each_phrase_of_many_workouts_once(tmp_path: Path) -> None:
    """What `build -j N` runs first: every workout's phrases in one engine run per voice
    (real espeak-ng), shared phrases once, a broken workout skipped; then the builds
    find all of it in the cache and synthesize nothing."""
    cache = SpeechCache(tmp_path / "cache")
    legs = parse_workout("title: Legs\nwork: 5s\nrest: 5s\nexercises: [Squat, Lunge]\n")
    arms = parse_workout("title: Arms\nwork: 5s\nrest: 5s\nexercises: [Squat, Curl]\n")
    unknown = parse_workout("title: X\nvoice: no-such-voice\nexercises: [Squat]\n")
    distinct = set(compile_plan(legs).phrases()) | set(compile_plan(arms).phrases())
    assert len(distinct) < len(compile_plan(legs).phrases()) + len(compile_plan(arms).phrases())
    assert speak_ahead([legs, unknown, arms], cache) == len(distinct)
    assert speak_ahead([legs, arms], cache) == 0
    built = build_workout(legs, tmp_path / "legs.mp3", cache=cache)
    assert built.rendered.synthesized == 0 and built.rendered.cached > 0


def test_a_tip_the_voice_says_nothing_for_is_left_out_with_a_reason() -> None:
    """Real espeak-ng reads "---" as nothing: no silent cue on the clock, and the
    timeline says why the tip is missing. A lone emoji is read (by its name)."""
    workout = parse_workout(
        "title: Odd\nwork: 30s\nrest: 15s\ncues: {tips: 2}\n"
        "exercises:\n  - name: Squat\n    tips: ['---', '💪']\n"
    )
    timeline = render_timeline(workout, cache=False).timeline
    spoken = [c.phrase for c in timeline.cues if c.kind == "speech"]
    assert "---" not in spoken and "💪" in spoken
    assert [(str(d.role), d.text, d.reason) for d in timeline.dropped] == [
        ("tip", "---", "the voice says nothing for it")
    ]
