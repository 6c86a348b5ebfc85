"""The `audiogen` command: a thin layer over the library in `audiogen.build`.

Options default to None so that only what the user actually typed overrides the file.
Every failure the user can fix arrives here as an `AudiogenError` and leaves as one
message and an exit code; a traceback only with --debug.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .durations import format_clock, parse_duration
from .errors import AudiogenError
from .loader import Overrides, load_workout

F = TypeVar("F", bound=Callable[..., Any])


class Duration(click.ParamType):  # type: ignore[type-arg]
    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class AudiogenGroup(click.Group):
    """Turns library errors into messages and exit codes, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AudiogenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(f"audiogen: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("\naudiogen: interrupted; nothing was written.", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(f"audiogen: internal error: {exc!r}", err=True, fg="red")
            click.echo("  rerun with --debug for the traceback, and please report it.", err=True)
            ctx.exit(1)


@click.group(cls=AudiogenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiogen")
@click.option("--debug", is_flag=True, help="Show the Python traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a workout written in YAML into one MP3 to follow while training."""
    ctx.obj = {"debug": debug}


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
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _overrides(options: dict[str, Any]) -> Overrides:
    return Overrides(
        work_ms=options.get("work"),
        rest_ms=options.get("rest"),
        rounds=options.get("rounds"),
        tips=options.get("tips"),
        voice=options.get("voice"),
        rate=options.get("rate"),
    )


WORKOUT = click.Path(dir_okay=False, path_type=Path)


@cli.command()
@click.argument("workout", type=WORKOUT)
@workout_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the MP3 [default: out/<workout name>.mp3].",
)
@click.option(
    "--bitrate", default="96k", show_default=True, help="Constant MP3 bitrate, e.g. 64k, 96k, 128k."
)
def build(workout: Path, output: Path | None, bitrate: str, **options: Any) -> None:
    """Build the MP3 (and its timeline JSON) for WORKOUT."""
    from .build import build_workout

    model = load_workout(workout, _overrides(options))
    for warning in model.warnings:
        click.secho(f"audiogen: warning: {warning}", err=True, fg="yellow")
    target = output or Path("out") / f"{workout.stem}.mp3"
    with _ProgressBars() as progress:
        result = build_workout(model, target, bitrate=bitrate, progress=progress)
    _print_summary(result.timeline, result.output, result.synthesized, result.seconds)


@cli.command()
@click.argument("workouts", type=WORKOUT, nargs=-1, required=True)
def check(workouts: tuple[Path, ...]) -> None:
    """Validate WORKOUTS and print a one-line summary of each."""
    from .compiler import compile_plan
    from .timeline import IntervalKind

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
            f"{path}: ok, {_count(blocks, 'block')}, {_count(len(plan.segments), 'interval')}"
            f" ({work} work), {format_clock(plan.workout_ms)} of work and rest"
        )
    if failed:
        sys.exit(2)


@cli.command()
@click.argument("workout", type=WORKOUT)
@workout_options
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON.")
def timeline(workout: Path, as_json: bool, **options: Any) -> None:
    """Print WORKOUT's cue timeline without writing any audio."""
    from .build import render_timeline

    rendered = render_timeline(load_workout(workout, _overrides(options)))
    if as_json:
        click.echo(json.dumps(rendered.timeline.to_json(), indent=2))
    else:
        click.echo(rendered.timeline.to_table())


@cli.command()
@click.option("--lang", help="Only engine voices whose language starts with this, e.g. en.")
def voices(lang: str | None) -> None:
    """List voice profiles and the speech engine's voices."""
    from .speech import list_engine_voices
    from .voices import list_profiles

    click.echo("Voice profiles (use with --voice NAME or `voice:` in the file):")
    for profile in list_profiles():
        about = f"  {profile.description}" if profile.description else ""
        click.echo(f"  {profile.name:<12} {profile.voice} at {profile.rate} wpm.{about}")
    click.echo("\nEngine voices (use with --voice ID; add +f3, +m3 ... for variants):")
    for voice in list_engine_voices():
        languages = ", ".join(voice.languages)
        if lang and not any(code.startswith(lang) for code in voice.languages):
            continue
        click.echo(f"  {voice.id:<24} {voice.name} ({languages})")


@cli.command()
def doctor() -> None:
    """Check that the speech engine and the MP3 encoder work."""
    from .ffmpeg import ffmpeg_exe
    from .model import VoiceProfile
    from .speech import EspeakSynthesizer

    clip = EspeakSynthesizer(VoiceProfile()).synthesize("Ready.")
    click.echo(f"speech engine: ok ({len(clip)} ms for 'Ready.')")
    click.echo(f"ffmpeg: {ffmpeg_exe()}")


def _print_summary(timeline: Any, output: Path, synthesized: int, seconds: float) -> None:
    speech = sum(1 for c in timeline.cues if c.kind == "speech")
    click.echo(
        f"Wrote {output} ({format_clock(timeline.duration_ms)}): "
        f"{len(timeline.work_intervals)} work intervals, {speech} spoken cues, "
        f"{len(timeline.cues) - speech} beeps; {synthesized} phrases synthesized; "
        f"took {seconds:.1f} s."
    )
    if timeline.dropped:
        roles = sorted({str(d.role) for d in timeline.dropped})
        click.echo(
            f"Left out {_count(len(timeline.dropped), 'cue')} for lack of time "
            f"({', '.join(roles)}); see `dropped` in {output.with_suffix('.json')}. "
            "To hear them, lengthen rests or lower cues.tips."
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class _ProgressBars:
    """One progress bar per stage on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._stage = ""

    def __enter__(self) -> Callable[[str, int, int], None]:
        return self.update

    def __exit__(self, *exc: object) -> None:
        self._close()

    def update(self, stage: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if stage != self._stage:
            self._close()
            label = {"speech": "Synthesizing speech", "audio": "Mixing and encoding"}[stage]
            self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar.__enter__()
            self._stage, self._done = stage, 0
        self._bar.update(done - self._done)
        self._done = done

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def main() -> None:
    cli(prog_name="audiogen")
