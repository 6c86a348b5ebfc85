"""Speech with the real espeak-ng engine (no mocks), plus the tone stand-in."""

from __future__ import annotations

import array
import ctypes.util
import os
import statistics
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING, ClassVar

import pytest

from audiogen.errors import VoiceChoiceError, VoiceError, WorkoutError
from audiogen.speech.engines.espeak import EspeakSpeaker, list_engine_voices
from audiogen.speech.engines.espeak_library import load_espeak
from audiogen.speech.engines.system_voices import Pyttsx3Speaker
from audiogen.speech.registry import EngineVoice
from audiogen.speech.resolver import speak_phrases, synthesize_phrases
from audiogen.speech.synth import EngineSynthesizer, Synthesizer, make_synthesizer
from audiogen.speech.tone import ToneSynthesizer
from audiogen.workout.model import EngineSetting, VoiceProfile

if TYPE_CHECKING:
    from pydub import AudioSegment

LONG_TEXT = (
    "Stand with your feet shoulder width apart, brace your core, and lower yourself "
    "slowly until your thighs are parallel to the floor; keep your chest up, your "
    "knees tracking over your toes, and your weight in your heels. Pause for a moment "
    "at the bottom, then drive up through the floor and squeeze your glutes at the top. "
    "Breathe in on the way down and out on the way up. If your knees hurt, shorten the "
    "range of motion, or hold on to a chair for balance. Remember: slow and controlled "
    "beats fast and sloppy, every single time. When the timer beeps, rest, shake out "
    "your legs, and get ready for the next one. <b>Really</b> [[no]] & 100% 3x10!"
)


def samples(clip: AudioSegment) -> array.array[int]:
    return array.array("h", clip.raw_data)


def ms_to_frames(ms: float) -> int:
    return round(ms * 44.1)


def loud_edges(clip: AudioSegment, threshold: int = 300) -> tuple[int, int]:
    """Frames of silence before the first and after the last clearly audible sample."""
    data = samples(clip)
    loud = [i for i, s in enumerate(data) if abs(s) > threshold]
    return loud[0], len(data) - 1 - loud[-1]


