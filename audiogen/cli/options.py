"""What several commands share: the workout options, their types, small wording helpers.

Options default to None so that only what the user actually typed overrides the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from click.shell_completion import CompletionItem

from audiogen.cli.echo import warning
from audiogen.workout.durations import parse_duration
from audiogen.workout.keypath import parse_assignment
from audiogen.workout.loader import Overrides
from audiogen.workout.model import Workout
from audiogen.workout.schema import LANGUAGE_HINT, LANGUAGES, check_language

F = TypeVar("F", bound=Callable[..., Any])
WORKOUT = click.Path(dir_okay=False, path_type=Path)
# Workout files or folders of them; a missing one fails on its own, not the batch.
WORKOUTS = click.Path(path_type=Path)


class Duration(click.ParamType):  # type: ignore[type-arg]
    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Language(click.ParamType):  # type: ignore[type-arg]
    """A language with a built-in phrasebook, refused as the file's `language` is."""

    name = "LANGUAGE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_language(str(value))
        except ValueError as exc:
            self.fail(f"{exc} ({LANGUAGE_HINT})", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(code) for code in LANGUAGES if code.startswith(incomplete)]


# Checked when the command line is read, so a batch stops once, before any work.
language_option = click.option(
    "--language",
    type=Language(),
    metavar="|".join(LANGUAGES),
    help="The language of the built-in phrases, numbers and default voice; "
    "overrides the file's `language`.",
)


def workout_options(func: F) -> F:
    """Options shared by `build` and `timeline`; each overrides the file when given."""
    options = [
        click.option("--work", type=Duration(), help="Work length for every intervals block."),
        click.option("--rest", type=Duration(), help="Rest length for every intervals block."),
        click.option(
            "--rounds", type=click.IntRange(min=1), help="Rounds of every intervals block."
        ),
        click.option("--voice", metavar="NAME|PATH", help="Voice profile or engine voice id."),
        click.option("--rate", type=click.IntRange(80, 450), help="Speech rate, words per minute."),
        click.option("--tips", type=click.IntRange(min=0), help="Form tips spoken per exercise."),
        language_option,
        click.option(
            "--music",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Background music (MP3, WAV, FLAC, OGG), looped and ducked under speech.",
        ),
        click.option("--no-music", is_flag=True, help="Leave out the file's background music."),
        click.option(
            "--set",
            "sets",
            metavar="KEY=VALUE",
            multiple=True,
            help="Any other setting by key path, e.g. cues.tips=0 or blocks.2.rounds=3 "
            "(list positions count from 1). Repeatable.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def overrides_from(options: dict[str, Any]) -> Overrides:
    return Overrides(
        work_ms=options.get("work"),
        rest_ms=options.get("rest"),
        rounds=options.get("rounds"),
        tips=options.get("tips"),
        voice=options.get("voice"),
        rate=options.get("rate"),
        language=options.get("language"),
        sets=tuple(parse_assignment(text) for text in options.get("sets", ())),
    )


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def warn(workout: Workout) -> None:
    """Print the workout's warnings (settings its formats ignore) to stderr."""
    for notice in workout.warnings:
        warning(str(notice))
