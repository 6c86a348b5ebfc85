"""The engine seam: a new engine is one module that registers itself.

The sine-tone engine below is such a module, written in this test: nothing outside it
changes, and a profile naming it drives a whole timeline.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from audiogen.errors import VoiceChoiceError, WorkoutError
from audiogen.pipeline import render_timeline
from audiogen.speech import registry
from audiogen.speech.clip import RawSpeech
from audiogen.speech.registry import EngineVoice, SettingSpec, engine_names, register
from audiogen.speech.synth import make_synthesizer
from audiogen.workout.loader import parse_workout
from audiogen.workout.profiles import load_profile

RATE = 16_000


class SineSpeaker:
    def __init__(self, hz: float, rate: int) -> None:
        self.hz, self.rate = hz, rate
        self.key = f"sine|{hz}|{rate}"

    def synthesize(self, text: str) -> RawSpeech:
        # 10 ms per character per 175 wpm, framed by silence the seam must trim.
        frames = RATE * len(text) * 175 // (100 * self.rate)
        tone = [round(8000 * math.sin(2 * math.pi * self.hz * i / RATE)) for i in range(frames)]
        silence = [0] * (RATE // 10)
        samples = silence + tone + silence
        return RawSpeech(b"".join(s.to_bytes(2, "little", signed=True) for s in samples), RATE)


class SineEngine:
    name = "sine"
    default_voice = "a"
    settings: Mapping[str, SettingSpec] = {"octave": SettingSpec(int, 0, 3, 0, "0 is 440 Hz")}

    def unavailable(self) -> str | None:
        return None

    def version(self) -> str:
        return "sine 1.0"

    def voices(self) -> list[EngineVoice]:
        return [EngineVoice("a", "A 440", ("xx",))]

    def open(
        self, voice: str, *, rate: int, volume: float, settings: Mapping[str, int | float]
    ) -> SineSpeaker:
        if voice != "a":
            raise VoiceChoiceError(f"sine has no voice {voice!r}", hint="use a")
        return SineSpeaker(440.0 * 2 ** settings.get("octave", 0), rate)


@pytest.fixture
def sine() -> Iterator[SineEngine]:
    engine = SineEngine()
    register(engine)
    yield engine
    registry._ENGINES.pop(engine.name)


def test_a_registered_engine_speaks_a_whole_timeline(sine: SineEngine, tmp_path: Path) -> None:
    text = "title: T\nvoice: {engine: sine, voice: a}\nwork: 20s\nexercises: [Squat, Lunge]\n"
    rendered = render_timeline(parse_workout(text, source="w.yaml"), cache=False)
    assert "sine" in engine_names()
    assert rendered.synthesized == len(rendered.clips) > 0
    squat = rendered.clips["Next up: Lunge"]
    # Trimmed by the seam (not by the engine) and resampled to the track's rate.
    assert squat.frame_rate == 44_100
    assert len(squat) < 10 * len("Next up: Lunge") + 100


def test_engine_settings_come_from_the_profile_and_are_checked_there(
    sine: SineEngine, tmp_path: Path
) -> None:
    good = tmp_path / "high.yaml"
    good.write_text("engine: sine\nvoice: a\noctave: 2\n")
    speaker = make_synthesizer(load_profile(good)).speaker
    assert isinstance(speaker, SineSpeaker) and speaker.hz == 1760
    bad = tmp_path / "bad.yaml"
    bad.write_text("engine: sine\nvoice: a\noctave: 9\n")
    with pytest.raises(WorkoutError, match=r"bad.yaml:3:1: error at octave"):
        make_synthesizer(load_profile(bad))


def test_an_engine_that_is_not_registered_is_a_users_mistake() -> None:
    with pytest.raises(VoiceChoiceError) as info:
        make_synthesizer(parse_workout("title: T\nvoice: {engine: sine}\nexercises: [A]\n").voice)
    assert info.value.exit_code == 2


def test_the_built_in_engines_are_registered() -> None:
    assert {"espeak", "sapi5", "nsss"} <= set(engine_names())
