"""Mastering: mix the levelled voice (over a music bed, if any) and encode it once.

`loudness.normalize_voice` has already brought speech and beeps to the target; with
music the whole mix is measured once more, because the bed fills gaps the loudness
gate used to skip.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.core.pcm import SAMPLE_RATE
from audiogen.plan.timeline import Timeline
from audiogen.workout.model import MusicBed, Workout

if TYPE_CHECKING:
    from audiogen.audio.level import LoudnessTarget, VoiceMix
    from audiogen.output.encoder import Chapter, OutputSpec, Part
    from audiogen.pipeline import Progress


@dataclass(frozen=True)
class EncodeJob:
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
        limit: bool = False,
    ) -> None:
        """Mix the voice (over the music `bed`, if any) and encode it once, through a
        safety limiter if `limit` or the voice asks for one (rare: see VoiceMix)."""
        from audiogen.audio.level import final_limiter
        from audiogen.output.encoder import write_audio

        chunks = self.mix(voice, bed, report=True)
        limited = limit or voice.needs_limiter
        filters = [final_limiter(self.target.true_peak - 0.5)] if limited else []
        tags, chapters = _file_tags(self.workout), _chapters(self.timeline)
        write_audio(
            chunks, path, self.spec, tags=tags, chapters=chapters, parts=parts, filters=filters
        )

    def mix(
        self, voice: VoiceMix, bed: Iterable[bytes] | None, *, report: bool = False
    ) -> Iterator[bytes]:
        """The track as s16le chunks: mono, or stereo over a bed."""
        from audiogen.audio.mixer import render_pcm
        from audiogen.audio.music import mix_with_voice

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
        from audiogen.audio.measure import measure_pcm, voice_cues
        from audiogen.audio.music import Envelope, bed_chunks, open_music
        from audiogen.core.pcm import ms_to_samples

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
            self.encode(voice, path, parts, bed=bed(level), limit=peak)


def _mix_peak(voice: VoiceMix, target: LoudnessTarget, music_peak: float, duck_db: float) -> bool:
    """True if voice and music together might peak past the target: a bound, adding the
    peaks in phase. Speech always has the bed fully ducked under it; beeps do not."""
    from audiogen.audio.level import BEEP_PEAK_OVER_VOICE_DB
    from audiogen.audio.music import VOICE_PAN

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
    from audiogen.output.encoder import Chapter
    from audiogen.output.naming import chapter_title

    chapters = [Chapter(i.start_ms, i.end_ms, chapter_title(i)) for i in timeline.work_intervals]
    if chapters and chapters[0].start_ms > 0:
        chapters.insert(0, Chapter(0, chapters[0].start_ms, "Lead-in"))
    return chapters


def _reporting(chunks: Iterable[bytes], duration_ms: int, progress: Progress) -> Iterator[bytes]:
    total = duration_ms * SAMPLE_RATE // 1000 * 2
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress("audio", min(done, total), total)
        yield chunk
