"""The pipeline as a library: load -> compile -> synthesize -> schedule -> level -> mix
-> encode and tag. `audiogen.cli` is a thin layer over these functions.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from audiogen.audio.level import LoudnessTarget, normalize_voice
from audiogen.audio.music import open_music
from audiogen.audio.music_file import check_music_file
from audiogen.core.files import atomic_outputs, disk_error
from audiogen.core.pcm import SAMPLE_RATE, ms_to_samples
from audiogen.core.scratch import sweep, sweep_temp, sweep_tree
from audiogen.errors import AudiogenError
from audiogen.output.about import sidecar_about
from audiogen.output.cover import make_cover
from audiogen.output.destination import audio_format_for, check_destination
from audiogen.output.encoder import AudioFormat, OutputSpec, encode_mp3
from audiogen.output.mixdown import EncodeJob, track_meta
from audiogen.output.mixdown import Progress as Progress  # called as progress(stage, done, total)
from audiogen.output.sidecars import sidecar_paths, sidecar_texts
from audiogen.output.split import split_folder, split_parts, write_playlist
from audiogen.output.tags import write_tags
from audiogen.plan.compiler import Plan, compile_plan
from audiogen.plan.scheduler import schedule
from audiogen.plan.silent import without_silent
from audiogen.plan.timeline import Timeline
from audiogen.speech.cache import SpeechCache
from audiogen.speech.clip import SILENCE_AMPLITUDE
from audiogen.speech.clips import ClipPack
from audiogen.speech.defaults import workout_voice
from audiogen.speech.resolver import Speech, speak_phrases
from audiogen.speech.synth import Synthesizer, make_synthesizer
from audiogen.workout.model import MusicBed, VoiceProfile, Workout

if TYPE_CHECKING:
    from pydub import AudioSegment


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
    # The integrated loudness of the audio sent to the encoder, worked out in process
    # (LUFS): what the file measures, less what the codec takes off (LoudnessTarget).
    loudness: float = -math.inf

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
    plan = compile_plan(workout)
    voice = workout_voice(workout)
    synth = synthesizer or make_synthesizer(voice)
    pack = ClipPack.load(voice.clips, workout.language) if voice.clips is not None else None
    report = (lambda done, total: progress("speech", done, total)) if progress else None
    speech = speak_phrases(
        plan.phrases(),
        synth,
        cache=_speech_cache(cache),
        pack=pack,
        language=plan.language,
        on_progress=report,
    )
    lengths = {text: clip_ms(clip) for text, clip in speech.clips.items()}
    silent = [text for text, clip in speech.clips.items() if clip.max <= SILENCE_AMPLITUDE]
    timeline = schedule(without_silent(plan, silent), lengths)
    return Rendered(timeline, speech.clips, speech.synthesized, speech.cached, speech.recorded)


def _speech_cache(cache: SpeechCache | bool) -> SpeechCache | None:
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
    music: MusicBed | Literal[False] | None = None,
    synthesizer: Synthesizer | None = None,
    cache: SpeechCache | bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the audio at `output`, tagged, with its sidecar files beside it.

    `audio_format`: mp3, m4a or wav; by default the output's suffix says, else mp3.
    `split`: also write one file per interval and an .m3u playlist into the folder
    named after the output without its suffix (`out/legs.mp3` -> `out/legs/`).
    `music`: a background bed (stereo output); None for the workout's own, False for none.
    The mix is normalized to -16 LUFS with true peaks at or below -1 dBTP. Every file
    is written beside its target and renamed over it only once complete.
    """
    started = time.perf_counter()
    bed = workout.music if music is None else music or None
    folder = split_folder(output) if split else None
    files, folders = [*sidecar_paths(output), output], [folder] if folder else []
    check_destination(files, folders, inputs=_inputs(workout, bed))
    spec = OutputSpec(audio_format_for(output, audio_format), bitrate, SAMPLE_RATE, 2 if bed else 1)
    kbps = spec.check()  # a bad bitrate fails before any work
    synthesizer = synthesizer or preflight(workout, bed or False).synthesizer
    speech_cache = _speech_cache(cache)
    sweep_litter(output, speech_cache)
    rendered = render_timeline(
        workout, synthesizer=synthesizer, progress=progress, cache=speech_cache or False
    )
    timeline = rendered.timeline
    target = LoudnessTarget.for_codec(spec.format, kbps)
    job = EncodeJob(workout, timeline, spec, target, progress)
    with contextlib.ExitStack() as music_files, ThreadPoolExecutor(2) as beside:
        # On the other core while the speech is levelled: the music decode (an ffmpeg
        # run) and the cover (the pool is shut down before the decoded music is removed).
        total = ms_to_samples(timeline.duration_ms, SAMPLE_RATE)
        decoding = beside.submit(music_files.enter_context, open_music(bed, total)) if bed else None
        cover = beside.submit(make_cover, workout.title, timeline.duration_ms)
        # Levelled speech is cached beside the raw speech, so a rebuild skips that work too.
        voice = normalize_voice(
            timeline, rendered.clips, target, sample_rate=SAMPLE_RATE, cache=speech_cache
        )
        # The audio, its sidecars and the split folder are one unit: all written first,
        # then renamed together (the audio last) under a lock on the folder; see core.files.
        with atomic_outputs(files, folders) as temps:
            parts_dir = temps[folder] if folder else None
            parts = split_parts(timeline, parts_dir, output.stem, spec) if parts_dir else []
            if bed is None or decoding is None:
                loudness = job.encode(voice, temps[output], parts)
            else:
                music_now = decoding.result()
                loudness = job.encode_with_music(voice, bed, music_now, temps[output], parts)
            if spec.format is AudioFormat.MP3:
                write_tags(temps[output], timeline, track_meta(workout, cover=cover.result()))
            if parts_dir:
                write_playlist(parts_dir / f"{output.stem}.m3u", workout.title, parts)
            _write_sidecars(workout, output, timeline, temps)
    sidecars = tuple(files[:-1])
    seconds = time.perf_counter() - started
    return BuildResult(output, sidecars, rendered, seconds, folder, loudness)


