"""Voice profiles: the shipped ones sound different, files are validated with positions,
and `audiogen voices` lists them and speaks samples."""

from __future__ import annotations

import array
import cmath
import math
import statistics
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from audiogen.cli.main import cli
from audiogen.core.ffmpeg import probe_mp3
from audiogen.errors import VoiceChoiceError, WorkoutError
from audiogen.pipeline import render_timeline
from audiogen.speech.synth import make_synthesizer
from audiogen.workout.loader import Overrides, load_workout, parse_workout
from audiogen.workout.profiles import SHIPPED_VOICES, list_profiles, load_profile, resolve_voice

if TYPE_CHECKING:
    from pydub import AudioSegment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("coach", "energetic", "british")


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# --- profile files --------------------------------------------------------------------------


def test_the_shipped_profiles_load_and_differ() -> None:
    profiles = {p.name: p for p in list_profiles()}
    assert set(SHIPPED) <= set(profiles)
    chosen = [profiles[name] for name in SHIPPED]
    assert len({(p.voice, p.rate, p.setting("pitch")) for p in chosen}) == len(SHIPPED)
    assert all(p.description and p.engine == "espeak" for p in chosen)


def test_profiles_are_found_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_voice("british").voice == "en-gb-x-rp"
    assert SHIPPED_VOICES == ROOT / "audiogen" / "data" / "voices"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("voice: en-us\nrate: fast\n", "3:7: error at rate", "expected words per minute"),
        ("volume: 2\n", "2:9: error at volume", "at most 1"),
        ("clips: recordings\n", "2:8: error at clips", "no clips folder at"),
        ("voice: [en-us]\n", "2:8: error at voice", "expected a single value"),
    ],
)
def test_profile_mistakes_are_reported_with_file_line_and_column(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path / "mine.yaml", "description: My voice\n" + text)
    with pytest.raises(WorkoutError) as info:
        load_profile(path)
    assert f"{path}:{where}" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("voice: en-us\npich: 40\n", "3:1: error at pich", "did you mean 'pitch'?"),
        ("pitch: 50.5\n", "2:1: error at pitch", "from 0 to 100"),
    ],
)
def test_engine_setting_mistakes_point_into_the_profile(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    """The engine checks its own settings, placed at their key in the profile file."""
    profile = load_profile(write(tmp_path / "mine.yaml", "description: My voice\n" + text))
    with pytest.raises(WorkoutError) as info:
        make_synthesizer(profile)
    assert f"{tmp_path / 'mine.yaml'}:{where}" in str(info.value)
    assert message in str(info.value)
    assert info.value.exit_code == 2


def test_an_unknown_engine_is_a_users_mistake(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path / "mine.yaml", "engine: sapi\n"))
    with pytest.raises(VoiceChoiceError, match="unknown speech engine 'sapi'") as info:
        make_synthesizer(profile)
    assert info.value.hint is not None and "sapi5" in info.value.hint


def test_an_empty_profile_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.yaml", "\n")
    with pytest.raises(WorkoutError, match=f"{path}:1:1: error: the voice profile is empty"):
        load_profile(path)


def test_an_unknown_voice_id_in_a_profile_names_the_profile_and_close_matches(
    tmp_path: Path,
) -> None:
    (tmp_path / "voices").mkdir()
    write(tmp_path / "voices" / "mine.yaml", "voice: en-gb\n")
    workout = write(tmp_path / "w.yaml", "title: T\nvoice: mine\nexercises: [Squat]\n")
    result = CliRunner().invoke(cli, ["timeline", str(workout)])
    assert result.exit_code == 2
    assert "voice profile 'mine': espeak-ng has no voice 'en-gb'" in result.output
    assert "did you mean" in result.output and "en-gb-x-rp" in result.output


def test_a_bad_profile_named_by_a_workout_points_at_the_profile(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    profile = write(tmp_path / "voices" / "slow.yaml", "voice: en-us\nrate: 20\n")
    workout = write(tmp_path / "w.yaml", "title: T\nvoice: slow\nexercises: [Squat]\n")
    result = CliRunner().invoke(cli, ["check", str(workout)])
    assert result.exit_code == 2
    assert f"{profile}:2:7: error at rate" in result.output


def test_clips_folders_are_relative_to_their_file(tmp_path: Path) -> None:
    (tmp_path / "voices" / "mine").mkdir(parents=True)
    write(tmp_path / "voices" / "me.yaml", "voice: en-us\nclips: mine\n")
    (tmp_path / "recordings").mkdir()
    assert resolve_voice("me", base_dir=tmp_path).clips == tmp_path / "voices" / "mine"
    inline = resolve_voice({"clips": "recordings"}, base_dir=tmp_path)
    assert inline.clips == tmp_path / "recordings"


def test_inline_mistakes_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(WorkoutError, match=r"4:3: error at voice: rate: expected words per"):
        parse_workout("title: T\nexercises: [Squat]\nvoice:\n  rate: 9000\n")


def test_command_line_voice_and_rate_override_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "w.yaml", "title: T\nvoice: british\nexercises: [Squat]\n")
    assert load_workout(path).voice.voice == "en-gb-x-rp"
    model = load_workout(path, Overrides(voice="energetic", rate=190))
    assert (model.voice.voice, model.voice.rate) == ("en-us+f3", 190)


