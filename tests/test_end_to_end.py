"""Build a real short workout (real speech, real MP3) and check the decoded audio."""

from __future__ import annotations

import array
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen.audio.measure import measure_file
from audiogen.cli.main import cli
from audiogen.core.ffmpeg import decode_to_pcm, probe_mp3
from audiogen.output.tags import read_chapters

RATE = 44_100
WORKOUT = """\
title: End to End
work: 6s
rest: 4s
rounds: 2
round_rest: 5s
cues: {countdown: 2, tips: 1}
exercises:
  - name: Squat
    tips: [Chest up]
  - Lunge
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("e2e")
    source = folder / "e2e.yaml"
    source.write_text(WORKOUT)
    output = folder / "e2e.mp3"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output, json.loads(output.with_suffix(".json").read_text())


def samples(path: Path) -> array.array[int]:
    pcm = array.array("h")
    pcm.frombytes(decode_to_pcm(path, sample_rate=RATE, channels=1))
    return pcm


def peak(pcm: array.array[int], start_s: float, length_s: float) -> int:
    lo = round(start_s * RATE)
    return max((abs(x) for x in pcm[lo : lo + round(length_s * RATE)]), default=0)


def test_length_matches_the_timeline(built: tuple[Path, dict[str, object]]) -> None:
    output, timeline = built
    pcm = samples(output)
    duration = float(timeline["duration"])  # type: ignore[arg-type]
    assert abs(len(pcm) / RATE - duration) <= 0.030


def test_mp3_format(built: tuple[Path, dict[str, object]]) -> None:
    output, _ = built
    info = probe_mp3(output)
    assert (info.sample_rate, info.channels, info.bitrate_kbps) == (44_100, 1, 96)


def test_sound_at_every_start_beep_and_quiet_before_it(
    built: tuple[Path, dict[str, object]],
) -> None:
    output, timeline = built
    pcm = samples(output)
    works = [i for i in timeline["intervals"] if i["kind"] == "work"]  # type: ignore[union-attr, index]
    assert len(works) == 4
    for work in works:
        start = float(work["start"])
        assert peak(pcm, start, 0.05) > 1000, f"no start beep at {start}"
        # The 100 ms before a start beep are clear of speech and beeps.
        assert peak(pcm, start - 0.1, 0.09) < 300, f"sound just before {start}"


def test_every_exercise_is_named_before_it_starts(built: tuple[Path, dict[str, object]]) -> None:
    output, timeline = built
    pcm = samples(output)
    cues = timeline["cues"]  # type: ignore[index]
    works = [i for i in timeline["intervals"] if i["kind"] == "work"]  # type: ignore[union-attr, index]
    for work in works:
        names = [
            c for c in cues
            if c["role"] == "name" and work["exercise"] in c["text"] and c["start"] < work["start"]
        ]  # fmt: skip
        assert names, f"{work['exercise']} at {work['start']} is not announced"
        name = names[-1]
        assert peak(pcm, name["start"], name["end"] - name["start"]) > 3000, "the name is silent"


def test_a_chapter_for_every_work_interval_in_order(built: tuple[Path, dict[str, object]]) -> None:
    from mutagen.id3 import ID3

    output, timeline = built
    works = [i for i in timeline["intervals"] if i["kind"] == "work"]  # type: ignore[union-attr, index]
    chapters = read_chapters(output)
    assert len(chapters) == len(works)
    for (start, end, title), work in zip(chapters, works, strict=True):
        assert abs(start - work["start"] * 1000) <= 10 and abs(end - work["end"] * 1000) <= 10
        assert work["exercise"] in title and f"Round {work['round']}" in title
    tags = ID3(output)
    assert tags.version[:2] == (2, 3)
    (toc,) = tags.getall("CTOC")
    assert list(toc.child_element_ids) == [f"ch{n:03d}" for n in range(len(works))]
    assert str(tags["TIT2"]) == "End to End"


def test_sidecars_beside_the_mp3(built: tuple[Path, dict[str, object]]) -> None:
    output, _ = built
    assert output.with_suffix(".vtt").read_text().startswith("WEBVTT")
    assert "[ti:End to End]" in output.with_suffix(".lrc").read_text()


def test_loudness_is_normalized(built: tuple[Path, dict[str, object]]) -> None:
    output, _ = built
    measured = measure_file(output)
    assert abs(measured.integrated - -16) <= 1
    assert measured.true_peak <= -1
