"""A workout in German, Spanish or French is titled in that language everywhere a player
shows it: the MP3's chapters and lyrics language, the M4A's chapters, the captions, the
lyrics file, the split files and their playlist. The JSON keeps its English keys and
enum values, which are a contract.

Each track is built for real (espeak-ng speech, ffmpeg encode) and read back from the
files: chapters with mutagen, the sidecars and the playlist as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from audiogen.output.tags import read_chapters
from audiogen.pipeline import BuildResult, build_workout
from audiogen.workout.loader import parse_workout

WORKOUT = """\
title: {title}
language: {language}
work: 4s
rest: 3s
rounds: 2
exercises:
  - {squat}
  - {{name: {plank}, sides: each, side_rest: 2s}}
"""


@dataclass(frozen=True)
class Case:
    title: str
    squat: str
    plank: str
    # Every chapter title, in order: two rounds of the squat and the plank's two sides.
    chapters: tuple[str, ...]
    lead_in: str
    rest: str
    outro: str
    block: str
    id3_language: str
    # The split part of the first side of the plank, in round 1.
    side_part: str


CASES = {
    "de": Case(
        title="Kurz",
        squat="Kniebeuge",
        plank="Seitstütz",
        chapters=(
            "Runde 1: Kniebeuge",
            "Runde 1: Seitstütz (rechts)",
            "Runde 1: Seitstütz (links)",
            "Runde 2: Kniebeuge",
            "Runde 2: Seitstütz (rechts)",
            "Runde 2: Seitstütz (links)",
        ),
        lead_in="Mach dich bereit",
        rest="Pause",
        outro="Geschafft",
        block="Training",
        id3_language="deu",
        side_part="de-04-runde-1-seitstutz-rechts.mp3",
    ),
    "es": Case(
        title="Corto",
        squat="sentadilla",
        plank="plancha lateral",
        chapters=(
            "Ronda 1: sentadilla",
            "Ronda 1: plancha lateral (lado derecho)",
            "Ronda 1: plancha lateral (lado izquierdo)",
            "Ronda 2: sentadilla",
            "Ronda 2: plancha lateral (lado derecho)",
            "Ronda 2: plancha lateral (lado izquierdo)",
        ),
        lead_in="Prepárate",
        rest="Descanso",
        outro="Terminado",
        block="Entrenamiento",
        id3_language="spa",
        side_part="es-04-ronda-1-plancha-lateral-lado-derecho.mp3",
    ),
    "fr": Case(
        title="Court",
        squat="squat",
        plank="gainage latéral",
        chapters=(
            "Tour 1 : squat",
            "Tour 1 : gainage latéral (côté droit)",
            "Tour 1 : gainage latéral (côté gauche)",
            "Tour 2 : squat",
            "Tour 2 : gainage latéral (côté droit)",
            "Tour 2 : gainage latéral (côté gauche)",
        ),
        lead_in="Prépare-toi",
        rest="Repos",
        outro="Terminé",
        block="Séance",
        id3_language="fra",
        side_part="fr-04-tour-1-gainage-lateral-cote-droit.mp3",
    ),
}
# The words of the English titles: none may show in another language's files.
ENGLISH = re.compile(r"\b(right|left|round|rest|get ready|done|workout)\b", re.IGNORECASE)


@pytest.fixture(scope="module", params=sorted(CASES))
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Case, BuildResult]:
    language = str(request.param)
    case = CASES[language]
    text = WORKOUT.format(title=case.title, language=language, squat=case.squat, plank=case.plank)
    folder = tmp_path_factory.mktemp(f"built-{language}")
    workout = parse_workout(text, source=str(folder / f"{language}.yaml"))
    return case, build_workout(workout, folder / f"{language}.mp3", split=True)


def test_the_mp3_chapters_are_in_the_workout_language(built: tuple[Case, BuildResult]) -> None:
    case, result = built
    titles = tuple(title for _, _, title in read_chapters(result.output))
    assert titles == case.chapters
    assert not any(ENGLISH.search(title) for title in titles)


def test_the_lyrics_and_comment_frames_say_which_language_they_are_in(
    built: tuple[Case, BuildResult],
) -> None:
    case, result = built
    tags = ID3(result.output)
    for frame in ("SYLT", "USLT"):
        assert [f.lang for f in tags.getall(frame)] == [case.id3_language]


def test_the_captions_title_each_exercise_as_its_chapter(built: tuple[Case, BuildResult]) -> None:
    case, result = built
    vtt = result.output.with_suffix(".vtt").read_text(encoding="utf-8")
    # A chapter caption: its id (ch000, ...), its timing line, then its text.
    shown = re.findall(r"^ch\d{3}\n[^\n]+\n([^\n]+)$", vtt, re.MULTILINE)
    assert tuple(shown) == case.chapters


def test_the_lyrics_name_every_section_in_the_workout_language(
    built: tuple[Case, BuildResult],
) -> None:
    case, result = built
    lrc = result.output.with_suffix(".lrc").read_text(encoding="utf-8")
    sections = re.findall(r"^\[\d\d:\d\d\.\d\d\]— (.+) —$", lrc, re.MULTILINE)
    rests = [i for i in _intervals(result) if i["kind"] == "rest"]
    assert sections[0] == case.lead_in and sections[-1] == case.outro
    assert sections.count(case.rest) == len(rests) > 0
    assert [s for s in sections if s in case.chapters] == list(case.chapters)
    assert not any(ENGLISH.search(section) for section in sections)


def test_the_json_keeps_its_keys_and_values_and_names_the_block(
    built: tuple[Case, BuildResult],
) -> None:
    case, result = built
    data = json.loads(result.output.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["language"] == result.output.stem
    work = [i for i in data["intervals"] if i["kind"] == "work"]
    assert [i["side"] for i in work] == [None, "right", "left"] * 2
    assert {i["block"] for i in work} == {case.block}
    assert set(work[0]) == {"start", "end", "kind", "exercise", "block", "round", "rounds", "side"}
    assert {i["kind"] for i in data["intervals"]} == {"lead-in", "work", "rest", "outro"}


def test_split_files_and_playlist_are_named_in_the_workout_language(
    built: tuple[Case, BuildResult],
) -> None:
    case, result = built
    assert result.split_folder is not None
    stem = result.output.stem
    lines = (result.split_folder / f"{stem}.m3u").read_text(encoding="utf-8").splitlines()
    titles = [line.split(",", 1)[1] for line in lines if line.startswith("#EXTINF:")]
    names = [line for line in lines[2:] if not line.startswith("#")]
    assert titles[0] == case.lead_in and titles[-1] == case.outro
    assert [t for t in titles if t in case.chapters] == list(case.chapters)
    assert set(titles) == {case.lead_in, case.rest, case.outro, *case.chapters}
    assert case.side_part in names
    for name, title in zip(names, titles, strict=True):
        # Each part carries its title in its own tags, as players list it.
        assert ID3(result.split_folder / name)["TIT2"].text == [title]
        assert not ENGLISH.search(name.removeprefix(stem))


def test_the_m4a_chapters_are_in_the_workout_language(tmp_path: Path) -> None:
    case = CASES["de"]
    text = WORKOUT.format(title=case.title, language="de", squat=case.squat, plank=case.plank)
    workout = parse_workout(text, source=str(tmp_path / "de.yaml"))
    result = build_workout(workout, tmp_path / "de.m4a")
    chapters = MP4(result.output).chapters
    assert chapters is not None
    assert [c.title for c in chapters] == [case.lead_in, *case.chapters]


def _intervals(result: BuildResult) -> list[dict[str, Any]]:
    data = json.loads(result.output.with_suffix(".json").read_text(encoding="utf-8"))
    intervals: list[dict[str, Any]] = data["intervals"]
    return intervals
