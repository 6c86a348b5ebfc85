"""The mixdown: the voice (and the music bed) mixed and encoded into the track.

`EncodeJob` renders the mix as PCM and hands it to the encoder: a long MP3 in segments
on every core (segments.py), anything else in one ffmpeg run. The voice alone as an MP3
is encoded only where it sounds: its stretches of digital silence are copied from one
encode of silence (`plan_silence`). With a music bed it works out the voice gain and bed
level that meet the loudness target first (music_loudness.py), without a pass over the
mix.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiogen.audio.bs1770 import Floats
from audiogen.audio.condition import final_limiter
from audiogen.audio.level import LoudnessTarget, VoiceMix
from audiogen.audio.measure import mix_energy, voice_cues
from audiogen.audio.mixer import PlacedCues, place_cues, quiet_spans
from audiogen.audio.music import Envelope, Music, bed_chunks, mix_peak, mix_with_voice
from audiogen.audio.music_loudness import bed_energy, fit_bed
from audiogen.core.pcm import SAMPLE_RATE, ms_to_samples
from audiogen.output.encoder import AudioFormat, OutputSpec, Part, write_audio
from audiogen.output.lame import padding_period
from audiogen.output.segments import (
    SegmentPlan,
    encode_segments,
    in_process,
    plan_segments,
    plan_silence,
)
from audiogen.output.tags import TrackMeta, chapters_for
from audiogen.plan.timeline import Timeline
from audiogen.workout.model import MusicBed, Workout

# Called as progress(stage, done, total) while a long stage runs.
Progress = Callable[[str, int, int], None]


def track_meta(workout: Workout, *, cover: bytes | None = None) -> TrackMeta:
    """What the tags say about a workout's track, the one source for MP3 tags and the
    metadata ffmpeg writes into M4A, WAV and split parts; `cover`: PNG (make_cover)."""
    return TrackMeta.for_workout(
        workout.title,
        author=workout.author,
        description=workout.description,
        cover_png=cover,
        language=workout.language,
    )


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
        bed: Callable[[int], Iterator[bytes]] | None = None,
        limit: bool = False,
    ) -> float:
        """Mix the voice (over the music `bed`, streamed from a given frame, if any) and
        encode it, through a safety limiter if `limit`. A long MP3 is encoded in
        segments on every core (output/segments.py). Returns the voice's loudness.

        The "audio" progress counts the samples rendered for the encoders, up to all
        they are fed (none for the voice's silent segments)."""
        filters = [final_limiter(self.target.true_peak - 0.5)] if limit else []
        cues = place_cues(self.timeline, voice.clips, voice.beeps, sample_rate=SAMPLE_RATE)
        total = cues.total
        plan = self._plan(parts, cues, alone=bed is None and in_process(self.spec, filters))
        report = _Reporter(plan.encoded(total) * self.spec.channels * 2, self.progress)
        if plan.seams:

            def render(start: int, end: int) -> Iterator[bytes]:
                return report(self.mix(cues, bed, start, end))

            encode_segments(render, total, path, self.spec, plan, filters)
            return voice.lufs
        meta = track_meta(self.workout)
        write_audio(
            report(self.mix(cues, bed, 0, total)),
            path,
            self.spec,
            tags=meta.ffmpeg_tags(),
            chapters=chapters_for(self.timeline),
            parts=parts,
            filters=filters,
        )
        return voice.lufs

    def _plan(self, parts: Sequence[Part], cues: PlacedCues, *, alone: bool) -> SegmentPlan:
        """Segments for a parallel encode: MP3 only, and not with parts (those are cut
        from the one stream); seams between cues. The voice `alone`, encoded in process,
        has its silence copied: for that the quiet stretches are the exact samples no
        cue reaches, not the cues' times."""
        if self.spec.format is not AudioFormat.MP3 or parts:
            return SegmentPlan(())
        if alone:
            grid = padding_period(self.spec)
            return plan_silence(cues.total, cues.quiet(), sample_rate=SAMPLE_RATE, grid=grid)
        quiet = quiet_spans(self.timeline, SAMPLE_RATE)
        return plan_segments(cues.total, quiet, sample_rate=SAMPLE_RATE)

    def mix(
        self, cues: PlacedCues, bed: Callable[[int], Iterator[bytes]] | None, start: int, end: int
    ) -> Iterator[bytes]:
        """The track's samples [start, end) as s16le chunks: mono, or stereo over a bed."""
        chunks = cues.pcm(start, end)
        return chunks if bed is None else mix_with_voice(chunks, bed(start))

    def encode_with_music(
        self, voice: VoiceMix, music: MusicBed, decoded: Music, path: Path, parts: Sequence[Part]
    ) -> float:
        """Encode over the `decoded` bed, `music.volume_db` below the voice and ducked.

        The music changes the mix's loudness (between cues it fills blocks the gate used
        to skip). The loudness of the mix is worked out from the voice's energy and the
        bed's (music_loudness.py), without rendering it, and so are the voice gain and
        bed level that meet the target (`fit_bed`); then it is encoded.
        """
        total = ms_to_samples(self.timeline.duration_ms, SAMPLE_RATE)
        speech = voice_cues(self.timeline)

        def bed(level: float) -> Callable[[int], Iterator[bytes]]:
            envelope = Envelope.build(
                total, speech, level_db=level, duck_db=music.duck_db, sample_rate=SAMPLE_RATE
            )
            return lambda start: bed_chunks(decoded, envelope, start)

        shape = Envelope.build(total, speech, level_db=0.0, duck_db=music.duck_db)
        fit = fit_bed(
            self.voice_energy(voice),
            bed_energy(decoded, shape),
            target=self.target,
            level_db=self.target.lufs + music.volume_db - decoded.lufs,
        )
        voice, level = voice.louder(fit.voice_db), fit.bed_db
        peak = mix_peak(voice, self.target, decoded.true_peak + level, music.duck_db)
        self.encode(voice, path, parts, bed=bed(level), limit=peak)
        return fit.lufs

    def voice_energy(self, voice: VoiceMix) -> Floats:
        """The K-weighted energy of the voice in each 100 ms of the track."""
        energy = mix_energy(self.timeline, voice.clips, voice.beeps, sample_rate=SAMPLE_RATE)
        return energy.sub_block_energy()


class _Reporter:
    """Counts the bytes sent to the encoders (from one thread per segment) and reports
    the total as the "audio" stage's progress."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self._total = total
        self._progress = progress
        self._done = 0
        self._lock = threading.Lock()

    def __call__(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            if self._progress:
                with self._lock:
                    self._done += len(chunk)
                    self._progress("audio", min(self._done, self._total), self._total)
            yield chunk
