"""Build many workouts: files and folders in, one outcome per file out, built in turn
or by worker processes side by side. A failure in one file never stops the others.

Workers are processes, not threads: a speech engine is one per process (pyttsx3 keeps
a single engine), and mixing is CPU-bound. They start with `spawn`, so no worker
inherits a half-initialized engine or ffmpeg pipe from its parent. Before they start,
the parent speaks every workout's phrases into the speech cache in one engine run per
voice (`speak_ahead`): the natural voice's model is loaded once and its phrases spoken
on every core, instead of one Piper worker per build, and a phrase that several
workouts share is spoken once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audiogen.errors import AudiogenError, UsageError, WorkoutError
from audiogen.pipeline import (
    BuildResult,
    Progress,
    build_workout,
    choose_music,
    preflight,
    render_timeline,
    speak_ahead,
)
from audiogen.plan.compiler import track_minutes
from audiogen.plan.timeline import IntervalKind
from audiogen.speech.cache import SpeechCache
from audiogen.workout.defaults import FileDefault
from audiogen.workout.loader import Overrides, load_workout
from audiogen.workout.model import Notice, Workout

WORKOUT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BuildSettings:
    """What every build of a batch shares."""

    overrides: Overrides = field(default_factory=Overrides)
    defaults: tuple[FileDefault, ...] = ()
    bitrate: str = "96k"
    audio_format: str | None = None
    split: bool = False
    music: Path | None = None  # replaces each workout's own music
    no_music: bool = False
    cache: bool = True


@dataclass(frozen=True)
class Job:
    workout: Path
    output: Path


@dataclass(frozen=True)
class Summary:
    """What a finished build reports: small, so a worker process can send it back."""

    output: Path
    duration_ms: int
    work_intervals: int
    spoken: int
    beeps: int
    synthesized: int
    cached: int
    recorded: int
    seconds: float
    sidecars: tuple[Path, ...]
    split_folder: Path | None
    dropped: tuple[tuple[str, str, str], ...]  # role, text, reason
    warnings: tuple[Notice, ...] = ()  # settings the workout's formats ignore

    @classmethod
    def of(cls, result: BuildResult, warnings: tuple[Notice, ...] = ()) -> Summary:
        timeline, rendered = result.timeline, result.rendered
        spoken = sum(1 for c in timeline.cues if c.kind == "speech")
        return cls(
            output=result.output,
            duration_ms=timeline.duration_ms,
            work_intervals=len(timeline.work_intervals),
            spoken=spoken,
            beeps=len(timeline.cues) - spoken,
            synthesized=rendered.synthesized,
            cached=rendered.cached,
            recorded=rendered.recorded,
            seconds=result.seconds,
            sidecars=result.sidecars,
            split_folder=result.split_folder,
            dropped=tuple((str(d.role), d.text, d.reason) for d in timeline.dropped),
            warnings=warnings,
        )


@dataclass(frozen=True)
class Outcome:
    job: Job
    summary: Summary | None = None
    error: str | None = None
    exit_code: int = 0


def find_workouts(paths: Iterable[Path]) -> list[Path]:
    """Each path as given, a folder as the workout files directly in it (sorted; not
    its subfolders, where voice profiles live). A missing file is kept: building it
    fails on its own, and the others still build."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix in WORKOUT_SUFFIXES)
            if not inside:
                raise UsageError(f"{path}: no workout files (*.yaml) in this folder")
            found += inside
        else:
            found.append(path)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Checked:
    """A workout checked without building it: its shape, or what is wrong with it."""

    path: Path
    title: str = ""
    blocks: int = 0
    intervals: int = 0
    work_intervals: int = 0
    workout_ms: int = 0
    # The length of the track a build makes (lead-in and outro included): the length
    # the intro announces, rounded to the minute.
    track_ms: int = 0
    language: str = ""
    warnings: tuple[Notice, ...] = ()
    error: AudiogenError | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.error is None else self.error.exit_code

    def to_json(self) -> dict[str, Any]:
        """One entry of `audiogen check --json` (docs/cli.md shows the shape)."""
        if self.error is None:
            return {
                "path": str(self.path),
                "ok": True,
                "title": self.title,
                "blocks": self.blocks,
                "intervals": self.intervals,
                "work_intervals": self.work_intervals,
                "duration": self.workout_ms / 1000,
                "track": self.track_ms / 1000,
                "minutes": track_minutes(self.track_ms),
                "language": self.language,
                "warnings": [str(w) for w in self.warnings],
            }
        return {"path": str(self.path), "ok": False, "error": _error_json(self.error)}


