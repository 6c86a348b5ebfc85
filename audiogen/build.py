"""The pipeline as a library: load -> compile -> synthesize -> schedule -> mix -> encode.

`audiogen.cli` is a thin layer over these functions; a Python user can call them the
same way.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .compiler import compile_plan
from .model import Workout
from .scheduler import schedule
from .timeline import Timeline

if TYPE_CHECKING:
    from pydub import AudioSegment

    from .cache import SpeechCache
    from .encoder import AudioFormat, Chapter, OutputSpec, Part
    from .loudness import LoudnessTarget, VoiceMix
    from .music import MusicBed
    from .speech import Synthesizer
    from .timeline import Interval

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
    audio_format: AudioFormat | str | None = None,
    split: bool = False,
    music: MusicBed | None = None,
    synthesizer: Synthesizer | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the audio at `output` and the timeline JSON beside it.

    `audio_format`: mp3, m4a or wav; by default the output's suffix says, else mp3.
    `split`: also write one file per interval, and an .m3u playlist of them, into the
    folder named after the output without its suffix (`out/legs.mp3` -> `out/legs/`).
    `music`: a background bed (stereo output); pass `workout.music` for the file's own.
    The mix is normalized to -16 LUFS with true peaks at or below -1 dBTP.
    """
    import json

    from .encoder import atomic_output, atomic_write_text
    from .loudness import LoudnessTarget, normalize_voice

    started = time.perf_counter()
    spec = _output_spec(output, audio_format, bitrate, stereo=music is not None)
    kbps = spec.check()  # a bad bitrate fails before any work
    rendered = render_timeline(workout, synthesizer=synthesizer, progress=progress)
    timeline = rendered.timeline
    target = LoudnessTarget.for_codec(spec.format, kbps)
    cache = _speech_cache(None)  # processed speech is kept where its raw speech is
    voice = normalize_voice(timeline, rendered.clips, target, sample_rate=SAMPLE_RATE, cache=cache)
    job = _EncodeJob(workout, timeline, spec, target, progress)
    with atomic_output(output) as temp, _maybe_folder(_split_folder(output), split) as folder:
        parts = _split_parts(timeline, folder, output.stem, spec) if folder else []
        if music is None:
            job.encode(voice, temp, parts)
        else:
            job.encode_with_music(voice, music, temp, parts)
        if folder:
            _write_playlist(folder / f"{output.stem}.m3u", workout.title, timeline, parts)
    sidecar = output.with_suffix(".json")
    atomic_write_text(sidecar, json.dumps(timeline.to_json(), indent=2) + "\n")
    return BuildResult(
        output, sidecar, timeline, rendered.synthesized, time.perf_counter() - started
    )


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


@dataclass
class _EncodeJob:
    """What every encode of one build shares; the voice and the music vary."""

    workout: Workout
    timeline: Timeline
    spec: OutputSpec
    target: LoudnessTarget
    progress: Progress | None

    def encode(
        self,
        voice: VoiceMix,
        path: Path,
        parts: Sequence[Part],
        *,
        bed: Iterable[bytes] | None = None,
        filters: Sequence[str] = (),
    ) -> None:
        """Mix the voice (over the music `bed`, if any) and encode it once."""
        from .encoder import write_audio
        from .loudness import final_limiter

        chunks = self.mix(voice, bed, report=True)
        if voice.needs_limiter:
            filters = [*filters, final_limiter(self.target.true_peak - 0.5)]
        tags, chapters = _file_tags(self.workout), _chapters(self.timeline)
        write_audio(
            chunks, path, self.spec, tags=tags, chapters=chapters, parts=parts, filters=filters
        )

    def mix(
        self, voice: VoiceMix, bed: Iterable[bytes] | None, *, report: bool = False
    ) -> Iterator[bytes]:
        """The track as s16le chunks: mono, or stereo over a bed."""
        from .mixer import render_pcm
        from .music import mix_with_voice

        chunks = render_pcm(self.timeline, voice.clips, voice.beeps, sample_rate=SAMPLE_RATE)
        if report and self.progress:
            chunks = _reporting(chunks, self.timeline.duration_ms, self.progress)
        return chunks if bed is None else mix_with_voice(chunks, bed)

    def encode_with_music(
        self, voice: VoiceMix, music: MusicBed, path: Path, parts: Sequence[Part]
    ) -> None:
        """Encode with the bed `music.volume_db` below the voice's loudness and ducked.

        The music changes the mix's loudness (between cues it fills blocks the gate used
        to skip), so the whole mix is measured first; one gain then corrects voice and
        music alike, which moves the loudness by exactly that gain, and it is encoded.
        """
        from .loudness import final_limiter, measure_pcm, voice_cues
        from .mixer import ms_to_samples
        from .music import Envelope, bed_chunks, open_music

        total = ms_to_samples(self.timeline.duration_ms, SAMPLE_RATE)
        speech = voice_cues(self.timeline)
        with open_music(music, total) as decoded:

            def bed(level: float) -> Iterator[bytes]:
                envelope = Envelope.build(
                    total, speech, level_db=level, duck_db=music.duck_db, sample_rate=SAMPLE_RATE
                )
                return bed_chunks(decoded, envelope)

            level = self.target.lufs + music.volume_db - decoded.lufs
            mixed = measure_pcm(self.mix(voice, bed(level)), sample_rate=SAMPLE_RATE, channels=2)
            if not math.isinf(mixed.integrated):
                correction = self.target.lufs - mixed.integrated
                voice, level = voice.louder(correction), level + correction
            peak = _mix_peak(voice, self.target, decoded.true_peak + level, music.duck_db)
            limiter = [final_limiter(self.target.true_peak - 0.5)] if peak else []
            self.encode(voice, path, parts, bed=bed(level), filters=limiter)