@dataclass(frozen=True)
class Preflight:
    """What the checks before synthesis produced, for the stages after them."""

    plan: Plan
    synthesizer: Synthesizer


def preflight(workout: Workout, music: MusicBed | Literal[False] | None = None) -> Preflight:
    """Every check that needs no synthesis, run by `audiogen check` and by a build
    before it speaks: the plan compiles (within the track-length cap), the voice's
    engine, voice and engine settings are usable, every recording of its clip pack that
    the workout would play decodes, and the music is a regular file of decodable audio.

    `music`: None for the workout's own, False for none.
    """
    plan = compile_plan(workout)
    voice = workout_voice(workout)
    synthesizer = make_synthesizer(voice)
    if voice.clips is not None:
        ClipPack.load(voice.clips, workout.language).check(plan.phrases())
    bed = workout.music if music is None else music or None
    if bed is not None:
        check_music_file(bed.file)
    return Preflight(plan, synthesizer)


def speak_ahead(workouts: Iterable[Workout], cache: SpeechCache) -> int:
    """Speak the phrases of many workouts into `cache`, each distinct one once, with one
    engine run per voice: a slow engine (Piper) then loads its model once and speaks on
    every core, where builds running side by side would each start their own. The
    builds find their phrases in the cache. Returns how many phrases were synthesized.
    A workout that fails its checks is skipped: its own build reports why.
    """
    groups: dict[tuple[str, str, Path | None], _SpeechGroup] = {}
    for workout in workouts:
        try:
            checked = preflight(workout, False)
        except AudiogenError:
            continue
        voice = workout_voice(workout)
        key = (checked.synthesizer.key, checked.plan.language, voice.clips)
        group = groups.setdefault(key, _SpeechGroup(checked.synthesizer, voice.clips))
        group.phrases.extend(checked.plan.phrases())
    synthesized = 0
    for (_, language, _), group in groups.items():
        pack = ClipPack.load(group.clips, language) if group.clips is not None else None
        spoken = speak_phrases(
            group.phrases, group.synthesizer, cache=cache, pack=pack, language=language
        )
        synthesized += spoken.synthesized
    return synthesized


@dataclass
class _SpeechGroup:
    """The phrases of the workouts that one synthesizer speaks in one language."""

    synthesizer: Synthesizer
    clips: Path | None
    phrases: list[str] = field(default_factory=list)


def sweep_litter(output: Path, cache: SpeechCache | None) -> None:
    """Remove the stale temporaries that killed builds left (core.scratch says which are
    provably stale): beside the output, in the system temp folder, in the cache."""
    sweep(output.absolute().parent)
    sweep_temp()
    if cache is not None:
        sweep_tree(cache.folder)


def _inputs(workout: Workout, bed: MusicBed | None) -> list[Path]:
    """The files a build reads, which it must never write over."""
    sources = [Path(workout.source)] if workout.source else []
    sources += [bed.file] if bed is not None else []
    return [path for path in sources if path.exists()]


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise disk_error(f"cannot write {path}", exc) from exc


def _write_sidecars(
    workout: Workout, output: Path, timeline: Timeline, temps: Mapping[Path, Path]
) -> None:
    # The sidecar describes the audio it is committed with: its size and checksum.
    about = sidecar_about(
        temps[output],
        author=workout.author,
        description=workout.description,
        language=workout.language,
    )
    about["audio"]["file"] = output.name  # the name the temporary file is renamed to
    for path, text in sidecar_texts(output, timeline, about).items():
        _write_text(temps[path], text)


def choose_music(
    from_workout: MusicBed | None, override: Path | None = None, *, disabled: bool = False
) -> MusicBed | None:
    """The bed a build uses: none with --no-music; --music FILE replaces the file, keeping
    the workout's volume and duck; else the workout's own."""
    if disabled:
        return None
    if override is None:
        return from_workout
    if from_workout is None:
        return MusicBed(Path(override))
    return MusicBed(Path(override), from_workout.volume_db, from_workout.duck_db)


def say_sample(text: str, profile: VoiceProfile, output: Path) -> Speech:
    """Speak `text` with a voice into an MP3 at `output`, to hear the voice."""
    pack = ClipPack.load(profile.clips) if profile.clips else None
    speech = speak_phrases([text], make_synthesizer(profile), cache=SpeechCache(), pack=pack)
    clip = speech.clips[text]
    # Some players swallow the first instant of a file: pad it a little.
    pad = bytes(ms_to_samples(300, SAMPLE_RATE) * 2)
    encode_mp3([pad + clip.raw_data + pad], output, sample_rate=SAMPLE_RATE, channels=1)
    return speech