def fundamental_hz(clip: AudioSegment) -> float:
    """Median autocorrelation pitch over the loud (voiced) windows."""
    rate = 11025
    data = samples(clip.set_frame_rate(rate))
    window, longest_lag = 441, rate // 60
    starts = range(0, len(data) - window - longest_lag, window // 2)
    energy = {i: sum(x * x for x in data[i : i + window : 3]) for i in starts}
    loudest = max(energy.values())
    estimates = []
    for i in (i for i in starts if energy[i] > 0.3 * loudest):
        w = data[i : i + window + longest_lag]
        lag = max(
            range(rate // 400, longest_lag),
            key=lambda lag: sum(w[k] * w[k + lag] for k in range(0, window, 2)),
        )
        estimates.append(rate / lag)
    return statistics.median(estimates)


@pytest.fixture(scope="module")
def voice() -> EngineSynthesizer:
    return make_synthesizer(VoiceProfile(voice="en-us", rate=175))


@pytest.fixture(scope="module")
def front_squat(voice: EngineSynthesizer) -> AudioSegment:
    return voice.synthesize("Front squat")


def espeak_voice(synth: EngineSynthesizer) -> str:
    speaker = synth.speaker
    assert isinstance(speaker, EspeakSpeaker)
    return speaker.voice_id


def assert_format(clip: AudioSegment) -> None:
    assert (clip.frame_rate, clip.channels, clip.sample_width) == (44100, 1, 2)


# --- the engine ---------------------------------------------------------------------


def test_importing_the_module_loads_no_audio_library() -> None:
    code = (
        "import sys, audiogen.speech.synth; print(sorted({'pydub', 'pyttsx3'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_espeak_is_idempotent_and_sets_the_data_path() -> None:
    first = load_espeak()
    assert load_espeak() == first
    assert os.path.isdir(os.environ["ESPEAK_DATA_PATH"])


@pytest.mark.skipif(
    ctypes.util.find_library("espeak-ng") is not None, reason="a system espeak-ng exists"
)
def test_missing_engine_says_how_to_install_it() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["espeakng_loader"] = None  # as if the package were not installed
        from audiogen.errors import VoiceChoiceError, VoiceError, WorkoutError
        from audiogen.speech.engines.espeak_library import load_espeak
        try:
            load_espeak()
        except VoiceError as err:
            print(err)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "scripts/bootstrap.py" in out.stdout


# --- one clip -----------------------------------------------------------------------


def test_clip_format_and_length(front_squat: AudioSegment) -> None:
    assert_format(front_squat)
    assert 300 <= len(front_squat) <= 3000
    assert front_squat.dBFS > -35  # speech, not silence


def test_clip_is_trimmed_to_a_short_pad(front_squat: AudioSegment) -> None:
    before, after = loud_edges(front_squat)
    assert before <= ms_to_frames(30)
    assert after <= ms_to_frames(30)
    data = samples(front_squat)
    edge = ms_to_frames(3)
    assert max(abs(s) for s in data[:edge]) < 300
    assert max(abs(s) for s in data[-edge:]) < 300


def test_long_text_is_spoken_whole(voice: EngineSynthesizer) -> None:
    # pyttsx3's own Synth claims a buffer 10x the text's size; espeak copies that much.
    assert len(LONG_TEXT) > 600
    clip = voice.synthesize(LONG_TEXT)
    assert_format(clip)
    assert len(clip) > 30_000
    assert clip.dBFS > -35


def test_markup_is_read_as_plain_text(voice: EngineSynthesizer) -> None:
    # As SSML the tags would be silent; as text espeak names the brackets.
    plain = voice.synthesize("Push up")
    marked = voice.synthesize("<b>Push</b> up")
    assert len(marked) > len(plain) + 300


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
@pytest.mark.parametrize("synth", [ToneSynthesizer(), None])
def test_empty_text_is_refused(
    text: str, synth: Synthesizer | None, voice: EngineSynthesizer
) -> None:
    with pytest.raises(ValueError):
        (synth or voice).synthesize(text)


# --- settings -------------------------------------------------------------------------


def test_faster_rate_gives_a_shorter_clip() -> None:
    slow = make_synthesizer(VoiceProfile(rate=120)).synthesize("Front squat, keep going")
    fast = make_synthesizer(VoiceProfile(rate=300)).synthesize("Front squat, keep going")
    assert len(fast) < 0.7 * len(slow)


def test_lower_volume_gives_a_quieter_clip(front_squat: AudioSegment) -> None:
    quiet = make_synthesizer(VoiceProfile(volume=0.5)).synthesize("Front squat")
    assert quiet.dBFS < front_squat.dBFS - 4


def test_voices_differ_in_pitch() -> None:
    female = make_synthesizer(VoiceProfile(voice="en-us+f3"))
    british = make_synthesizer(VoiceProfile(voice="en-gb-x-rp"))
    assert espeak_voice(female) == "gmw/en-us+f3"
    assert espeak_voice(british) == "gmw/en-gb-x-rp"
    high = fundamental_hz(female.synthesize("Front squat"))
    low = fundamental_hz(british.synthesize("Front squat"))
    assert high > 1.4 * low


def test_two_synthesizers_share_the_engine_without_leaking_settings() -> None:
    fast = make_synthesizer(VoiceProfile(rate=300))
    slow = make_synthesizer(VoiceProfile(rate=120))
    before = len(fast.synthesize("Front squat, keep going"))
    slow.synthesize("Front squat, keep going")
    assert abs(len(fast.synthesize("Front squat, keep going")) - before) < 50


def test_key_names_everything_that_changes_the_audio(voice: EngineSynthesizer) -> None:
    assert "espeak-ng 1." in voice.key
    assert "gmw/en-us" in voice.key
    assert "rate=175" in voice.key
    variants = [
        VoiceProfile(rate=200),
        VoiceProfile(volume=0.5),
        VoiceProfile(settings=(EngineSetting("pitch", 70),)),
        VoiceProfile(voice="en-us+f3"),
    ]
    keys = {make_synthesizer(p).key for p in variants} | {voice.key}
    assert len(keys) == len(variants) + 1
    # Two spellings of one voice are one voice.
    assert make_synthesizer(VoiceProfile(voice="gmw/en-us")).key == voice.key


@pytest.mark.parametrize(
    ("voice_id", "suggestion"),
    [("en-gb", "en-gb-x-rp"), ("en-us+f33", "f3"), ("en-uss", "en-us")],
)
def test_unknown_voice_is_refused_with_a_suggestion(voice_id: str, suggestion: str) -> None:
    with pytest.raises(VoiceError) as info:
        make_synthesizer(VoiceProfile(voice=voice_id))
    assert voice_id in str(info.value)
    assert info.value.hint is not None
    assert suggestion in info.value.hint


@pytest.mark.parametrize(("key", "value"), [("rate", 20), ("volume", 1.5), ("volume", 0)])
def test_out_of_range_common_settings_make_no_profile(key: str, value: float) -> None:
    with pytest.raises(ValueError, match="expected"):
        VoiceProfile(**{key: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "value"), [("pitch", 101), ("pitch", 5.5), ("pich", 50)])
def test_engine_settings_are_checked_by_their_engine(key: str, value: float) -> None:
    profile = VoiceProfile(settings=(EngineSetting(key, value),))
    with pytest.raises(WorkoutError) as info:
        make_synthesizer(profile)
    assert info.value.exit_code == 2 and info.value.key_path == key


def test_engine_voices_include_english() -> None:
    voices = list_engine_voices()
    assert all(isinstance(v, EngineVoice) for v in voices)
    us = next(v for v in voices if v.id == "gmw/en-us")
    assert us.languages[0] == "en-us"
    assert "en" in us.languages
    assert us.name == "English (America)"


# --- many phrases ---------------------------------------------------------------------


class CountingSynthesizer:
    """The real engine, counting what it is asked for."""

    def __init__(self, inner: Synthesizer) -> None:
        self.inner = inner
        self.asked: list[str] = []

    @property
    def key(self) -> str:
        return self.inner.key

    def synthesize(self, text: str) -> AudioSegment:
        self.asked.append(text)
        return self.inner.synthesize(text)


def test_synthesize_phrases_speaks_each_phrase_once(voice: EngineSynthesizer) -> None:
    counting = CountingSynthesizer(voice)
    progress: list[tuple[int, int]] = []
    phrases = ["Rest", "Front squat", "Rest", "Plank", "Front squat"]
    clips = synthesize_phrases(
        phrases, counting, on_progress=lambda done, total: progress.append((done, total))
    )
    assert counting.asked == ["Rest", "Front squat", "Plank"]
    assert list(clips) == ["Rest", "Front squat", "Plank"]
    assert progress == [(1, 3), (2, 3), (3, 3)]
    for clip in clips.values():
        assert_format(clip)


# --- the tone stand-in ----------------------------------------------------------------


def test_tone_length_follows_the_text() -> None:
    tone = ToneSynthesizer()
    assert len(tone.synthesize("Go")) == 300
    assert len(tone.synthesize("Front squat")) == 660
    clip = tone.synthesize("Front squat")
    assert_format(clip)
    assert clip.raw_data == tone.synthesize("Front squat").raw_data
    assert -30 < clip.dBFS < -15
    data = samples(clip)
    assert abs(data[0]) < 50 and abs(data[-1]) < 50


# --- numbers are spoken as words ------------------------------------------------------------


def test_the_engine_hears_numbers_as_words_and_clips_keep_the_shown_text() -> None:
    counting = CountingSynthesizer(ToneSynthesizer())
    speech = speak_phrases(["Round 2 of 3.", "10 seconds left", "Round two of three."], counting)
    assert counting.asked == ["Round two of three.", "ten seconds left"]
    assert list(speech.clips) == ["Round 2 of 3.", "10 seconds left", "Round two of three."]
    assert speech.synthesized == 2


def test_a_workout_speaks_its_numbers(voice: EngineSynthesizer) -> None:
    from audiogen.pipeline import render_timeline
    from audiogen.workout.loader import parse_workout

    workout = parse_workout("title: T\nwork: 40s\nrounds: 2\nexercises: [Squat, Lunge]\n")
    counting = CountingSynthesizer(voice)
    rendered = render_timeline(workout, synthesizer=counting)
    assert "Round two of two." in counting.asked and "ten seconds left" in counting.asked
    assert not any(ch.isdigit() for text in counting.asked for ch in text)
    shown = [c.text for c in rendered.timeline.cues if c.kind == "speech"]
    assert "10 seconds left" in shown


# --- platform engines through pyttsx3 (SAPI5, NSSS): a fake engine on Linux ------------------


class FakeVoice:
    def __init__(self, id: str, name: str, languages: list[str]) -> None:
        self.id, self.name, self.languages = id, name, languages


class FakePyttsx3Engine:
    """Behaves like pyttsx3's save_to_file route at its worst: the file is written
    only after runAndWait returns, and the finished event fires late too."""

    VOICES: ClassVar[list[FakeVoice]] = [
        FakeVoice("HKEY\\TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop", ["en_US"]),
        FakeVoice("HKEY\\TTS_MS_EN-GB_HAZEL_11.0", "Microsoft Hazel Desktop", ["en_GB"]),
    ]

    def __init__(self) -> None:
        self.properties: dict[str, object] = {"voices": self.VOICES}
        self.queued: list[tuple[str, str]] = []
        self.callbacks: list[object] = []
        self.saved: list[tuple[str, dict[str, object]]] = []

    # camelCase: pyttsx3's own method names.
    def getProperty(self, name: str) -> object:
        return self.properties[name]

    def setProperty(self, name: str, value: object) -> None:
        self.properties[name] = value

    def connect(self, topic: str, callback: object) -> None:
        assert topic == "finished-utterance"
        self.callbacks.append(callback)

    def save_to_file(self, text: str, filename: str) -> None:
        self.queued.append((text, filename))

    def runAndWait(self) -> None:
        import threading

        assert len(self.queued) == 1, "one save_to_file per runAndWait"
        text, filename = self.queued.pop()
        self.saved.append((text, dict(self.properties)))
        threading.Timer(0.03, self._write, (text, filename)).start()

    def _write(self, text: str, filename: str) -> None:
        import wave

        tone = ToneSynthesizer().synthesize(text).set_frame_rate(22_050)
        silence = bytes(2 * 2205)  # 100 ms each side, as engines leave
        with wave.open(filename, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22_050)
            out.writeframes(silence + tone.raw_data + silence)
        for callback in self.callbacks:
            callback(name=None, completed=True)  # type: ignore[operator]


def platform_synth(voice: str, engine: FakePyttsx3Engine) -> EngineSynthesizer:
    return EngineSynthesizer(Pyttsx3Speaker("sapi5", voice, 180, 0.8, init=lambda d: engine))


def voice_id(synth: EngineSynthesizer) -> str:
    speaker = synth.speaker
    assert isinstance(speaker, Pyttsx3Speaker)
    return speaker.voice_id


@pytest.mark.parametrize(
    ("wanted", "chosen"),
    [("zira", 0), ("Microsoft Hazel Desktop", 1), ("en-gb", 1), ("en-us", 0)],
)
def test_platform_voice_is_found_by_name_language_or_part(wanted: str, chosen: int) -> None:
    engine = FakePyttsx3Engine()
    assert voice_id(platform_synth(wanted, engine)) == FakePyttsx3Engine.VOICES[chosen].id


def test_platform_engine_speaks_through_save_to_file() -> None:
    engine = FakePyttsx3Engine()
    synth = platform_synth("zira", engine)
    clip = synth.synthesize("Front squat")
    assert_format(clip)
    before, after = loud_edges(clip)
    assert before <= ms_to_frames(30) and after <= ms_to_frames(30)
    text, settings = engine.saved[0]
    assert text == "Front squat"
    assert (settings["rate"], settings["volume"], settings["voice"]) == (180, 0.8, voice_id(synth))
    assert "sapi5" in synth.key and "TTS_MS_EN-US_ZIRA" in synth.key


def test_unknown_platform_voice_lists_close_matches() -> None:
    with pytest.raises(VoiceError) as info:
        platform_synth("microsoft zara desktop", FakePyttsx3Engine())
    assert info.value.hint is not None and "microsoft zira desktop" in info.value.hint


@pytest.mark.parametrize("engine", ["sapi5", "nsss"])
def test_platform_engines_say_when_they_are_missing(engine: str) -> None:
    # Linux has neither: pyttsx3 fails to import their drivers.
    with pytest.raises(VoiceError, match=f"the {engine} speech engine is not available"):
        make_synthesizer(VoiceProfile(engine=engine))


def test_espeak_profiles_get_the_espeak_speaker() -> None:
    assert isinstance(make_synthesizer(VoiceProfile()).speaker, EspeakSpeaker)
    with pytest.raises(VoiceChoiceError, match="unknown speech engine"):
        make_synthesizer(VoiceProfile(engine="festival"))
