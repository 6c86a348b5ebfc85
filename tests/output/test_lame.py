"""LAME in process for a long voice track's segments: MPEG-1 frames at the track's rate
at every bitrate, joined under the Xing/LAME header ffmpeg writes, decoding to exactly
the track's samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audiogen.core.ffmpeg import decode_to_pcm, probe_mp3
from audiogen.output.encoder import OutputSpec
from audiogen.output.lame import encode_frames, header_frame
from audiogen.output.mp3join import SAMPLES_PER_FRAME, read_frames
from audiogen.output.segments import encode_segments, plan_segments

RATE = 44_100


def tone(seconds: float) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes()


@pytest.mark.parametrize("bitrate", ["32k", "96k", "192k"])
def test_frames_are_mpeg1_at_the_tracks_rate_at_every_bitrate(tmp_path: Path, bitrate: str) -> None:
    path = tmp_path / "s.mp3"
    encode_frames([tone(1.0)], path, OutputSpec(bitrate=bitrate), header=False)
    with path.open("rb") as file:
        frames = list(read_frames(file))  # raises on anything but MPEG-1 Layer III frames
    assert len(frames) >= RATE // SAMPLES_PER_FRAME
    assert all(f.data[2] >> 4 == frames[0].data[2] >> 4 for f in frames)  # constant bitrate


def test_the_header_frame_is_ffmpegs_xing_frame_with_a_seek_table() -> None:
    data = header_frame(OutputSpec())
    at = 4 + 17  # MPEG-1 mono side information
    assert data[at : at + 4] == b"Info" and data[at + 7] == 0x0F


def test_a_segmented_voice_track_decodes_to_its_exact_length(tmp_path: Path) -> None:
    """Two segments (a seam in the silence between two tones), joined: the decoded file
    has the track's sample count, and the tones start where they were."""
    silence = bytes(RATE * 2 * 60)
    pcm = tone(50.0) + silence + tone(50.0)
    total = len(pcm) // 2
    quiet = [(50 * RATE, 110 * RATE)]
    plan = plan_segments(total, quiet, sample_rate=RATE, count=2)
    assert len(plan.seams) == 1
    path = tmp_path / "t.mp3"
    encode_segments(lambda a, b: [pcm[a * 2 : b * 2]], total, path, OutputSpec(), plan, [])
    assert probe_mp3(path).channels == 1
    decoded = np.frombuffer(decode_to_pcm(path, sample_rate=RATE, channels=1), dtype="<i2")
    assert len(decoded) == total
    loud = np.flatnonzero(np.abs(decoded[50 * RATE :]) > 2000)
    assert abs(int(loud[0]) - 60 * RATE) <= RATE // 1000  # within 1 ms
