"""The voice alone as an MP3: its long silences copied from one encode of silence, only
the islands of sound encoded, and the file decoding as one encode of the whole track."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from audiogen.audio.level import LoudnessTarget, VoiceMix, normalize_voice
from audiogen.audio.mixer import PlacedCues, place_cues
from audiogen.core.ffmpeg import decode_to_pcm, probe_mp3
from audiogen.output import mp3join
from audiogen.output.encoder import OutputSpec
from audiogen.output.lame import padding_period
from audiogen.output.mixdown import EncodeJob
from audiogen.output.mp3join import ENCODER_DELAY, SAMPLES_PER_FRAME, crc16, read_frames
from audiogen.output.segments import (
    PREROLL_FRAMES,
    SEARCH_FRAMES,
    SegmentPlan,
    encode_segments,
    plan_silence,
)
from audiogen.pipeline import render_timeline
from audiogen.plan.timeline import CueKind, Timeline
from audiogen.workout.loader import parse_workout
from audiogen.workout.model import Workout

RATE = 44_100
WORKOUT = """\
title: Silences
work: 25s
rest: 15s
rounds: 2
cues: {countdown: 3, tips: 1}
exercises:
  - name: Goblet Squat
    tips: [Keep your chest up]
  - Reverse Lunge
  - Plank Jack
"""


class Fed:
    """A render that notes what the encoders are fed: the ranges asked for, the chunks."""

    def __init__(self, cues: PlacedCues) -> None:
        self.cues = cues
        self.ranges: list[tuple[int, int]] = []
        self.chunks: list[int] = []  # list.append is atomic: encoders run on threads

    def __call__(self, start: int, end: int) -> Iterator[bytes]:
        self.ranges.append((start, end))
        for chunk in self.cues.pcm(start, end):
            self.chunks.append(len(chunk) // 2)
            yield chunk

    @property
    def samples(self) -> int:
        return sum(self.chunks)


@dataclass(frozen=True)
class Track:
    workout: Workout
    timeline: Timeline
    voice: VoiceMix
    cues: PlacedCues
    plan: SegmentPlan
    fed: Fed
    joined: Path  # silent segments copied, islands encoded
    whole: Path  # one encode of the whole track by the same LAME

    @property
    def total(self) -> int:
        return self.cues.total


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory) -> Track:
    workout = parse_workout(WORKOUT, source="silences.yaml")
    rendered = render_timeline(workout)
    voice = normalize_voice(rendered.timeline, rendered.clips, LoudnessTarget.for_codec("mp3", 96))
    cues = place_cues(rendered.timeline, voice.clips, voice.beeps)
    spec = OutputSpec()
    plan = plan_silence(cues.total, cues.quiet(), sample_rate=RATE, grid=padding_period(spec))
    folder = tmp_path_factory.mktemp("silence")
    fed = Fed(cues)
    encode_segments(fed, cues.total, folder / "joined.mp3", spec, plan, [])
    encode_segments(cues.pcm, cues.total, folder / "whole.mp3", spec, SegmentPlan(()), [])
    return Track(
        workout,
        rendered.timeline,
        voice,
        cues,
        plan,
        fed,
        folder / "joined.mp3",
        folder / "whole.mp3",
    )


def decoded(path: Path, rate: int = RATE) -> np.ndarray:
    return np.frombuffer(decode_to_pcm(path, sample_rate=rate), dtype="<i2")


def test_the_silences_are_copied_not_encoded(track: Track) -> None:
    """The encoders are fed the islands of sound: less than half the track, and nothing
    of a silent segment beyond the frames the seams either side of it need."""
    plan, total = track.plan, track.total
    assert len(plan.silent) >= 8
    assert track.fed.samples == plan.encoded(total) < total / 2
    for k in plan.silent:  # never the first segment nor the last: between two seams
        begin = (plan.seams[k - 1] + SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME
        end = (plan.seams[k] - PREROLL_FRAMES) * SAMPLES_PER_FRAME
        assert end - begin > RATE  # a second and more, never rendered
        assert not [(a, b) for a, b in track.fed.ranges if a < end and begin < b]


def test_every_island_begins_in_step_with_a_single_encode(track: Track) -> None:
    grid = track.plan.grid
    assert grid == 49  # 96 kb/s at 44.1 kHz: 313 23/49 bytes a frame
    assert all(first % grid == 0 for first in track.plan.firsts())
    assert 0 not in track.plan.silent and len(track.plan.seams) not in track.plan.silent


def test_the_track_decodes_as_one_encode_of_the_whole(track: Track) -> None:
    """Every sample, sound and silence, is the one a single LAME encode of the whole
    track decodes to; the length is the track's."""
    joined = decoded(track.joined)
    assert len(joined) == track.total
    assert np.array_equal(joined, decoded(track.whole))
    # And frame for frame the same lengths: the padding is in step everywhere.
    assert track.joined.stat().st_size == track.whole.stat().st_size


