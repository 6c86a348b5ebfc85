"""Every shipped workout, mono and over the music bed: the loudness worked out in process
is what ffmpeg's ebur128 measures on the finished file, and the file meets the spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.audio.level import TARGET_LUFS, LoudnessTarget
from audiogen.audio.measure import measure_file
from audiogen.pipeline import build_workout
from audiogen.speech.cache import SpeechCache
from audiogen.workout.loader import load_workout
from audiogen.workout.model import MusicBed

ROOT = Path(__file__).resolve().parents[2]
WORKOUTS = sorted((ROOT / "workouts").glob("*.yaml"))
LOOP = ROOT / "audiogen" / "data" / "music" / "loop.ogg"
# What LAME takes off at 96k, as the target allows for it.
CODEC_LOSS = LoudnessTarget.for_codec("mp3", 96).lufs - TARGET_LUFS


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> SpeechCache:
    """One speech cache for the module: the mono and music builds of a workout speak
    and level the same phrases (what is measured is the mix, built afresh each time)."""
    return SpeechCache(tmp_path_factory.mktemp("shared-speech"))


# Every workout mono; over the bed, all but the translations of quick-legs (the same
# workout in another voice: mono covers the voice, and the bed adds the same there).
CASES = [(path, False) for path in WORKOUTS] + [
    (path, True) for path in WORKOUTS if not path.stem.startswith("quick-legs-")
]


@pytest.mark.audio
@pytest.mark.parametrize(
    ("path", "music"), CASES, ids=[f"{p.stem}-{'music' if m else 'mono'}" for p, m in CASES]
)
def test_worked_out_loudness_is_the_files(
    tmp_path: Path, path: Path, music: bool, shared_cache: SpeechCache
) -> None:
    output = tmp_path / f"{path.stem}.mp3"
    bed = MusicBed(LOOP) if music else False
    result = build_workout(load_workout(path), output, music=bed, cache=shared_cache)
    measured = measure_file(output)
    assert measured.true_peak is not None
    assert abs(measured.integrated - (result.loudness - CODEC_LOSS)) <= 0.3, (
        result.loudness,
        measured,
    )
    assert abs(measured.integrated - TARGET_LUFS) <= 1.0
    assert measured.true_peak <= -1.0
