"""The facts about the audio file that the JSON sidecar carries for `audiogen serve`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from audiogen.output.about import FORMAT_VERSION, sidecar_about
from audiogen.output.sidecars import write_sidecars
from audiogen.plan.timeline import Interval, IntervalKind, Timeline

TINY = Timeline("Tiny", 1000, (Interval(0, 1000, IntervalKind.WORK, "Squat", "Main", 1, 1),), ())


def test_sidecar_carries_the_audio_facts_ahead_of_the_timeline(tmp_path: Path) -> None:
    audio = tmp_path / "tiny.mp3"
    audio.write_bytes(b"not really audio")
    about = sidecar_about(audio, author="Ann", description="Short.", language="fr")
    write_sidecars(audio, TINY, about)
    data = json.loads(audio.with_suffix(".json").read_text())
    assert data["format_version"] == FORMAT_VERSION
    assert data["audio"] == {
        "file": "tiny.mp3",
        "size": 16,
        "sha256": hashlib.sha256(b"not really audio").hexdigest(),
    }
    assert (data["author"], data["description"]) == ("Ann", "Short.")
    assert data["language"] == "fr"  # what `audiogen serve` titles the chapters in
    # The timeline object is unchanged after them.
    assert {k: data[k] for k in TINY.to_json()} == TINY.to_json()