def test_every_silent_stretch_decodes_to_digital_silence(track: Track) -> None:
    joined = decoded(track.joined)
    margin = 2 * SAMPLES_PER_FRAME  # the codec's window reaches about a frame over
    long_ones = [(s, e) for s, e in track.cues.quiet() if e - s > 2 * margin]
    assert len(long_ones) > 20
    for start, end in long_ones:
        assert not joined[start + margin : end - margin].any(), (start, end)


def test_every_cue_is_where_the_timeline_says(track: Track) -> None:
    """Each cue's onset (where it first reaches a tenth of its peak) is where it is in
    the rendered track, to the millisecond: beeps and speech alike."""
    heard = decoded(track.joined).astype(np.float64)
    original = np.frombuffer(b"".join(track.cues.pcm()), dtype="<i2").astype(np.float64)
    reach = RATE // 50  # look from 20 ms before
    cues = track.timeline.cues
    assert sum(c.kind is CueKind.BEEP for c in cues) > 20
    for cue in cues:
        start = round(cue.start_ms * RATE / 1000)
        end = round(cue.end_ms * RATE / 1000)
        onsets = []
        for signal in (heard, original):
            region = np.abs(signal[start - reach : end])
            onsets.append(int(np.argmax(region >= region.max() / 10)) - reach)
        assert abs(onsets[0] - onsets[1]) * 1000 / RATE < 1, (cue, onsets)


def test_the_xing_header_counts_every_frame(track: Track) -> None:
    data = track.joined.read_bytes()
    with track.joined.open("rb") as file:
        frames = list(read_frames(file))
    at = 4 + 17  # MPEG-1 mono side information
    assert data[at : at + 4] == b"Info"
    assert int.from_bytes(data[at + 8 : at + 12], "big") == len(frames) - 1
    assert int.from_bytes(data[at + 12 : at + 16], "big") == len(data)
    lame = at + 120
    packed = int.from_bytes(data[lame + 21 : lame + 24], "big")
    assert packed >> 12 == ENCODER_DELAY
    assert (len(frames) - 1) * SAMPLES_PER_FRAME - ENCODER_DELAY - (packed & 0xFFF) == track.total
    assert int.from_bytes(data[lame + 28 : lame + 32], "big") == len(data)
    music_crc = int.from_bytes(data[lame + 32 : lame + 34], "big")
    assert music_crc == crc16(data[len(frames[0].data) :])
    tag = bytearray(data[:190])
    tag[lame + 34 : lame + 36] = bytes(2)
    assert int.from_bytes(data[lame + 34 : lame + 36], "big") == crc16(bytes(tag))
    assert probe_mp3(track.joined).duration_ms == track.timeline.duration_ms


