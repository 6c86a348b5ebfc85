"""The `piper` engine (the natural voice) for real, where the `natural` extra is installed.

The tests at the top run everywhere: registering the engine loads nothing, and a
machine without the extra says how to get it. The rest need the extra and skip with
the reason otherwise. Worker pools take a second or two to start (a fresh interpreter,
piper and the model), so the seed workout is spoken once per session and shared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audiogen.audio.measure import measure_file, measure_pcm
from audiogen.cli.main import cli
from audiogen.errors import VoiceChoiceError, WorkoutError
from audiogen.pipeline import Rendered, preflight, render_timeline
from audiogen.speech import defaults
from audiogen.speech.cache import SpeechCache
from audiogen.speech.clip import PAD_MS, SILENCE_AMPLITUDE
from audiogen.speech.engines import piper as piper_engine
from audiogen.speech.engines.piper import PiperEngine, PiperSpeaker, length_scale_for_rate
from audiogen.speech.registry import find_engine
from audiogen.speech.synth import EngineSynthesizer
from audiogen.workout.loader import Overrides, load_workout
from audiogen.workout.model import Workout
from tests import rules

SEED = Path("workouts/strength-for-runners.yaml")
GOBLET = "[[ˈɡɑːblɪt]]"  # noqa: RUF001  (IPA, as Piper and espeak-ng spell it)
LUNGE = "[[lˈʌndʒ]]"  # noqa: RUF001
MISSING = find_engine("piper").unavailable()
needs_natural = pytest.mark.skipif(
    MISSING is not None, reason=f"the natural voice is not installed here: {MISSING}"
)
SHORT = f"""\
title: Natural
work: 6s
rest: 4s
rounds: 1
voice: natural
pronounce:
  Lunge: "{LUNGE}"
exercises:
  - name: Goblet Squat
    say: "{GOBLET} squat"
    tips: [Chest up]
  - Lunge
"""


# --- everywhere ---------------------------------------------------------------------------


def test_registering_the_engine_imports_no_model_library() -> None:
    def imported(modules: str) -> set[str]:
        code = f"import sys, {modules}; print(sorted(sys.modules))"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        return set(eval(run.stdout))

    # The speech stage registers its engines without numpy; the CLI loads the audio stage,
    # which measures loudness with numpy (issue 13), but never the model libraries.
    assert not {"piper", "onnxruntime", "onnx", "numpy"} & imported("audiogen.speech.synth")
    assert not {"piper", "onnxruntime", "onnx"} & imported(
        "audiogen.cli.main, audiogen.speech.synth"
    )


def test_rate_sets_the_pace_within_the_voice_range() -> None:
    scales = [length_scale_for_rate(rate) for rate in (80, 120, 175, 250, 450)]
    assert scales == sorted(scales, reverse=True)
    assert 1.05 < length_scale_for_rate(175) < 1.2  # 1.0 is Piper's own pace, ~190 wpm
    assert scales[0] <= 3.0 and scales[-1] == 0.25


@pytest.fixture
def not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the extra were missing, wherever the tests run."""
    monkeypatch.setattr(piper_engine, "_REQUIRED", (("audiogen_no_such_module", "piper-tts"),))
    monkeypatch.delenv(defaults.ENV_VAR)


def test_without_the_extra_a_profile_naming_piper_exits_2_naming_it(
    not_installed: None, tmp_path: Path
) -> None:
    source = tmp_path / "w.yaml"
    source.write_text(SHORT)
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "w.mp3")])
    assert result.exit_code == 2, result.output
    assert "piper" in result.output and "pip install 'audiogen[natural]'" in result.output


