"""The espeak engine reaches into pyttsx3's private `_espeak` bindings (see the engine
module for why). This test lists everything it uses, so a pyttsx3 release that renames
or drops any of it fails here, loudly, rather than in a user's build."""

from __future__ import annotations

import ctypes
import importlib

from audiogen.speech.engines.espeak import EspeakSpeaker
from audiogen.speech.engines.espeak_library import load_espeak
from audiogen.speech.synth import make_synthesizer
from audiogen.workout.model import VoiceProfile

USED = {
    "functions": (
        "Initialize", "Info", "SetVoiceByName", "SetParameter", "GetCurrentVoice",
        "ListVoices", "cSynth", "cSetSynthCallback", "Cancel",
    ),
    "constants": (
        "AUDIO_OUTPUT_SYNCHRONOUS", "EE_OK", "RATE", "VOLUME", "PITCH", "POS_CHARACTER",
        "CHARS_UTF8", "EVENT_MSG_TERMINATED",
    ),
    "types": ("VOICE", "t_espeak_callback"),
}  # fmt: skip


def test_pyttsx3_still_offers_every_private_binding_the_engine_uses() -> None:
    load_espeak()
    espeak = importlib.import_module("pyttsx3.drivers._espeak")
    missing = [name for group in USED.values() for name in group if not hasattr(espeak, name)]
    assert not missing, f"pyttsx3's _espeak no longer has {missing}: update engines/espeak.py"
    assert hasattr(espeak, "SynthCallback"), "the module-level callback slot moved"
    assert all(isinstance(getattr(espeak, n), int) for n in USED["constants"])
    assert issubclass(espeak.VOICE, ctypes.Structure)
    assert {"identifier", "name", "languages", "gender"} <= {f[0] for f in espeak.VOICE._fields_}


def test_phrases_spoken_side_by_side_are_the_phrases_spoken_alone() -> None:
    """The batch path forks one child per phrase, several at once: same samples."""
    speaker = make_synthesizer(VoiceProfile()).speaker
    assert isinstance(speaker, EspeakSpeaker)
    texts = ["Front squat", "Halfway", "Ten seconds left", "Next up: side plank"] * 2
    together = [raw.samples for raw in speaker.synthesize_many(texts)]
    alone = [speaker.synthesize(text).samples for text in texts]
    assert together == alone and len(set(together)) == 4
