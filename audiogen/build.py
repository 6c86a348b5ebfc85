"""The pipeline as a library: load -> compile -> synthesize -> schedule -> mix -> encode.

`audiogen.cli` is a thin layer over these functions; a Python user can call them the
same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .compiler import compile_plan
from .model import Workout
from .pcm import SAMPLE_RATE
from .scheduler import schedule
from .timeline import Timeline

if TYPE_CHECKING:
    from pydub import AudioSegment

    from .cache import SpeechCache
    from .encoder import AudioFormat, OutputSpec
    from .model import MusicBed
    from .speech import Synthesizer

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
    # The timeline JSON, WebVTT captions and LRC lyrics beside the audio.
    sidecars: tuple[Path, ...]
    rendered: Rendered
    seconds: float
    split_folder: Path | None = None

    @property
    def timeline(self) -> Timeline:
        return self.rendered.timeline


def render_timeline(
    workout: Workout,
    *,
    synthesizer: Synthesizer | None = None,
    progress: Progress | None = None,
    cache: SpeechCache | bool = True,
) -> Rendered:
    """Compile the workout and fit its cues using the real length of every phrase.

    `cache`: a `SpeechCache`, True for the user's, or False to synthesize everything.
    """
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
    lengths = {text: clip_ms(clip) for text, clip in speech.clips.items()}
    timeline = schedule(plan, lengths)
    return Rendered(timeline, speech.clips, speech.synthesized, speech.cached, speech.recorded)


def _speech_cache(cache: SpeechCache | bool) -> SpeechCache | None:
    from .cache import SpeechCache

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
    audio_format: AudioFormat | str | None = None,
    split: bool = False,
    music: MusicBed | None = None,
    synthesizer: Synthesizer | None = None,
    cache: SpeechCache | bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the audio at `output`, tagged, with its sidecar files beside it.

    `audio_format`: mp3, m4a or wav; by default the output's suffix says, else mp3.
    `split`: also write one file per interval and an .m3u playlist into the folder
    named after the output without its suffix (`out/legs.mp3` -> `out/legs/`).
    `music`: a background bed (stereo output); pass `workout.music` for the file's own.
    The mix is normalized to -16 LUFS with true peaks at or below -1 dBTP. Every file
    is written beside its target and renamed over it only once complete.
    """
    from .about import sidecar_about
    from .encoder import AudioFormat, atomic_output
    from .loudness import LoudnessTarget, normalize_voice
    from .mastering import EncodeJob
    from .sidecars import write_sidecars
    from .split import maybe_folder, split_folder, split_parts, write_playlist

    started = time.perf_counter()
    spec = _output_spec(output, audio_format, bitrate, stereo=music is not None)
    kbps = spec.check()  # a bad bitrate fails before any work
    rendered = render_timeline(workout, synthesizer=synthesizer, progress=progress, cache=cache)
    timeline = rendered.timeline
    target = LoudnessTarget.for_codec(spec.format, kbps)
    # Levelled speech is cached beside the raw speech, so a rebuild skips that work too.
    voice = normalize_voice(
        timeline, rendered.clips, target, sample_rate=SAMPLE_RATE, cache=_speech_cache(cache)
    )
    job = EncodeJob(workout, timeline, spec, target, progress)
    folder = split_folder(output) if split else None
    with atomic_output(output) as temp, maybe_folder(folder) as parts_dir:
        parts = split_parts(timeline, parts_dir, output.stem, spec) if parts_dir else []
        if music is None:
            job.encode(voice, temp, parts)
        else:
            job.encode_with_music(voice, music, temp, parts)
        if spec.format is AudioFormat.MP3:
            _tag_mp3(temp, workout, timeline)
        if parts_dir:
            write_playlist(parts_dir / f"{output.stem}.m3u", workout.title, parts)
    about = sidecar_about(output, author=workout.author, description=workout.description)
    sidecars = tuple(write_sidecars(output, timeline, about))
    return BuildResult(output, sidecars, rendered, time.perf_counter() - started, folder)


def _tag_mp3(path: Path, workout: Workout, timeline: Timeline) -> None:
    """ID3v2.3 with chapters and a cover: ffmpeg writes none into the MP3 itself."""
    from .cover import make_cover
    from .tags import TrackMeta, write_tags

    meta = TrackMeta.for_workout(
        workout.title,
        author=workout.author,
        description=workout.description,
        cover_png=make_cover(workout.title, timeline.duration_ms),
    )
    write_tags(path, timeline, meta)


def _output_spec(
    output: Path, audio_format: AudioFormat | str | None, bitrate: str, *, stereo: bool
) -> OutputSpec:
    from .encoder import AudioFormat, OutputSpec

    try:
        chosen = AudioFormat(audio_format) if audio_format else AudioFormat.for_path(output)
    except ValueError:
        from .errors import UsageError

        names = ", ".join(f.value for f in AudioFormat)
        raise UsageError(f"unknown audio format {audio_format!r}", hint=f"use {names}") from None
    return OutputSpec(chosen or AudioFormat.MP3, bitrate, SAMPLE_RATE, 2 if stereo else 1)