def test_without_the_extra_the_default_is_espeak_and_the_commands_say_how(
    not_installed: None,
) -> None:
    assert defaults.default_profile().engine == "espeak"
    for command in (["voices"], ["doctor"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, result.output
        assert "audiogen[natural]" in result.output, command


def test_the_environment_can_keep_espeak_as_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(defaults.ENV_VAR, "espeak")
    assert defaults.default_profile().engine == "espeak"
    assert defaults.default_profile("fr").voice == "fr"
    monkeypatch.setenv(defaults.ENV_VAR, "festival")
    with pytest.raises(VoiceChoiceError, match=defaults.ENV_VAR):
        defaults.default_profile()


# --- with the natural voice -------------------------------------------------------------------


@needs_natural
def test_with_the_extra_the_default_voice_is_natural(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(defaults.ENV_VAR)
    voice = defaults.workout_voice(load_workout(SEED))
    assert (voice.name, voice.engine) == ("natural", "piper")
    rated = defaults.workout_voice(load_workout(SEED, Overrides(rate=200)))
    assert (rated.engine, rated.rate) == ("piper", 200)


@needs_natural
def test_a_build_speaks_with_the_default_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `build` and `check` run before speaking picks the same default as `voices`:
    found missing once (builds spoke espeak while `voices` said natural)."""
    monkeypatch.delenv(defaults.ENV_VAR)
    synthesizer = preflight(load_workout(SEED)).synthesizer
    assert isinstance(synthesizer, EngineSynthesizer)
    assert isinstance(synthesizer.speaker, PiperSpeaker)


@pytest.fixture(scope="session")
def seed_cache(tmp_path_factory: pytest.TempPathFactory) -> SpeechCache:
    return SpeechCache(tmp_path_factory.mktemp("natural-cache"))


@pytest.fixture(scope="session")
def natural_seed(seed_cache: SpeechCache) -> tuple[Workout, Rendered]:
    """The seed workout spoken with the natural voice, cold, on two workers."""
    if MISSING is not None:
        pytest.skip(f"the natural voice is not installed here: {MISSING}")
    workout = load_workout(SEED, Overrides(voice="natural"))
    return workout, render_timeline(workout, cache=seed_cache)


@needs_natural
def test_every_track_rule_holds_on_the_seed_with_the_natural_voice(
    natural_seed: tuple[Workout, Rendered],
) -> None:
    workout, rendered = natural_seed
    rules.check_all(workout, rendered.timeline)
    assert rendered.synthesized > 80 and rendered.cached == 0


@needs_natural
def test_a_warm_rebuild_synthesizes_nothing_and_starts_no_worker(
    natural_seed: tuple[Workout, Rendered],
    seed_cache: SpeechCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_worker(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a warm rebuild started a worker")

    monkeypatch.setattr(piper_engine, "start_worker", no_worker)
    workout, cold = natural_seed
    warm = render_timeline(workout, cache=seed_cache)
    assert (warm.synthesized, warm.cached) == (0, cold.synthesized)
    assert warm.timeline.to_table() == cold.timeline.to_table()


@needs_natural
def test_clips_are_trimmed_and_evenly_loud(natural_seed: tuple[Workout, Rendered]) -> None:
    clips = list(natural_seed[1].clips.values())
    pad = 44_100 * (PAD_MS + 2) // 1000  # the pad, resampled to 44.1 kHz
    for clip in clips:
        samples = clip.get_array_of_samples()
        loud = [i for i, s in enumerate(samples) if abs(s) > SILENCE_AMPLITUDE]
        assert loud[0] <= pad and len(samples) - 1 - loud[-1] <= pad
    silence = bytes(44_100)  # 0.5 s each side: ebur128 gates 400 ms blocks
    levels = sorted(
        measure_pcm([silence, clip.raw_data, silence]).integrated for clip in clips[::4]
    )
    # Piper's raw output spreads 7.5 LU over a workout's cues, espeak-ng's 4.4 (measured).
    assert levels[-1] - levels[0] <= 3.0, levels


@pytest.fixture(scope="module")
def speaker() -> PiperSpeaker:
    if MISSING is not None:
        pytest.skip(f"the natural voice is not installed here: {MISSING}")
    return PiperEngine().open("en_US-joe-medium", rate=175, volume=1.0, settings={})


PHRASES = [
    "Next up: goblet squat.",
    "Keep your chest tall. Drive through your heels.",
    "Halfway",
    "Ten seconds left",
    "Round two of three",
    "Go",
]


def spoken(speaker: PiperSpeaker, texts: list[str], threads: int) -> Iterator[bytes]:
    speaker.threads = threads
    for raw in speaker.synthesize_many(texts):
        assert raw.sample_rate == 22_050
        # One worker process, whatever the number of phrases spoken at once.
        assert len(piper_workers()) == 1
        yield raw.samples


@needs_natural
def test_two_at_a_time_speak_in_order_exactly_as_one_at_a_time_in_any_order(
    speaker: PiperSpeaker,
) -> None:
    parallel = list(spoken(speaker, PHRASES, threads=2))
    reverse = list(spoken(speaker, PHRASES[::-1], threads=1))
    assert parallel == reverse[::-1]  # deterministic across processes and order
    assert sorted(len(p) for p in parallel)[0] == len(parallel[PHRASES.index("Go")])
    assert not piper_workers()


def piper_workers() -> list[int]:
    """This process's children that run the Piper worker (Linux: read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == os.getpid() and b"piper_worker" in command:
            found.append(int(entry.name))
    return found


@needs_natural
def test_volume_scales_and_settings_are_checked(tmp_path: Path) -> None:
    quiet = PiperEngine().open("en_US-joe-medium", rate=175, volume=0.5, settings={})
    loud, soft = (
        measure_pcm([bytes(22_050), s.synthesize("Halfway").samples], sample_rate=22_050)
        for s in (PiperEngine().open("en_US-joe-medium", rate=175, volume=1.0, settings={}), quiet)
    )
    assert 5.0 < loud.integrated - soft.integrated < 7.0
    source = tmp_path / "w.yaml"
    source.write_text(SHORT.replace("voice: natural", "voice: {engine: piper, noise_scale: 2}"))
    with pytest.raises(WorkoutError, match="noise_scale"):
        render_timeline(load_workout(source))


@needs_natural
def test_inline_phonemes_reach_the_engine_and_bad_ones_are_named(speaker: PiperSpeaker) -> None:
    speaker.threads = 2
    good, plain = speaker.synthesize_many([f"{GOBLET} squat", "gablet squat"])
    assert good.samples != plain.samples
    with pytest.raises(VoiceChoiceError, match="unknown phonemes") as caught:
        speaker.synthesize("[[gablet]] squat")  # an ASCII g: Piper's IPA wants U+0261
    assert "U+0261" in str(caught.value)


@needs_natural
def test_a_build_with_the_natural_voice_is_mastered_like_espeak(tmp_path: Path) -> None:
    source = tmp_path / "natural.yaml"
    source.write_text(SHORT)
    output = tmp_path / "natural.mp3"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    measured = measure_file(output)
    assert abs(measured.integrated - -16) <= 1 and measured.true_peak <= -1
    # `say` and `pronounce` reach the engine, and are never shown.
    assert "[[" not in output.with_suffix(".vtt").read_text()
    cues = json.loads(output.with_suffix(".json").read_text())["cues"]
    said = {c.get("say") for c in cues} - {None}
    assert any(GOBLET in s for s in said) and any(LUNGE in s for s in said), said


@needs_natural
def test_voices_say_and_doctor_use_the_natural_voice(tmp_path: Path) -> None:
    output = tmp_path / "sample.mp3"
    args = ["voices", "--say", "Front squat", "--voice", "natural", "-o", str(output)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "voice natural" in result.output and output.stat().st_size > 1000
    doctor = CliRunner().invoke(cli, ["doctor"])
    assert "speech engine piper: ok, piper-tts" in doctor.output
    assert "speech engine espeak: ok, espeak-ng" in doctor.output


@needs_natural
def test_a_script_with_no_main_guard_can_speak_with_it(tmp_path: Path) -> None:
    """The worker is a plain subprocess: it never runs the calling script again (as
    multiprocessing's spawn would, which needs `if __name__ == "__main__":`)."""
    script = tmp_path / "speak.py"
    script.write_text(
        "from audiogen.speech.engines.piper import PiperEngine\n"
        "speaker = PiperEngine().open('en_US-joe-medium', rate=175, volume=1.0, settings={})\n"
        "print(len(list(speaker.synthesize_many(['Go', 'Halfway']))))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "2"), done.stderr