def _mix_peak(voice: VoiceMix, target: LoudnessTarget, music_peak: float, duck_db: float) -> bool:
    """True if voice and music together might peak past the target: a bound, adding the
    peaks in phase. Speech always has the bed fully ducked under it; beeps do not."""
    from .loudness import BEEP_PEAK_OVER_VOICE_DB
    from .music import VOICE_PAN

    pan = 20 * math.log10(VOICE_PAN)
    beep = target.lufs + BEEP_PEAK_OVER_VOICE_DB + voice.trim_db + pan
    worst = max(_add_db(voice.peak_dbfs + pan, music_peak + duck_db), _add_db(beep, music_peak))
    return worst > target.true_peak


def _add_db(a: float, b: float) -> float:
    return 20 * math.log10(10 ** (a / 20) + 10 ** (b / 20))


def _file_tags(workout: Workout) -> dict[str, str]:
    """What ffmpeg writes into M4A and WAV files and split parts (MP3 tags: tags.py)."""
    tags = {"title": workout.title, "album": workout.title, "artist": workout.author or "audiogen"}
    if workout.description:
        tags["comment"] = workout.description
    return tags


def _chapters(timeline: Timeline) -> list[Chapter]:
    """One chapter per work interval, and one for the lead-in before them: MP4 chapters
    run back to back from zero, so without it the first exercise would start at 0."""
    from .encoder import Chapter
    from .sidecars import chapter_title

    chapters = [Chapter(i.start_ms, i.end_ms, chapter_title(i)) for i in timeline.work_intervals]
    if chapters and chapters[0].start_ms > 0:
        chapters.insert(0, Chapter(0, chapters[0].start_ms, _PART_TITLES["lead-in"]))
    return chapters


# --- split output ---------------------------------------------------------------------------


def _split_folder(output: Path) -> Path:
    """Where --split writes: the output's path without its suffix (out/legs.mp3 -> out/legs)."""
    return output.with_suffix("")


@contextlib.contextmanager
def _maybe_folder(folder: Path, wanted: bool) -> Iterator[Path | None]:
    from .encoder import atomic_directory

    if not wanted:
        yield None
        return
    with atomic_directory(folder) as temp:
        yield temp


def _split_parts(timeline: Timeline, folder: Path, stem: str, spec: OutputSpec) -> list[Part]:
    """One part per interval: <stem>-01-lead-in.mp3, <stem>-02-march-in-place.mp3, ..."""
    from .encoder import Part
    from .mixer import ms_to_samples

    intervals = [i for i in timeline.intervals if i.length_ms > 0]
    parts = []
    for number, interval in enumerate(intervals, start=1):
        title = _part_title(interval)
        name = f"{stem}-{number:02d}-{_slug(title)}.{spec.format.value}"
        start = ms_to_samples(interval.start_ms, spec.sample_rate)
        end = ms_to_samples(interval.end_ms, spec.sample_rate)
        tags = {"title": title, "track": f"{number}/{len(intervals)}"}
        parts.append(Part(folder / name, start, end, tags))
    return parts


def _part_title(interval: Interval) -> str:
    from .sidecars import chapter_title
    from .timeline import IntervalKind

    if interval.kind is IntervalKind.WORK:
        return chapter_title(interval)
    return _PART_TITLES.get(str(interval.kind), str(interval.kind).capitalize())


_PART_TITLES = {"lead-in": "Lead-in", "rest": "Rest", "outro": "Outro"}


def _slug(text: str) -> str:
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:48] or "part"


def _write_playlist(path: Path, title: str, timeline: Timeline, parts: Sequence[Part]) -> None:
    """An extended M3U (UTF-8) listing the parts in order, with lengths and titles."""
    from .mixer import ms_to_samples

    rate = ms_to_samples(1000, SAMPLE_RATE)
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(title)}"]
    for part in parts:
        seconds = round((part.end_sample - part.start_sample) / rate)
        lines += [f"#EXTINF:{seconds},{_one_line(part.tags['title'])}", part.path.name]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reporting(chunks: Iterable[bytes], duration_ms: int, progress: Progress) -> Iterator[bytes]:
    total = duration_ms * SAMPLE_RATE // 1000 * 2
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress("audio", min(done, total), total)
        yield chunk