# --- they sound different -------------------------------------------------------------------

SAMPLE = """\
title: Voice Sample
work: 40s
rest: 20s
exercises:
  - name: Front Squat
    tips: [Keep your chest tall]
  - Plank
"""


def pcm(clip: AudioSegment, rate: int = 11_025) -> array.array[int]:
    return array.array("h", clip.set_frame_rate(rate).raw_data)


def pitch_hz(clip: AudioSegment) -> float:
    """Median autocorrelation pitch of the voiced (loud) windows."""
    rate, window = 11_025, 441
    data = pcm(clip)
    lags = range(rate // 400, rate // 60)
    starts = range(0, len(data) - window - lags[-1], window // 2)
    energy = {i: sum(x * x for x in data[i : i + window : 3]) for i in starts}
    loudest = max(energy.values())
    estimates = []
    for i in (i for i in starts if energy[i] > 0.3 * loudest):
        w = data[i : i + window + lags[-1]]
        best = max(lags, key=lambda lag: sum(w[k] * w[k + lag] for k in range(0, window, 2)))
        estimates.append(rate / best)
    return statistics.median(estimates)


BANDS_HZ = (0, 250, 500, 1000, 2000, 4000)


def band_energy(clip: AudioSegment) -> list[float]:
    """Share of the clip's energy in each octave band: a plain DFT on 128-sample frames."""
    rate, n = 11_025, 128
    data = pcm(clip, rate)
    twiddle = [[cmath.exp(-2j * math.pi * k * i / n) for i in range(n)] for k in range(n // 2)]
    band_of = [sum(1 for edge in BANDS_HZ[1:] if k * rate / n >= edge) for k in range(n // 2)]
    energy = [0.0] * len(BANDS_HZ)
    for start in range(0, len(data) - n, 2 * n):  # every other frame is plenty
        frame = data[start : start + n]
        for k in range(1, n // 2):
            energy[band_of[k]] += (
                abs(sum(x * t for x, t in zip(frame, twiddle[k], strict=True))) ** 2
            )
    total = sum(energy)
    return [e / total for e in energy]


@pytest.fixture(scope="module")
def spoken() -> dict[str, dict[str, AudioSegment]]:
    """The sample workout rendered with each shipped profile: its phrases' audio."""
    return {
        name: dict(render_timeline(parse_workout(SAMPLE, overrides=Overrides(voice=name))).clips)
        for name in SHIPPED
    }


def total_ms(clips: dict[str, AudioSegment]) -> int:
    return sum(len(c) for c in clips.values())


def test_each_profile_speaks_the_same_phrases(spoken: dict[str, dict[str, AudioSegment]]) -> None:
    assert spoken["coach"].keys() == spoken["energetic"].keys() == spoken["british"].keys()


def test_energetic_is_faster_and_higher_british_slower_and_lower(
    spoken: dict[str, dict[str, AudioSegment]],
) -> None:
    length = {name: total_ms(clips) for name, clips in spoken.items()}
    assert length["energetic"] < 0.9 * length["coach"]
    assert length["british"] > 1.05 * length["coach"]
    pitch = {name: pitch_hz(clips["Keep your chest tall"]) for name, clips in spoken.items()}
    assert pitch["energetic"] > 1.6 * pitch["coach"]
    assert pitch["british"] < 0.95 * pitch["coach"]


def test_each_pair_of_profiles_differs_in_spectrum(
    spoken: dict[str, dict[str, AudioSegment]],
) -> None:
    bands = {name: band_energy(clips["Keep your chest tall"]) for name, clips in spoken.items()}
    for a, b in (("coach", "energetic"), ("coach", "british"), ("energetic", "british")):
        distance = sum(abs(x - y) for x, y in zip(bands[a], bands[b], strict=True))
        assert distance > 0.1, (a, b, bands[a], bands[b])


# --- the command --------------------------------------------------------------------------


def test_voices_lists_profiles_with_descriptions_and_filters_engine_voices() -> None:
    result = CliRunner().invoke(cli, ["voices", "--lang", "en"])
    assert result.exit_code == 0, result.output
    for profile in list_profiles():
        line = next(x for x in result.output.splitlines() if x.split()[:1] == [profile.name])
        assert profile.description in line
    assert "gmw/en-gb-x-rp" in result.output
    assert "roa/fr" not in result.output
    assert "roa/fr" in CliRunner().invoke(cli, ["voices"]).output


def test_say_writes_a_sample_mp3(tmp_path: Path) -> None:
    output = tmp_path / "sample.mp3"
    args = ["voices", "--say", "Front squat", "--voice", "coach", "-o", str(output)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"Wrote {output}" in result.output and "voice coach" in result.output
    info = probe_mp3(output)
    assert (info.sample_rate, info.channels) == (44_100, 1)
    assert 900 <= info.duration_ms <= 3000


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--say", "Hi", "--voice", "en-uss", "-o", "x.mp3"], 2, "did you mean"),
        (["--say", "  ", "-o", "x.mp3"], 2, "needs some text"),
        (["--voice", "coach"], 2, "go with --say"),
    ],
)
def test_say_mistakes(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(cli, ["voices", *args])
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["voices", "record-list"], ["cache", "clear"], ["cache"]])
def test_subcommands_have_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output
