#!/usr/bin/env python3
"""Synthesize the bundled background loop, audiogen/data/music/loop.ogg: royalty-free, made here.

    .venv/bin/python scripts/make_music.py [-o audiogen/data/music/loop.ogg] [--wav loop.wav]

Eight bars at 120 bpm in C major (16 s): a soft pad on C - G - Am - F, two bars each,
a round bass on the eighth notes, a gentle four-on-the-floor kick, quiet off-beat hats
and a plucked arpeggio that alternates left and right, so the bed is stereo. Written
into the public domain (CC0) by the audiogen project.

Everything is computed from fixed numbers and a seeded random generator, so the samples
are the same on every run and every machine; the OGG file is byte-identical for the
same ffmpeg build (bitexact flags; another libvorbis may differ in the last bits).

The loop wraps: notes that ring past the end continue at the start, and the file ends
with a copy of its first `LOOP_CROSSFADE_MS`. audiogen crossfades that tail into the
head at every loop point; since they are the same sound, the crossfade (linear for
matching material, see `audiogen.audio.music.crossfade`) is seamless and the beat keeps its
exact 16 s period.
"""

from __future__ import annotations

import argparse
import array
import math
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audiogen.audio.music import LOOP_CROSSFADE_MS  # noqa: E402
from audiogen.core.ffmpeg import ffmpeg_exe  # noqa: E402

RATE = 44100
BPM = 120
BEAT = RATE * 60 // BPM  # 22050 samples
BARS = 8
LENGTH = BARS * 4 * BEAT  # 16 s
# (root MIDI note of the bass, MIDI notes of the pad) for each two-bar chord.
CHORDS = [
    (36, (48, 52, 55, 60)),  # C
    (43, (47, 50, 55, 62)),  # G
    (45, (45, 48, 52, 57)),  # Am
    (41, (45, 48, 53, 60)),  # F
]
SEED = 20240611


