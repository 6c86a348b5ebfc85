"""`audiogen check`: validate files, one summary line each."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audiogen.cli.options import WORKOUT, count
from audiogen.errors import AudiogenError
from audiogen.plan.compiler import compile_plan
from audiogen.plan.timeline import IntervalKind
from audiogen.workout.durations import format_clock
from audiogen.workout.loader import load_workout


@click.command()
@click.argument("workouts", type=WORKOUT, nargs=-1, required=True)
def check(workouts: tuple[Path, ...]) -> None:
    """Validate WORKOUTS and print a one-line summary of each."""
    failed = 0
    for path in workouts:
        try:
            plan = compile_plan(load_workout(path))
        except AudiogenError as exc:
            click.secho(f"audiogen: {exc}", err=True, fg="red")
            failed += 1
            continue
        work = sum(1 for s in plan.segments if s.kind is IntervalKind.WORK)
        blocks = len({s.block for s in plan.segments if s.block is not None})
        click.echo(
            f"{path}: ok, {count(blocks, 'block')}, {count(len(plan.segments), 'interval')}"
            f" ({work} work), {format_clock(plan.workout_ms)} of work and rest"
        )
    if failed:
        sys.exit(2)