def _error_json(exc: AudiogenError) -> dict[str, Any]:
    where = exc.position if isinstance(exc, WorkoutError) else None
    return {
        "message": str(exc),
        "exit_code": exc.exit_code,
        "file": where.path if where else None,
        "line": where.line if where and where.line else None,
        "column": where.column if where and where.line else None,
        "key_path": exc.key_path if isinstance(exc, WorkoutError) and exc.key_path else None,
        "hint": exc.hint,
    }


def check_workout(
    path: Path, defaults: Sequence[FileDefault] = (), overrides: Overrides | None = None
) -> Checked:
    """Load and plan `path` (no audio): what `audiogen check` reports. The speech is
    synthesized (or read from the speech cache) to know how long the opening and
    closing take, so the track's length is the one a build makes and its intro says."""
    try:
        workout = load_workout(path, overrides, defaults=defaults)
        # Every check a build runs before it speaks: voice, recordings, music.
        checked = preflight(workout)
        plan = checked.plan
        track_ms = render_timeline(workout, synthesizer=checked.synthesizer).timeline.duration_ms
    except AudiogenError as exc:
        return Checked(path, error=exc)
    return Checked(
        path,
        title=plan.title,
        blocks=len({s.block for s in plan.segments if s.block is not None}),
        intervals=len(plan.segments),
        work_intervals=sum(1 for s in plan.segments if s.kind is IntervalKind.WORK),
        workout_ms=plan.workout_ms,
        track_ms=track_ms,
        language=workout.language,
        warnings=workout.warnings,
    )


def plan_jobs(
    workouts: Sequence[Path],
    *,
    out_dir: Path = Path("out"),
    output: Path | None = None,
    audio_format: str | None = None,
) -> list[Job]:
    """Where each workout's audio goes: `output` for a single one, else out_dir/<stem>."""
    if output is not None:
        if len(workouts) != 1:
            raise UsageError(
                "-o/--output names one file, but there are several workouts",
                hint="give one workout, or use --out-dir DIR",
            )
        return [Job(workouts[0], output)]
    jobs = [Job(w, out_dir / f"{w.stem}.{audio_format or 'mp3'}") for w in workouts]
    _refuse_shared_outputs(jobs)
    return jobs


def _refuse_shared_outputs(jobs: Sequence[Job]) -> None:
    seen: dict[Path, Path] = {}
    for job in jobs:
        if job.output in seen:
            raise UsageError(
                f"{seen[job.output]} and {job.workout} would both write {job.output}",
                hint="rename one of them, or build them separately with -o",
            )
        seen[job.output] = job.workout