class Track:
    """A circular stereo buffer: whatever is written past the end wraps to the start."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.left = [0.0] * length
        self.right = [0.0] * length

    def add(self, start: int, samples: list[float], pan: float = 0.0) -> None:
        """Add a mono sound at `start`, panned -1 (left) to 1 (right), equal power."""
        angle = (pan + 1) * math.pi / 4
        gain_l, gain_r = math.cos(angle), math.sin(angle)
        left, right, n = self.left, self.right, self.length
        for i, value in enumerate(samples):
            at = (start + i) % n
            left[at] += value * gain_l
            right[at] += value * gain_r


def hz(note: int) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def tone(
    freq: float,
    seconds: float,
    envelope: Callable[[float], float],
    harmonics: tuple[float, ...] = (1.0,),
    detune: float = 0.0,
) -> list[float]:
    """A sum of harmonics (amplitudes given) shaped by envelope(t)."""
    step = 2 * math.pi * freq * (1 + detune) / RATE
    out = []
    for i in range(int(seconds * RATE)):
        phase = i * step
        value = sum(a * math.sin(k * phase) for k, a in enumerate(harmonics, start=1) if a)
        out.append(value * envelope(i / RATE))
    return out


def pad_envelope(hold: float) -> Callable[[float], float]:
    def shape(t: float) -> float:
        if t < 0.35:  # a slow swell, no attack click
            return math.sin(math.pi / 2 * t / 0.35) ** 2
        if t < hold:
            return 1.0
        return math.exp(-(t - hold) / 0.25)

    return shape


def decay(seconds: float, attack: float = 0.004) -> Callable[[float], float]:
    def shape(t: float) -> float:
        return (t / attack if t < attack else 1.0) * math.exp(-t / seconds)

    return shape


def add_pad(track: Track) -> None:
    chord_len = 2 * 4 * BEAT
    for index, (_, notes) in enumerate(CHORDS):
        start = index * chord_len
        hold = chord_len / RATE
        for k, note in enumerate(notes):
            # Slightly detuned copies left and right: width without phasing.
            for pan, detune in ((-0.6, -0.0012), (0.6, 0.0012)):
                sound = tone(hz(note), hold + 1.0, pad_envelope(hold), (1.0, 0.3, 0.12), detune)
                track.add(start, [0.045 * v for v in sound], pan + 0.1 * (k - 1.5) / 1.5)


def add_bass(track: Track) -> None:
    for index, (root, _) in enumerate(CHORDS):
        for eighth in range(16):
            note = root + (12 if eighth % 4 == 3 else 0)  # an octave hop for motion
            sound = tone(hz(note), 0.3, decay(0.12), (1.0, 0.35, 0.1))
            level = 0.22 if eighth % 2 == 0 else 0.15
            track.add(index * 16 * BEAT // 2 + eighth * BEAT // 2, [level * v for v in sound])


def kick() -> list[float]:
    out, phase = [], 0.0
    for i in range(int(0.3 * RATE)):
        t = i / RATE
        freq = 45 + 75 * math.exp(-t / 0.03)  # a quick downward sweep: a soft thump
        phase += 2 * math.pi * freq / RATE
        out.append(0.5 * math.sin(phase) * math.exp(-t / 0.09) * min(1.0, t / 0.002))
    return out


def hat(rng: random.Random) -> list[float]:
    out, last = [], 0.0
    for i in range(int(0.06 * RATE)):
        noise = rng.uniform(-1, 1)
        out.append((noise - last) * 0.03 * math.exp(-i / RATE / 0.015))  # differenced: bright
        last = noise
    return out


def add_drums(track: Track, rng: random.Random) -> None:
    thump = kick()
    for beat in range(BARS * 4):
        track.add(beat * BEAT, thump)
        track.add(beat * BEAT + BEAT // 2, hat(rng), pan=0.3)


def add_arpeggio(track: Track) -> None:
    sixteenth = BEAT // 4
    for index, (_, notes) in enumerate(CHORDS):
        pattern = [notes[1], notes[2], notes[3], notes[2]]
        for step in range(32):
            if step % 8 in (3, 7):  # rests keep it light
                continue
            note = pattern[step % 4] + 12
            sound = tone(hz(note), 0.35, decay(0.09), (1.0, 0.0, 0.15))
            pan = -0.5 if step % 2 == 0 else 0.5
            track.add(index * 32 * sixteenth + step * sixteenth, [0.05 * v for v in sound], pan)


def render() -> bytes:
    """The loop plus a copy of its first LOOP_CROSSFADE_MS, as stereo s16le."""
    rng = random.Random(SEED)
    track = Track(LENGTH)
    add_pad(track)
    add_bass(track)
    add_drums(track, rng)
    add_arpeggio(track)
    peak = max(max(map(abs, track.left)), max(map(abs, track.right)))
    scale = 32767 * 10 ** (-3 / 20) / peak  # peaks at -3 dBFS
    extra = RATE * LOOP_CROSSFADE_MS // 1000
    frames = [*range(LENGTH), *range(extra)]
    samples = array.array("h")
    for i in frames:
        samples.append(round(track.left[i] * scale))
        samples.append(round(track.right[i] * scale))
    return samples.tobytes()


def encode(pcm: bytes, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
        "-f", "s16le", "-ar", str(RATE), "-ac", "2", "-i", "pipe:0",
        "-codec:a", "libvorbis", "-q:a", "3",
        "-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1",
        "-metadata", "title=audiogen workout loop",
        "-metadata", "artist=audiogen",
        "-metadata", "copyright=CC0 1.0: public domain, made by scripts/make_music.py",
        "-y", str(output),
    ]  # fmt: skip
    subprocess.run(command, input=pcm, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o", "--output", type=Path, default=ROOT / "audiogen" / "data" / "music" / "loop.ogg"
    )
    parser.add_argument("--wav", type=Path, help="also write the raw loop as a WAV file")
    args = parser.parse_args()
    pcm = render()
    encode(pcm, args.output)
    if args.wav:
        import wave

        with wave.open(str(args.wav), "wb") as wav:
            wav.setnchannels(2)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(pcm)
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size // 1024} KB, {len(pcm) / 4 / RATE:.1f} s)")


if __name__ == "__main__":
    main()
