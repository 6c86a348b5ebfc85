"""`audiogen build`: the MP3, its tags and its sidecar files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from audiogen.cli.options import WORKOUT, count, overrides_from, workout_options
from audiogen.pipeline import BuildResult, build_workout, choose_music
from audiogen.workout.durations import format_clock
from audiogen.workout.loader import load_workout


@click.command()
@click.argument("workout", type=WORKOUT)
@workout_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the audio [default: out/<workout name>.<format>].",
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
def build(
    workout: Path,
    output: Path | None,
    audio_format: str | None,
    bitrate: str,
    split: bool,
    no_cache: bool,
    **options: Any,
) -> None:
    """Build the MP3 (with chapters, timeline JSON, captions and lyrics) for WORKOUT."""
    model = load_workout(workout, overrides_from(options))
    target = output or Path("out") / f"{workout.stem}.{audio_format or 'mp3'}"
    bed = choose_music(model.music, options["music"], disabled=options["no_music"])
    with _ProgressBars() as progress:
        result = build_workout(
            model,
            target,
            bitrate=bitrate,
            audio_format=audio_format,
            split=split,
            music=bed if bed is not None else False,
            cache=not no_cache,
            progress=progress,
        )
    _print_summary(result)


def _print_summary(result: BuildResult) -> None:
    timeline, output, rendered = result.timeline, result.output, result.rendered
    speech = sum(1 for c in timeline.cues if c.kind == "speech")
    recorded = f", {rendered.recorded} recorded" if rendered.recorded else ""
    click.echo(
        f"Wrote {output} ({format_clock(timeline.duration_ms)}): "
        f"{len(timeline.work_intervals)} work intervals, {speech} spoken cues, "
        f"{len(timeline.cues) - speech} beeps; {rendered.synthesized} phrases synthesized, "
        f"{rendered.cached} from the speech cache{recorded}; took {result.seconds:.1f} s."
    )
    extras = [p.name for p in result.sidecars]
    if result.split_folder:
        extras.append(f"{result.split_folder}/ (one file per interval)")
    click.echo(f"Beside it: {', '.join(extras)}")
    if timeline.dropped:
        roles = sorted({str(d.role) for d in timeline.dropped})
        click.echo(
            f"Left out {count(len(timeline.dropped), 'cue')} for lack of time "
            f"({', '.join(roles)}); see `dropped` in {output.with_suffix('.json')}. "
            "To hear them, lengthen rests or work intervals, or lower cues.tips."
        )


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
