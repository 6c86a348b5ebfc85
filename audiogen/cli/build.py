"""`audiogen build`: the MP3, its tags and its sidecar files, for one workout or many."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from audiogen.batch import (
    BuildSettings,
    Outcome,
    Summary,
    exit_code,
    find_workouts,
    plan_jobs,
    run_batch,
)
from audiogen.cli.echo import NORMAL, detail, error, info, verbosity, warning
from audiogen.cli.options import WORKOUTS, count, overrides_from, workout_options
from audiogen.cli.settings import current_config, workout_defaults
from audiogen.plan.silent import REASON as SILENT_REASON
from audiogen.workout.durations import format_clock


@click.command()
@click.argument("workouts", type=WORKOUTS, nargs=-1, required=True)
@workout_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the audio of a single workout [default: OUT_DIR/<workout name>.<format>].",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="The folder each workout's audio is written to.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Build this many workouts side by side, one process each.",
)
@click.option(
    "--format",
    "audio_format",
    type=click.Choice(["mp3", "m4a", "wav"]),
    help="MP3 (constant bitrate), M4A (AAC) or WAV [default: the output's suffix, else mp3].",
)
@click.option(
    "--bitrate",
    default="96k",
    show_default=True,
    help="MP3: 32k to 320k, constant; M4A: 64k to 320k; ignored for WAV.",
)
@click.option(
    "--split", is_flag=True, help="Also write one file per interval and an .m3u playlist."
)
@click.option("--no-cache", is_flag=True, help="Synthesize every phrase anew; skip the cache.")
@click.pass_context
def build(
    ctx: click.Context,
    /,
    workouts: tuple[Path, ...],
    output: Path | None,
    out_dir: Path,
    jobs: int,
    audio_format: str | None,
    bitrate: str,
    split: bool,
    no_cache: bool,
    **options: Any,
) -> None:
    """Build the MP3 (with chapters, timeline JSON, captions and lyrics) for each
    WORKOUT: workout files, or folders of them (`audiogen build workouts/`).

    A workout that fails is reported and the others are still built; the exit code
    is then 2 if every failure was a mistake in a file, else 1.
    """
    plan = plan_jobs(
        find_workouts(workouts), out_dir=out_dir, output=output, audio_format=audio_format
    )
    settings = BuildSettings(
        overrides=overrides_from(options),
        defaults=workout_defaults(),
        bitrate=bitrate,
        audio_format=audio_format,
        split=split,
        music=options["music"],
        no_music=options["no_music"],
        cache=not no_cache,
    )
    if (config := current_config()) is not None:
        detail(f"Defaults from {config.path}")
    started = time.perf_counter()
    # Bars only for builds in this process, on a terminal, and not with --quiet.
    bars = _ProgressBars(enabled=jobs == 1 and verbosity() >= NORMAL)
    with bars as progress:
        outcomes = run_batch(
            plan,
            settings,
            workers=jobs,
            on_done=lambda outcome: _report(outcome, bars.close),
            progress=progress,
            debug=bool(ctx.obj and ctx.obj.get("debug")),
        )
    if len(outcomes) > 1:
        _report_all(outcomes, time.perf_counter() - started, jobs)
    ctx.exit(exit_code(o.exit_code for o in outcomes))


def _report(outcome: Outcome, close_bars: Callable[[], None]) -> None:
    """One summary line per workout (with what was left out, if anything)."""
    close_bars()
    if outcome.error is not None:
        error(outcome.error)
        return
    summary = outcome.summary
    assert summary is not None
    for notice in summary.warnings:  # as `check` prints them, before the summary line
        warning(str(notice))
    recorded = f", {summary.recorded} recorded" if summary.recorded else ""
    info(
        f"Wrote {summary.output} ({format_clock(summary.duration_ms)}): "
        f"{count(summary.work_intervals, 'work interval')}, {summary.spoken} spoken cues, "
        f"{summary.beeps} beeps; {summary.synthesized} phrases synthesized, "
        f"{summary.cached} from the speech cache{recorded}; took {summary.seconds:.1f} s."
    )
    extras = [p.name for p in summary.sidecars]
    if summary.split_folder:
        extras.append(f"{summary.split_folder}/ (one file per interval)")
    detail(f"  beside it: {', '.join(extras)}")
    if summary.dropped:
        _report_dropped(summary)


def _report_dropped(summary: Summary) -> None:
    """What was left out: for lack of time (with what to do about it), or because the
    voice says nothing for a text."""
    json_file = summary.output.with_suffix(".json")
    silent = [d for d in summary.dropped if d[2] == SILENT_REASON]
    for_time = [d for d in summary.dropped if d[2] != SILENT_REASON]
    if for_time:
        roles = ", ".join(sorted({role for role, _, _ in for_time}))
        info(
            f"  left out {count(len(for_time), 'cue')} for lack of time ({roles}); see "
            f"`dropped` in {json_file}. To hear them, lengthen rests or work intervals, "
            "or lower cues.tips."
        )
    if silent:
        texts = ", ".join(repr(text) for _, text, _ in silent)
        info(f"  left out {count(len(silent), 'cue')} the voice says nothing for: {texts}")
    for role, text, reason in summary.dropped:
        detail(f"    {role}: {text!r}: {reason}")


def _report_all(outcomes: list[Outcome], seconds: float, jobs: int) -> None:
    """The line at the end of a batch: on stdout if all built, else on stderr."""
    failed = [str(o.job.workout) for o in outcomes if o.error is not None]
    side = f", {jobs} side by side" if jobs > 1 else ""
    took = f"in {seconds:.1f} s{side}"
    if failed:
        built = len(outcomes) - len(failed)
        error(f"built {built} of {len(outcomes)} workouts {took}; failed: {', '.join(failed)}")
    else:
        info(f"Built {len(outcomes)} workouts {took}.")


class _ProgressBars:
    """One progress bar per stage on stderr, shown only on a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        self._enabled = enabled
        self._bar: Any = None
        self._stage = ""
        self._done = 0

    def __enter__(self) -> Callable[[str, int, int], None]:
        return self.update

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, stage: str, done: int, total: int) -> None:
        if not self._enabled or not sys.stderr.isatty():
            return
        if stage != self._stage:
            self.close()
            label = {"speech": "Synthesizing speech", "audio": "Mixing and encoding"}[stage]
            self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar.__enter__()
            self._stage, self._done = stage, 0
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
        self._stage = ""
