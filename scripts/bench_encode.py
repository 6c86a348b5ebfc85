#!/usr/bin/env python3
"""Time MP3 encoding of a long mono track: the baseline for the project's benchmark.

Raw 44.1 kHz mono PCM is piped to ffmpeg (LAME, CBR) through `encode_mp3`, for three
signals, since LAME is much faster on silence than on sound:

  silence   all zeros
  speech    a speech-like signal throughout (voiced harmonics, syllable envelope,
            noise bursts, short pauses)
  workout   what a real track looks like: render_pcm of 300 two-second phrases and
            300 beeps spread over the track, silence in between (render timed apart)

Usage: .venv/bin/python scripts/bench_encode.py [--minutes 30] [--bitrate 96k] [--repeat 1]
"""

from __future__ import annotations

import argparse
import array
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audiogen.audio.mixer import render_pcm
from audiogen.core.ffmpeg import configure_pydub, ffmpeg_exe, probe_mp3
from audiogen.output.encoder import encode_mp3
from audiogen.plan.timeline import Cue, CueKind, Role, Timeline

RATE = 44100
PATTERN_SECONDS = 5


def speech_like(seconds: float, seed: int = 1) -> bytes:
    """Vowel-ish harmonics on a gliding pitch, 4 Hz syllables, hiss bursts and pauses."""
    rng = random.Random(seed)
    out = array.array("h")
    phase = 0.0
    for i in range(int(seconds * RATE)):
        t = i / RATE
        pitch = 130 + 30 * math.sin(2 * math.pi * 0.7 * t)
        phase += 2 * math.pi * pitch / RATE
        voiced = sum(math.sin(k * phase) / k for k in range(1, 6))
        syllable = abs(math.sin(2 * math.pi * 2 * t))  # |sin| at 2 Hz: 4 syllables/s
        hiss = rng.uniform(-1, 1) if (t * 4) % 1 > 0.8 else 0.0
        pause = (t % 1.5) > 1.2  # a gap between "words"
        value = 0.0 if pause else 6000 * syllable * voiced + 1500 * hiss
        out.append(max(-32768, min(32767, int(value))))
    return out.tobytes()


def repeated(pattern: bytes, total_samples: int) -> Iterator[bytes]:
    """`pattern` again and again (the same object: no memory growth), cut to length."""
    left = total_samples * 2
    while left > 0:
        piece = pattern if left >= len(pattern) else pattern[:left]
        left -= len(piece)
        yield piece


def workout_chunks(minutes: float) -> Iterable[bytes]:
    configure_pydub()
    from pydub import AudioSegment

    def segment(data: bytes) -> AudioSegment:
        return AudioSegment(data=data, sample_width=2, frame_rate=RATE, channels=1)

    duration_ms = int(minutes * 60_000)
    step = duration_ms // 300
    phrase = segment(speech_like(2.0, seed=2))
    beep = segment(array.array("h", [4000, -4000] * int(RATE * 0.2)).tobytes())
    cues: list[Cue] = []
    for i in range(300):
        t = i * step
        cues.append(Cue(t, t + 2000, CueKind.SPEECH, Role.NAME, text=f"phrase {i % 20}"))
        cues.append(Cue(t + step // 2, t + step // 2 + 400, CueKind.BEEP, Role.START))
    timeline = Timeline("bench", duration_ms, (), tuple(cues))
    clips = {f"phrase {i}": phrase for i in range(20)}
    return render_pcm(timeline, clips, {Role.START: beep})


def timed(label: str, make_chunks: Callable[[], Iterable[bytes]], args: argparse.Namespace) -> None:
    best = math.inf
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.mp3"
        for _ in range(args.repeat):
            chunks = make_chunks()
            start = time.perf_counter()
            encode_mp3(chunks, out, bitrate=args.bitrate)
            best = min(best, time.perf_counter() - start)
        info = probe_mp3(out)
        size_mb = out.stat().st_size / 1e6
    speed = args.minutes * 60 / best
    print(
        f"{label:<8} {args.minutes:g} min {args.bitrate}: {best:6.2f} s  "
        f"({speed:5.0f}x realtime, {size_mb:.1f} MB, {info.duration_ms / 60_000:.2f} min)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--bitrate", default="96k")
    parser.add_argument("--repeat", type=int, default=1, help="runs per signal; best is shown")
    args = parser.parse_args()
    total = int(args.minutes * 60 * RATE)
    print(f"ffmpeg: {ffmpeg_exe()}")

    silence = bytes(RATE * 2)
    timed("silence", lambda: repeated(silence, total), args)

    pattern = speech_like(PATTERN_SECONDS)
    timed("speech", lambda: repeated(pattern, total), args)

    start = time.perf_counter()
    for _ in workout_chunks(args.minutes):  # the render alone, without the encoder
        pass
    seconds = time.perf_counter() - start
    print(f"render   {args.minutes:g} min: {seconds:6.2f} s  (render_pcm, 600 cues)")
    timed("workout", lambda: workout_chunks(args.minutes), args)


if __name__ == "__main__":
    main()