@pytest.mark.parametrize("side", ["into", "out of"])
def test_a_seam_the_reservoir_refuses_is_encoded_instead(
    track: Track, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: str
) -> None:
    """Should no frame join an island to a silent segment (or the silence to the next
    island), the two are merged and encoded: the file still decodes as one encode."""
    plan = track.plan
    silent = min(plan.silent)
    refused = plan.seams[silent - 1] if side == "into" else plan.seams[silent]
    search = mp3join._seam

    def refusing(*args: object) -> int | None:
        found = search(*args)  # type: ignore[arg-type]
        return None if found is not None and args[2] == refused else found

    monkeypatch.setattr(mp3join, "_seam", refusing)
    fed = Fed(track.cues)
    path = tmp_path / "merged.mp3"
    encode_segments(fed, track.total, path, OutputSpec(), plan, [])
    # The silent segment was encoded after all: from its first frame on, with its island.
    silent_start = plan.firsts()[silent] * SAMPLES_PER_FRAME
    assert any(start <= silent_start and end > silent_start + RATE for start, end in fed.ranges)
    assert np.array_equal(decoded(path), decoded(track.whole))


def test_the_audio_progress_reaches_the_samples_encoded(track: Track, tmp_path: Path) -> None:
    """The "audio" stage counts what the encoders are fed, and reaches that total."""
    reports: list[tuple[str, int, int]] = []
    target = LoudnessTarget.for_codec("mp3", 96)
    job = EncodeJob(
        track.workout, track.timeline, OutputSpec(), target, lambda *r: reports.append(r)
    )
    job.encode(track.voice, tmp_path / "job.mp3", [])
    assert {stage for stage, _, _ in reports} == {"audio"}
    assert reports[-1][1:] == (track.plan.encoded(track.total) * 2,) * 2
    assert np.array_equal(decoded(tmp_path / "job.mp3"), decoded(track.joined))


def noisy_islands(rate: int) -> tuple[bytes, list[tuple[int, int]]]:
    """Bursts of loud noise and tone between silences of 3 to 9 s: a hard test of the
    bit reservoir at every seam. Returns the PCM and its quiet stretches."""
    rng = np.random.default_rng(3)
    pieces, quiet, at = [], [], 0
    for k in range(6):
        seconds = [0.3, 1.5, 0.05, 2.0, 0.8, 0.4][k]
        t = np.arange(int(seconds * rate)) / rate
        sound = 0.3 * np.sin(2 * np.pi * 330 * t) + 0.2 * rng.normal(size=len(t))
        gap = np.zeros(int([3, 9, 4, 5, 3.5, 6][k] * rate))
        pieces += [sound, gap]
        quiet.append((at + len(sound), at + len(sound) + len(gap)))
        at += len(sound) + len(gap)
    pcm = np.round(np.clip(np.concatenate(pieces), -1, 1) * 32767).astype("<i2")
    return pcm.tobytes(), quiet


@pytest.mark.parametrize(
    ("bitrate", "rate"),
    [("32k", 44_100), ("56k", 44_100), ("192k", 44_100), ("96k", 48_000), ("64k", 32_000)],
)
def test_every_bitrate_decodes_as_one_encode(tmp_path: Path, bitrate: str, rate: int) -> None:
    """Wherever LAME pads (44.1 kHz: every 49th or 7th frame's pattern) or does not,
    from the smallest reservoir to a large one: the same samples as one encode."""
    pcm, quiet = noisy_islands(rate)
    total = len(pcm) // 2
    spec = OutputSpec(bitrate=bitrate, sample_rate=rate)
    plan = plan_silence(total, quiet, sample_rate=rate, grid=padding_period(spec))
    assert len(plan.silent) >= 4

    def render(start: int, end: int) -> list[bytes]:
        return [pcm[2 * start : 2 * end]]

    encode_segments(render, total, tmp_path / "joined.mp3", spec, plan, [])
    encode_segments(render, total, tmp_path / "whole.mp3", spec, SegmentPlan(()), [])
    joined = decoded(tmp_path / "joined.mp3", rate)
    assert len(joined) == total
    assert np.array_equal(joined, decoded(tmp_path / "whole.mp3", rate))


