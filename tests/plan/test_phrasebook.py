"""The shipped phrasebooks and user overrides."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest

from audiogen.plan.phrasebook import (
    LANGUAGES,
    PhrasebookError,
    load_phrasebook,
    template_fields,
)
from audiogen.plan.plurals import REP_WORDS, with_reps
from audiogen.plan.spoken import DURATION_WORDS, speak_numbers

EN = load_phrasebook("en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_the_same_keys_and_fields_as_english(language: str) -> None:
    book = load_phrasebook(language)
    assert book.language == language
    assert set(book.phrases) == set(EN.phrases)
    for key in EN.phrases:
        assert book.fields(key) == EN.fields(key), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_phrase_fills_in_and_is_spoken_without_digits(language: str) -> None:
    book = load_phrasebook(language)
    for key in book.phrases:
        text = book.say(key, **dict.fromkeys(book.fields(key), "21"))
        assert "{" not in text
        assert not any(c.isdigit() for c in speak_numbers(text, language)), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_units_and_rep_words_match_the_spoken_defaults(language: str) -> None:
    book = load_phrasebook(language)
    assert book.duration_words == DURATION_WORDS[language]
    for reps in (1, 10, (8, 12)):
        assert book.with_reps("Calf Raise", reps) == with_reps("Calf Raise", reps, language)
    assert book.say("rep_range", low=8, high=12) == REP_WORDS[language].rep_range.format(
        low=8, high=12
    )


def test_english_phrases_are_todays_compiler_strings() -> None:
    assert EN.say("welcome", title="Legs", minutes=EN.duration(1_910_000)) == (
        "Welcome to Legs. 32 minutes in total."
    )
    assert EN.say("outro") == "Workout complete. Great work!"
    assert EN.say("first_up", name="Squat") == "First up: Squat"
    assert EN.say("next_up", name="8 Burpees") == "Next up: 8 Burpees"
    assert EN.say("round", round=2, rounds=3) == "Round 2 of 3."
    assert EN.say("minute", round=3, rounds=10) == "Minute 3 of 10."
    assert EN.say("block_round", block="Core", round=1, rounds=2) == "Core. Round 1 of 2."
    assert EN.say("block", block="Core") == "Core."
    assert EN.say("switch") == "Switch sides"
    assert EN.say("halfway") == "Halfway"
    assert EN.say("seconds_left", duration=EN.duration(10_000)) == "10 seconds left"
    assert EN.say("minutes_left", duration=EN.duration(60_000)) == "1 minute left"
    assert EN.say("works", targets=EN.join(["quads", "glutes", "core"])) == (
        "Works quads, glutes and core."
    )
    assert EN.say("modification", text="Hands on a bench.") == "Easier option: Hands on a bench."
    side = EN.say("side_left")
    assert EN.say("name_side", name="Lunge", side=side) == "Lunge, left side"
    moves = EN.join([EN.with_reps("Push-up", 5), EN.with_reps("Air Squat", 10)])
    assert EN.say("amrap", duration=EN.duration(360_000), moves=moves) == (
        "As many rounds as you can in 6 minutes: 5 Push-ups and 10 Air Squats."
    )


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("en", "Round 2 of 3."), ("de", "Runde 2 von 3."), ("es", "Ronda 2 de 3."),
     ("fr", "Tour 2 sur 3.")],
)  # fmt: skip
def test_round_call_per_language(language: str, phrase: str) -> None:
    assert load_phrasebook(language).say("round", round=2, rounds=3) == phrase


def test_spanish_and_becomes_e_before_an_i_sound() -> None:
    es = load_phrasebook("es")
    assert es.join(["glúteos", "isquiotibiales"]) == "glúteos e isquiotibiales"
    assert es.join(["core", "hierro"]) == "core y hierro"


def test_voices() -> None:
    assert EN.default_voice == "en-us"
    assert EN.natural_voice == "en_US-joe-medium"
    assert [load_phrasebook(lang).natural_voice for lang in ("de", "es", "fr")] == [None] * 3


def test_default_voices_exist_in_espeak_ng() -> None:
    loader = pytest.importorskip("espeakng_loader")
    os.environ.setdefault("ESPEAK_DATA_PATH", loader.get_data_path())
    lib = ctypes.CDLL(loader.get_library_path())
    # AUDIO_OUTPUT_SYNCHRONOUS: no sound device needed; NULL path reads ESPEAK_DATA_PATH.
    assert lib.espeak_Initialize(2, 0, None, 0) > 0
    for language in LANGUAGES:
        voice = load_phrasebook(language).default_voice
        assert lib.espeak_SetVoiceByName(voice.encode()) == 0, voice


# ---- overrides --------------------------------------------------------------------


def _override(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "phrases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_replaces_only_its_keys(tmp_path: Path) -> None:
    path = _override(tmp_path, 'go: "Go go go!"\nmeta: {language: en}\n')
    book = load_phrasebook("en", path)
    assert book.say("go") == "Go go go!"
    assert book.say("halfway") == "Halfway"
    assert load_phrasebook("en").say("go") == "Go!"


def test_an_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    suggestion = r"unknown phrase 'halfwya' \(did you mean 'halfway'"
    with pytest.raises(PhrasebookError, match=suggestion) as err:
        load_phrasebook("en", _override(tmp_path, "halfwya: Half done\n"))
    assert err.value.key == "halfwya"


def test_missing_fields_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'round' must use the fields \{round\}, \{rounds\}"):
        load_phrasebook("en", _override(tmp_path, 'round: "Round {round}"\n'))


def test_unknown_fields_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"found \{name\}, \{reps\}, \{sets\}"):
        load_phrasebook("en", _override(tmp_path, 'reps: "{sets} x {reps} {name}"\n'))


@pytest.mark.parametrize("template", ["{0} {name}", "{name!r}", "{name:>9}", "{reps.real}"])
def test_only_plain_fields_are_allowed(tmp_path: Path, template: str) -> None:
    with pytest.raises(PhrasebookError, match="first_up"):
        load_phrasebook("en", _override(tmp_path, f"first_up: '{template}'\n"))


def test_an_override_for_another_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PhrasebookError, match="for 'de'"):
        load_phrasebook("en", _override(tmp_path, "meta: {language: de}\n"))


def test_a_non_mapping_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PhrasebookError, match="mapping"):
        load_phrasebook("en", _override(tmp_path, "- go\n"))


def test_unknown_language_and_missing_fields_at_say() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        load_phrasebook("it")
    with pytest.raises(PhrasebookError, match="missing"):
        EN.say("round", round=1)


def test_template_fields() -> None:
    assert template_fields("Round {round} of {rounds}.") == {"round", "rounds"}
    assert template_fields("Go!") == frozenset()
