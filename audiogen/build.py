"""The pipeline as a library: load -> compile -> synthesize -> schedule -> mix -> encode.

`audiogen.cli` is a thin layer over these functions; a Python user can call them the
same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .compiler import compile_plan
from .model import Workout
from .scheduler import schedule
from .timeline import BEEP_ROLES, Timeline

if TYPE_CHECKING:
    from pydub import AudioSegment

    from .speech import Synthesizer

SAMPLE_RATE = 44_100
# Called as progress(stage, done, total) while a long stage runs.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Rendered:
    """A timeline with the audio of every phrase it speaks."""

    timeline: Timeline
    clips: Mapping[str, AudioSegment]
    synthesized: int


@dataclass(frozen=True)
class BuildResult:
    output: Path
    sidecar: Path
    timeline: Timeline
    synthesized: int
    seconds: float


def render_timeline(
    workout: Workout, *, synthesizer: Synthesizer | None = None, progress: Progress | None = None
) -> Rendered:
    """Compile the workout and fit its cues using the real length of every phrase."""
    from .speech import EspeakSynthesizer, synthesize_phrases

    plan = compile_plan(workout)
    synth = synthesizer or EspeakSynthesizer(workout.voice)
    phrases = plan.phrases()
    report = (lambda done, total: progress("speech", done, total)) if progress else None
    clips = synthesize_phrases(phrases, synth, on_progress=report)
    lengths = {text: clip_ms(clip) for text, clip in clips.items()}
    return Rendered(schedule(plan, lengths), clips, len(phrases))


def clip_ms(clip: AudioSegment) -> int:
    """A clip's length in whole milliseconds, rounded up so it always fits its slot."""
    frames = int(clip.frame_count())
    return -(-frames * 1000 // int(clip.frame_rate))


def build_workout(
    workout: Workout,
    output: Path,
    *,
    bitrate: str = "96k",
    synthesizer: Synthesizer | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the MP3 at `output` and the timeline JSON beside it."""
    import json

    from .beeps import render_beep
    from .encoder import atomic_write_text, encode_mp3
    from .mixer import render_pcm

    started = time.perf_counter()
    rendered = render_timeline(workout, synthesizer=synthesizer, progress=progress)
    timeline = rendered.timeline
    beeps = {role: render_beep(role) for role in BEEP_ROLES}
    chunks = render_pcm(timeline, rendered.clips, beeps, sample_rate=SAMPLE_RATE)
    if progress:
        chunks = _reporting(chunks, timeline.duration_ms, progress)
    encode_mp3(chunks, output, bitrate=bitrate, sample_rate=SAMPLE_RATE, channels=1)
    sidecar = output.with_suffix(".json")
    atomic_write_text(sidecar, json.dumps(timeline.to_json(), indent=2) + "\n")
    return BuildResult(
        output, sidecar, timeline, rendered.synthesized, time.perf_counter() - started
    )


def _reporting(chunks: Iterable[bytes], duration_ms: int, progress: Progress) -> Iterator[bytes]:
    total = duration_ms * SAMPLE_RATE // 1000 * 2
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress("audio", min(done, total), total)
        yield chunk
