"""Loudness: the mix at -16 LUFS integrated with true peaks at or below -1 dBTP.

Raw espeak speech measures about -22.7 LUFS with peaks near -1.5 dBFS, so plain gain
would clip: the speech needs a limiter. Doing that on the whole 30-minute mix would cost
a second full-length ffmpeg pass, so the work is split where it is cheap:

1. Each distinct phrase is processed once (`condition_speech`): all of them in one short
   ffmpeg run at the engine's rate, through an all-pass "phase rotator", gain and a
   look-ahead limiter, then resampled to 44.1 kHz. Beeps are scaled, not limited.
2. The mix of those clips is measured in process (measure.py, bs1770.py): each distinct
   sound K-weighted once and its energy placed wherever it plays, gated as BS.1770
   says. Nothing track-long is rendered, and the loudness of the mix for any gains of
   its sounds is a sum over a few thousand numbers.
3. The true peak of every processed clip is measured too (8x interpolation): a sample
   limiter leaves inter-sample peaks, up to 0.5 dB over its ceiling once resampled,
   most on sibilants and plosives ("Next up: Child's Pose"). What is missing to the
   target is then applied as gain to clips and beeps, except that no clip is lifted
   past the true-peak target: a clip that would be is held at it, and the others get a
   little more to keep the loudness (`fit_gains`). If that would hold some phrase more
   than `MAX_HELD_DB` under the rest, the speech is processed again with more gain into
   the limiter. The full-length encode then needs no filter at all.

The target (`LoudnessTarget.for_codec`) allows for what the codec does: LAME takes a
little loudness off and every lossy codec adds a little true peak. With a cache, the
processed clips are kept, so a rebuild does not run the limiter again.

With a music bed (see music.py) the voice is normalized the same way, the bed is set
relative to it, and the loudness of the stereo mix is worked out from the same energies
and the bed's, measured while it is decoded (music_loudness.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from audiogen.audio.beeps import BEEP_DBFS, render_beep
from audiogen.audio.bs1770 import true_peak_db
from audiogen.audio.condition import SPEECH_PREFILTER, condition_speech, final_limiter
from audiogen.audio.level_memo import LevelMemo
from audiogen.audio.measure import MixEnergy, mix_energy, segment_samples
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.plan.timeline import BEEP_ROLES, Role, Timeline
from audiogen.speech.cache import SpeechCache

if TYPE_CHECKING:
    from pydub import AudioSegment


TARGET_LUFS = -16.0
TRUE_PEAK_LIMIT_DBTP = -1.0
# Resampling the limited speech to 44.1 kHz lifts its true peak above the limiter's
# ceiling: typically 0.3 dB, for the first guess of the gain (`max_plr`); every clip's
# true peak is then measured.
RESAMPLE_OVERSHOOT_DB = 0.3
# The first guess of the speech gain. Once the limiter works, each dB more of gain lowers
# the peak-to-loudness ratio about 0.35 dB (measured on espeak voices); espeak at
# 10 dB above an RMS of -21 dBFS comes out at 13.3 dB.
SPEECH_RMS_REFERENCE_DBFS = -11.0
REFERENCE_PLR_DB = 13.3
PLR_PER_DB_GAIN = 0.35
_GUESS_MARGIN_DB = 0.5
MAX_SPEECH_GAIN_DB = 24.0
MAX_PASSES = 3
# A phrase held this much under the rest (at the true-peak target) is not heard as
# quieter; more, and the speech is limited harder instead.
MAX_HELD_DB = 1.0
_FIT_ROUNDS = 12
_FIT_TOLERANCE_LU = 0.01
# Beep peaks sit this far above the voice's loudness: a 150-500 ms sine then measures
# about as loud as the speech, clearly heard without piercing.
BEEP_PEAK_OVER_VOICE_DB = 3.0


@dataclass(frozen=True)
class LoudnessTarget:
    """Where the PCM sent to the encoder must land so the encoded file meets the spec.

    Lossy codecs change both figures (measured on espeak workouts, ffmpeg 7-9): LAME
    takes 0.3-0.4 LU off speech at every bitrate; the quantization noise of both codecs
    adds to peaks, the more the lower the bitrate. The allowances are the largest
    overshoots seen, rounded up. MP3 at LAME's default quality overshot up to 1.4 dB at
    every bitrate from 64k (sibilants), so the encoder uses quality 7 (no noise
    shaping): at most 1.2 dB at 32k, 0.1 dB at 48-64k, none from 96k (264 placements of
    36 phrases); ffmpeg's AAC with its fast coder 0.3 dB at 64k (its default coder:
    1.2 dB, so the encoder uses the fast one; below 64k both are erratic and refused).
    """

    lufs: float = TARGET_LUFS
    true_peak: float = TRUE_PEAK_LIMIT_DBTP

    @classmethod
    def for_codec(cls, codec: str, kbps: int) -> LoudnessTarget:
        """The PCM target for 'mp3', 'm4a' or 'wav' output at `kbps`."""
        if codec == "wav":
            return cls()
        if codec == "mp3":
            loss = 0.4 if kbps <= 128 else 0.3
            overshoot = _allowance(kbps, ((64, 2.6), (96, 1.7), (128, 1.2), (192, 1.0)), 0.6)
        else:
            loss = 0.0
            overshoot = _allowance(kbps, ((96, 0.8),), 0.6)
        return cls(TARGET_LUFS + loss, TRUE_PEAK_LIMIT_DBTP - overshoot)

    @property
    def max_plr(self) -> float:
        """The most the limited speech's peak may exceed the mix's loudness."""
        return self.true_peak - RESAMPLE_OVERSHOOT_DB - self.lufs


@dataclass(frozen=True)
class VoiceMix:
    """The voice (speech clips and beeps) ready to mix, at the target loudness."""

    clips: dict[str, AudioSegment]
    beeps: dict[Role, AudioSegment]
    speech_gain_db: float  # before the limiter
    trim_db: float  # after it, for beeps and every phrase not held at the peak target
    measured_lufs: float  # the mix before the trim
    passes: int
    # The highest true peak (dBTP) of any clip, as mixed: at most the target's.
    peak_dbtp: float
    # How far the phrase held most below the common trim is held (0: none is).
    held_db: float = 0.0
    # The mix's loudness (LUFS) as it is now, worked out in process.
    lufs: float = -math.inf

    def louder(self, gain_db: float) -> VoiceMix:
        """The same voice with `gain_db` more on clips and beeps (a correction)."""
        clips = {text: clip.apply_gain(gain_db) for text, clip in self.clips.items()}
        beeps = {role: beep.apply_gain(gain_db) for role, beep in self.beeps.items()}
        return replace(
            self,
            clips=clips,
            beeps=beeps,
            trim_db=self.trim_db + gain_db,
            peak_dbtp=self.peak_dbtp + gain_db,
            lufs=self.lufs + gain_db,
        )


@dataclass(frozen=True)
class FittedGains:
    """The gain after the limiter: common, and per phrase where held at the peak target."""

    common: float
    speech: dict[str, float]
    lufs: float  # of the mix with these gains
    held: float


_UNFITTED = FittedGains(0.0, {}, -math.inf, 0.0)


def _allowance(kbps: int, below: tuple[tuple[int, float], ...], otherwise: float) -> float:
    """The allowance of the first (limit, allowance) whose limit `kbps` is under."""
    return next((allowance for limit, allowance in below if kbps < limit), otherwise)


def normalize_voice(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    target: LoudnessTarget | None = None,
    *,
    sample_rate: int = SAMPLE_RATE,
    cache: SpeechCache | None = None,
) -> VoiceMix:
    """Process the speech and bring the voice mix to `target`, measured on the mix, with
    no clip's true peak past the target's.

    With a `cache`, processed clips are kept for the next build of the same phrases.
    """
    target = target or LoudnessTarget()
    memo = LevelMemo(cache, sample_rate, _chain()) if cache is not None else None
    beeps = scaled_beeps(target.lufs)
    gain = first_speech_gain(clips, target)
    for passes in range(1, MAX_PASSES + 1):
        conditioned = _conditioned(clips, gain, sample_rate, memo)
        measured, peaks, fitted = _fitted(timeline, conditioned, beeps, target, sample_rate, memo)
        if math.isinf(measured):  # nothing audible at all: leave it be
            return VoiceMix(conditioned, beeps, gain, 0.0, measured, passes, -math.inf)
        if fitted.held <= MAX_HELD_DB or passes == MAX_PASSES or gain >= MAX_SPEECH_GAIN_DB:
            break
        # Too quiet for its peaks: limit harder. The margin avoids a third pass.
        gain = min(MAX_SPEECH_GAIN_DB, gain + fitted.held / PLR_PER_DB_GAIN + _GUESS_MARGIN_DB)
    return _apply(conditioned, beeps, gain, measured, passes, peaks, fitted)


def _fitted(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    target: LoudnessTarget,
    sample_rate: int,
    memo: LevelMemo | None,
) -> tuple[float, dict[str, float], FittedGains]:
    """The mix's loudness, each clip's true peak and the fitted gains, from the memo if
    it has them (a rebuild of the same workout then skips the measuring too)."""
    key = memo.mix_key(timeline, clips, beeps) + f"|{target}" if memo else ""
    known = memo.measurement(hashlib.sha256(key.encode()).hexdigest()) if memo else None
    if known is not None:
        fitted = FittedGains(known["common"], known["speech"], known["lufs"], known["held"])
        return float(known["measured"]), dict(known["peaks"]), fitted
    energy = mix_energy(timeline, clips, beeps, sample_rate=sample_rate)
    measured = energy.lufs()
    peaks = {text: true_peak_db(segment_samples(clip)) for text, clip in clips.items()}
    fitted = fit_gains(energy, peaks, target) if not math.isinf(measured) else _UNFITTED
    if memo and not math.isinf(measured):
        value = {"measured": measured, "peaks": peaks, **dataclasses.asdict(fitted)}
        memo.keep_measurement(hashlib.sha256(key.encode()).hexdigest(), value)
    return measured, peaks, fitted


def fit_gains(energy: MixEnergy, peaks: Mapping[str, float], target: LoudnessTarget) -> FittedGains:
    """The common gain that brings the mix to `target.lufs` with every phrase whose true
    peak it would lift past `target.true_peak` held at that peak instead.

    Holding phrases back lowers the loudness, so the common gain is raised by what is
    still missing until the two agree (a few rounds, each a sum over sub-blocks).
    """
    common = target.lufs - energy.lufs()
    speech: dict[str, float] = {}
    lufs = -math.inf
    for _ in range(_FIT_ROUNDS):
        speech = {text: min(common, target.true_peak - peak) for text, peak in peaks.items()}
        lufs = energy.lufs(speech, common)
        if abs(target.lufs - lufs) < _FIT_TOLERANCE_LU:
            break
        common += target.lufs - lufs
    held = max((common - value for value in speech.values()), default=0.0)
    return FittedGains(common, speech, lufs, max(0.0, held))


def _apply(
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    gain: float,
    measured: float,
    passes: int,
    peaks: Mapping[str, float],
    fitted: FittedGains,
) -> VoiceMix:
    """The clips and beeps with the fitted gains applied."""
    gains = fitted.speech
    louder = {text: clip.apply_gain(gains[text]) for text, clip in clips.items()}
    scaled = {role: beep.apply_gain(fitted.common) for role, beep in beeps.items()}
    peak = max((peaks[text] + gains[text] for text in clips), default=-math.inf)
    return VoiceMix(
        louder, scaled, gain, fitted.common, measured, passes, peak, fitted.held, fitted.lufs
    )


def _conditioned(
    clips: Mapping[str, AudioSegment], gain: float, sample_rate: int, memo: LevelMemo | None
) -> dict[str, AudioSegment]:
    found = memo.conditioned(clips, gain) if memo else {}
    missing = {text: clip for text, clip in clips.items() if text not in found}
    made = condition_speech(missing, gain, sample_rate=sample_rate)
    if memo:
        memo.keep_conditioned(clips, gain, made)
    return {text: found[text] if text in found else made[text] for text in clips}


def _chain() -> str:
    """The processing chain as text, for the memo's keys."""
    return "|".join([",".join(SPEECH_PREFILTER), final_limiter()])


def first_speech_gain(clips: Mapping[str, AudioSegment], target: LoudnessTarget) -> float:
    """A guess of the gain before the limiter that meets `target` in one pass."""
    energy = sum(clip.rms**2 * clip.frame_count() for clip in clips.values())
    frames = sum(clip.frame_count() for clip in clips.values())
    if not energy:
        return 0.0
    rms_dbfs = 10 * math.log10(energy / frames) - 20 * math.log10(32768)
    plr_gain = (REFERENCE_PLR_DB - target.max_plr) / PLR_PER_DB_GAIN
    guess = SPEECH_RMS_REFERENCE_DBFS - rms_dbfs + plr_gain + _GUESS_MARGIN_DB
    return min(MAX_SPEECH_GAIN_DB, guess)


def scaled_beeps(voice_lufs: float) -> dict[Role, AudioSegment]:
    """The beeps with their peaks BEEP_PEAK_OVER_VOICE_DB above the voice loudness."""
    gain = voice_lufs + BEEP_PEAK_OVER_VOICE_DB - BEEP_DBFS
    return {role: render_beep(role).apply_gain(gain) for role in BEEP_ROLES}
