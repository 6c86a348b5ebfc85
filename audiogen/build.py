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

    from .cache import SpeechCache
    from .speech import Synthesizer

SAMPLE_RATE = 44_100
# Called as progress(stage, done, total) while a long stage runs.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Rendered:
    """A timeline with the audio of every phrase it speaks."""

    timeline: Timeline
    clips: Mapping[str, AudioSegment]
    # Where the distinct phrases came from: spoken by the engine in this run, read from
    # the speech cache, or played from the voice's clip pack.
    synthesized: int
    cached: int = 0
    recorded: int = 0


@dataclass(frozen=True)
class BuildResult:
    output: Path
    sidecar: Path
    timeline: Timeline
    synthesized: int
    seconds: float


def render_timeline(
    workout: Workout,
    *,
    synthesizer: Synthesizer | None = None,
    progress: Progress | None = None,
    cache: SpeechCache | bool | None = None,
) -> Rendered:
    """Compile the workout and fit its cues using the real length of every phrase.

    `cache`: a `SpeechCache`, True (the user's), False (none), or None to follow the
    enclosing `audiogen.cache.speech_session` (on by default).
    """
    from .cache import record_in_session
    from .clips import ClipPack
    from .speech import make_synthesizer, speak_phrases

    plan = compile_plan(workout)
    synth = synthesizer or make_synthesizer(workout.voice)
    clips_folder = workout.voice.clips
    pack = ClipPack.load(clips_folder) if clips_folder is not None else None
    report = (lambda done, total: progress("speech", done, total)) if progress else None
    speech = speak_phrases(
        plan.phrases(), synth, cache=_speech_cache(cache), pack=pack, on_progress=report
    )
    record_in_session(speech.synthesized, speech.cached, speech.recorded)
    lengths = {text: clip_ms(clip) for text, clip in speech.clips.items()}
    timeline = schedule(plan, lengths)
    return Rendered(timeline, speech.clips, speech.synthesized, speech.cached, speech.recorded)


def _speech_cache(cache: SpeechCache | bool | None) -> SpeechCache | None:
    from .cache import SpeechCache, session_enabled

    if cache is None:
        cache = session_enabled()
    if isinstance(cache, bool):
        return SpeechCache() if cache else None
    return cache


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
