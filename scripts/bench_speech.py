#!/usr/bin/env python3
"""Time cold synthesis of 80 distinct short cue phrases with the espeak engine.

    .venv/bin/python scripts/bench_speech.py [--phrases N] [--voice en-us]

"Cold" means a fresh process: the engine start-up is reported separately, then every
phrase is synthesized once (no cache).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audiogen.speech.resolver import synthesize_phrases
from audiogen.speech.synth import make_synthesizer
from audiogen.workout.model import VoiceProfile

EXERCISES = (
    "Front squat", "Reverse lunge", "Push-up", "Plank", "Glute bridge", "Mountain climber",
    "Burpee", "Jumping jacks", "Side plank", "Bird dog", "Dead bug", "Calf raise",
    "Wall sit", "Step-up", "Russian twist", "Superman",
)  # fmt: skip


def phrases(count: int) -> list[str]:
    """Distinct cues shaped like a 30-minute workout's: names, next-ups, tips, counts."""
    templates = (
        "{name}",
        "Next up: {name}",
        "{name}, keep your core tight",
        "Round {n} of 3. {name}",
        "Halfway there, {n} seconds left",
    )
    out: list[str] = []
    for i in range(count):
        name = EXERCISES[i % len(EXERCISES)]
        out.append(templates[(i // len(EXERCISES)) % len(templates)].format(name=name, n=i))
    return list(dict.fromkeys(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=80)
    parser.add_argument("--voice", default="en-us")
    args = parser.parse_args()
    texts = phrases(args.phrases)

    start = time.perf_counter()
    synth = make_synthesizer(VoiceProfile(voice=args.voice))
    startup = time.perf_counter() - start

    start = time.perf_counter()
    clips = synthesize_phrases(texts, synth)
    total = time.perf_counter() - start

    audio_s = sum(len(c) for c in clips.values()) / 1000
    print(f"engine start-up: {startup * 1000:.0f} ms")
    print(f"{len(clips)} distinct phrases ({audio_s:.1f} s of speech): {total:.3f} s total")
    print(f"per phrase: {total / len(clips) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