def build_one(job: Job, settings: BuildSettings, progress: Progress | None = None) -> Summary:
    """Load, check and build one workout; AudiogenError says what went wrong."""
    model = load_workout(job.workout, settings.overrides, defaults=settings.defaults)
    bed = choose_music(model.music, settings.music, disabled=settings.no_music)
    result = build_workout(
        model,
        job.output,
        bitrate=settings.bitrate,
        audio_format=settings.audio_format,
        split=settings.split,
        music=bed if bed is not None else False,
        cache=settings.cache,
        progress=progress,
    )
    return Summary.of(result, model.warnings)


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a batch, knowing which workouts were built before it."""

    def __init__(self, built: Sequence[Path], total: int) -> None:
        super().__init__(interrupted_message(built, total))
        self.built = tuple(built)
        self.total = total


INTERRUPTED = "interrupted; no partial file was left."
_LISTED = 5  # outputs the interrupt's message names; it counts the rest


def interrupted_message(built: Sequence[Path], total: int) -> str:
    """What an interrupt left: the finished builds are whole, and a build it stopped
    wrote nothing at its output (outputs are atomic)."""
    if not built and total <= 1:
        return INTERRUPTED
    if not built:
        return (
            f"interrupted before any of the {total} workouts was built; no partial file was left."
        )
    shown = ", ".join(str(path) for path in built[:_LISTED])
    more = f" and {len(built) - _LISTED} more" if len(built) > _LISTED else ""
    if len(built) == total:
        return f"interrupted, but all {total} workouts were built ({shown}{more})."
    return (
        f"interrupted: built {len(built)} of {total} workouts ({shown}{more}); "
        "the others were not built, and none left a partial file."
    )


def run_batch(
    jobs: Sequence[Job],
    settings: BuildSettings,
    *,
    workers: int = 1,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
    progress: Progress | None = None,
    debug: bool = False,
) -> list[Outcome]:
    """Build every job, `workers` at a time, calling `on_done` as each finishes; the
    outcomes come back in the jobs' order. `progress` is only reported in turn (one
    worker); `debug` lets an unexpected error through, with its traceback. Interrupted,
    it raises BatchInterrupted, which says what was built."""
    done: list[Outcome] = []

    def finished(outcome: Outcome) -> None:
        done.append(outcome)  # before on_done: an interrupt while reporting it counts it
        on_done(outcome)

    try:
        if workers > 1 and len(jobs) > 1:
            outcomes = _side_by_side(jobs, settings, workers, finished)
        else:
            for job in jobs:
                finished(_attempt(job, settings, progress, debug=debug))
            outcomes = done
    except KeyboardInterrupt:
        built = [o.summary.output for o in done if o.summary is not None]
        raise BatchInterrupted(built, len(jobs)) from None
    order = {job: n for n, job in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order[o.job])


def exit_code(codes: Iterable[int]) -> int:
    """One exit code for many files: 0 if all were fine; 2 if every failure was a
    mistake in a file or on the command line; else 1 (the machine failed)."""
    failed = {code for code in codes if code}
    return 0 if not failed else 2 if failed == {2} else 1


def _attempt(
    job: Job, settings: BuildSettings, progress: Progress | None = None, *, debug: bool = False
) -> Outcome:
    try:
        return Outcome(job, summary=build_one(job, settings, progress))
    except AudiogenError as exc:
        return Outcome(job, error=_located(job, str(exc)), exit_code=exc.exit_code)
    except Exception as exc:
        if debug:
            raise
        return Outcome(job, error=_located(job, f"internal error: {exc!r}"), exit_code=1)


def _located(job: Job, message: str) -> str:
    """The message, starting with the workout's path unless it already does."""
    where = str(job.workout)
    return message if message.startswith(where) else f"{where}: {message}"


def _side_by_side(
    jobs: Sequence[Job], settings: BuildSettings, workers: int, on_done: Callable[[Outcome], None]
) -> list[Outcome]:
    if settings.cache:
        speak_ahead(_loadable(jobs, settings), SpeechCache())
    context = multiprocessing.get_context("spawn")
    outcomes = []
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = {pool.submit(_attempt, job, settings): job for job in jobs}
        try:
            for future in as_completed(futures):
                outcomes.append(_collect(future, futures[future]))
                on_done(outcomes[-1])
        except KeyboardInterrupt:
            # The pool's exit waits for the builds already running: each finishes, or
            # stops if the signal reached its worker too (Ctrl-C in a terminal). Those
            # that finished are reported, so the interrupt's message counts them.
            pool.shutdown(wait=True, cancel_futures=True)
            for outcome in _finished_late(futures, outcomes):
                on_done(outcome)
            raise
    return outcomes


def _loadable(jobs: Sequence[Job], settings: BuildSettings) -> Iterator[Workout]:
    """The jobs' workouts that load; a build reports the others' errors in its turn."""
    for job in jobs:
        with contextlib.suppress(AudiogenError):
            yield load_workout(job.workout, settings.overrides, defaults=settings.defaults)


def _finished_late(futures: dict[Future[Outcome], Job], seen: list[Outcome]) -> list[Outcome]:
    reported = {outcome.job for outcome in seen}
    return [
        future.result()
        for future, job in futures.items()
        if job not in reported and not future.cancelled() and future.exception() is None
    ]


def _collect(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker died outright (killed, or a crash in a native library).
        message = "the worker process building it stopped unexpectedly"
        return Outcome(job, error=_located(job, message), exit_code=1)
