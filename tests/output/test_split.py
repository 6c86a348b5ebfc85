"""`--split`: a file per interval and an .m3u playlist, swapped in as a whole folder."""

from __future__ import annotations

from pathlib import Path

from audiogen.core.ffmpeg import probe_mp3
from tests.leftovers import leftovers

SHORT = """\
title: Split Check
work: 6s
rest: 3s
rounds: 2
exercises: [Squat, {name: Side Lunge, sides: each}]
"""


def test_split_build_writes_every_interval_and_a_playlist(tmp_path: Path) -> None:
    from audiogen.pipeline import build_workout
    from audiogen.speech.tone import ToneSynthesizer
    from audiogen.workout.loader import parse_workout

    output = tmp_path / "legs.mp3"
    workout = parse_workout(SHORT, source="split.yaml")
    result = build_workout(workout, output, split=True, synthesizer=ToneSynthesizer())
    folder = tmp_path / "legs"
    lines = (folder / "legs.m3u").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["#EXTM3U", "#PLAYLIST:Split Check"]
    names = lines[3::2]
    intervals = [i for i in result.timeline.intervals if i.length_ms > 0]
    assert len(names) == len(intervals)
    assert names[0] == "legs-01-get-ready.mp3" and names[1] == "legs-02-round-1-squat.mp3"
    assert sorted([*names, "legs.m3u"]) == sorted(p.name for p in folder.iterdir())
    for name, interval in zip(names, intervals, strict=True):
        # Measured: when a part's last MP3 frame lacks fewer than ~30 samples, ffmpeg's
        # LAME header records too little padding and the part decodes up to 29 samples
        # (under 1 ms) long, e.g. 410130 samples -> 410159. Allow that one millisecond.
        assert abs(probe_mp3(folder / name).duration_ms - interval.length_ms) <= 1
    assert leftovers(tmp_path) == [] and output.exists()
