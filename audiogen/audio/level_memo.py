"""Levelling work remembered between builds, inside the speech cache.

Levelled clips are keyed by the raw clip's samples, the gain and the processing chain;
mix measurements by everything measured. `audiogen cache clear` removes both.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from audiogen.core.files import atomic_write_text
from audiogen.errors import EncoderError
from audiogen.plan.timeline import CueKind, Role, Timeline
from audiogen.speech.cache import SpeechCache

if TYPE_CHECKING:
    from pydub import AudioSegment


# Bump when the processing chain or the measurement changes: old entries are then never
# looked up again.
MEMO_VERSION = 3


class LevelMemo:
    """Processed clips (in the speech cache, keyed by the raw clip's samples and the gain)
    and mix measurements (small files among them, keyed by everything measured)."""

    def __init__(self, cache: SpeechCache, sample_rate: int, chain: str) -> None:
        self._cache = cache
        self._rate = sample_rate
        # Everything that shapes a levelled clip (filters, limiter): part of its key.
        self._chain = chain
        # Inside the speech cache's folder: `audiogen cache clear` removes these too.
        self._folder = cache.folder / f"loudness-v{MEMO_VERSION}"

    def _clip_key(self, clip: AudioSegment, gain: float) -> str:
        digest = _digest(clip)
        return f"loudness-v{MEMO_VERSION}|{self._chain}|{gain:.3f}|{self._rate}|{digest}"

    def conditioned(
        self, clips: Mapping[str, AudioSegment], gain: float
    ) -> dict[str, AudioSegment]:
        found = {}
        for text, clip in clips.items():
            hit = self._cache.get(self._clip_key(clip, gain), text)
            if hit is not None:
                found[text] = hit
        return found

    def keep_conditioned(
        self, raw: Mapping[str, AudioSegment], gain: float, made: Mapping[str, AudioSegment]
    ) -> None:
        for text, clip in made.items():
            self._cache.put(self._clip_key(raw[text], gain), text, clip)

    def mix_key(
        self,
        timeline: Timeline,
        clips: Mapping[str, AudioSegment],
        beeps: Mapping[Role, AudioSegment],
    ) -> str:
        digests = {text: _digest(clip) for text, clip in clips.items()}
        digests.update({str(role): _digest(beep) for role, beep in beeps.items()})
        layout = [
            (c.start_ms, c.kind, digests[c.phrase if c.kind is CueKind.SPEECH else str(c.role)])
            for c in timeline.cues
        ]
        text = repr((MEMO_VERSION, self._rate, timeline.duration_ms, layout))
        return hashlib.sha256(text.encode()).hexdigest()

    def measurement(self, key: str) -> dict[str, Any] | None:
        """What `keep_measurement` kept under `key`, or None."""
        try:
            found = json.loads((self._folder / key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def keep_measurement(self, key: str, value: Mapping[str, Any]) -> None:
        # A read-only or full cache must not fail the build: it just stays cold.
        with contextlib.suppress(OSError, EncoderError):
            atomic_write_text(self._folder / key, json.dumps(value), encoding="utf-8")


def _digest(clip: AudioSegment) -> str:
    header = f"{clip.frame_rate}|{clip.channels}|{clip.sample_width}|".encode()
    return hashlib.sha256(header + bytes(clip.raw_data)).hexdigest()