def test_a_track_that_begins_silent_keeps_its_header_on_an_encoded_first_segment(
    tmp_path: Path,
) -> None:
    """Six seconds of silence first: copied from a few frames in, while the first
    segment, encoded, carries the header."""
    sound, gaps = noisy_islands(RATE)
    pcm = bytes(2 * 6 * RATE) + sound
    total = len(pcm) // 2
    quiet = [(0, 6 * RATE), *((start + 6 * RATE, end + 6 * RATE) for start, end in gaps)]
    plan = plan_silence(total, quiet, sample_rate=RATE, grid=49)
    assert 1 in plan.silent and plan.seams[0] * SAMPLES_PER_FRAME < RATE

    def render(start: int, end: int) -> list[bytes]:
        return [pcm[2 * start : 2 * end]]

    encode_segments(render, total, tmp_path / "joined.mp3", OutputSpec(), plan, [])
    encode_segments(render, total, tmp_path / "whole.mp3", OutputSpec(), SegmentPlan(()), [])
    assert probe_mp3(tmp_path / "joined.mp3").duration_ms == round(total * 1000 / RATE)
    assert np.array_equal(decoded(tmp_path / "joined.mp3"), decoded(tmp_path / "whole.mp3"))


def test_padding_periods() -> None:
    """44.1 kHz frames hold 144 * bitrate / 44100 bytes: 313 23/49 at 96k, 195 3/7 at
    56k; at 32 and 48 kHz a whole number, never padded."""
    assert padding_period(OutputSpec(bitrate="96k")) == 49
    assert padding_period(OutputSpec(bitrate="56k")) == 7
    assert padding_period(OutputSpec(bitrate="96k", sample_rate=48_000)) == 1
    assert padding_period(OutputSpec(bitrate="32k", sample_rate=32_000)) == 1


# --- the plan -----------------------------------------------------------------------------


def test_only_long_quiet_stretches_become_silent_segments() -> None:
    total = RATE * 100
    quiet = [(0, RATE // 2), (RATE * 10, RATE * 11), (RATE * 20, RATE * 30), (RATE * 90, total)]
    plan = plan_silence(total, quiet, sample_rate=RATE, grid=49, count=1)
    assert len(plan.seams) == 4 and plan.silent == {1, 3}
    for k, (start, end) in zip((1, 3), quiet[2:], strict=True):
        # Both seams' regions lie in the quiet stretch, as any seam's does: the silence
        # takes over and hands over only where the track is silent.
        assert start <= (plan.seams[k - 1] - PREROLL_FRAMES) * SAMPLES_PER_FRAME
        assert (plan.seams[k] + SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME <= end
        assert plan.firsts()[k + 1] % 49 == 0
    # The track ends on an island after the last silence, as LAME ends a stream.
    assert plan.ranges(total)[-1][1] == total and 4 not in plan.silent


def test_the_cores_seams_stay_out_of_silent_stretches() -> None:
    """A long stretch of voice with only short pauses is still cut for the cores."""
    total = RATE * 400
    pauses = [(RATE * s, RATE * s + RATE * 5 // 2) for s in range(5, 300, 10)]
    quiet = [*pauses, (RATE * 300, RATE * 400)]
    plan = plan_silence(total, quiet, sample_rate=RATE, grid=49, count=2)
    assert plan.silent == {2}
    cut, *silence = plan.seams
    assert RATE * 100 < cut * SAMPLES_PER_FRAME < RATE * 300
    assert all(seam * SAMPLES_PER_FRAME > RATE * 300 for seam in silence)


def test_merging_a_silent_segment_into_its_island() -> None:
    plan = SegmentPlan((100, 300, 500, 700), frozenset({1, 3}), 49)
    assert plan.merged(1) == SegmentPlan((300, 500, 700), frozenset({2}), 49)
    assert plan.merged(2) == SegmentPlan((100, 500, 700), frozenset({2}), 49)
    assert plan.merged(4) == SegmentPlan((100, 300, 500), frozenset({1}), 49)
