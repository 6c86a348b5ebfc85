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
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .durations import format_clock, parse_duration
from .errors import AudiogenError, UsageError
from .keypath import parse_assignment
from .loader import Overrides, load_workout

if TYPE_CHECKING:
    from .build import BuildResult

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
        except BrokenPipeError:
            # The reader went away (`audiogen voices | head`): not an error worth a word.
            sys.stderr.close()
            ctx.exit(0)
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


def _overrides(options: dict[str, Any]) -> Overrides:
    return Overrides(
        work_ms=options.get("work"),
        rest_ms=options.get("rest"),
        rounds=options.get("rounds"),
        tips=options.get("tips"),
        voice=options.get("voice"),
        rate=options.get("rate"),
        sets=tuple(parse_assignment(text) for text in options.get("sets", ())),
    )


WORKOUT = click.Path(dir_okay=False, path_type=Path)


@cli.command()
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
    from .build import build_workout
    from .music import choose_music

    model = load_workout(workout, _overrides(options))
    target = output or Path("out") / f"{workout.stem}.{audio_format or 'mp3'}"
    music = choose_music(model.music, options["music"], disabled=options["no_music"])
    with _ProgressBars() as progress:
        result = build_workout(
            model,
            target,
            bitrate=bitrate,
            audio_format=audio_format,
            split=split,
            music=music,
            cache=not no_cache,
            progress=progress,
        )
    _print_summary(result)


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
@click.option("--no-cache", is_flag=True, help="Synthesize every phrase anew; skip the cache.")
def timeline(workout: Path, as_json: bool, no_cache: bool, **options: Any) -> None:
    """Print WORKOUT's cue timeline without writing any audio."""
    from .build import render_timeline

    rendered = render_timeline(load_workout(workout, _overrides(options)), cache=not no_cache)
    if as_json:
        click.echo(json.dumps(rendered.timeline.to_json(), indent=2))
    else:
        click.echo(rendered.timeline.to_table())


@cli.group(invoke_without_command=True)
@click.option("--lang", help="Only engine voices whose language starts with this, e.g. en.")
@click.option("--say", "text", metavar="TEXT", help="Write TEXT, spoken, to an MP3 instead.")
@click.option("--voice", metavar="NAME|PATH", help="Voice for --say: profile or engine voice id.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --say writes [default: sample.mp3].",
)
@click.pass_context
def voices(
    ctx: click.Context, lang: str | None, text: str | None, voice: str | None, output: Path | None
) -> None:
    """List voice profiles and the speech engine's voices, or hear one with --say."""
    if ctx.invoked_subcommand is not None:
        return
    if text is not None:
        _say_sample(text, voice, output or Path("sample.mp3"))
    elif voice is not None or output is not None:
        raise UsageError("--voice and --output go with --say TEXT")
    else:
        _list_voices(lang)


def _list_voices(lang: str | None) -> None:
    from .speech import list_engine_voices
    from .voices import list_profiles

    click.echo("Voice profiles (use with --voice NAME or `voice:` in the file):")
    for profile in list_profiles():
        about = f"  {profile.description}" if profile.description else ""
        clips = ", own clips" if profile.clips else ""
        settings = f"{profile.voice} at {profile.rate} wpm{clips}"
        click.echo(f"  {profile.name:<10} {settings:<28}{about}")
    click.echo("\nEngine voices (use with --voice ID; add +f3, +m3 ... for variants):")
    for voice in list_engine_voices():
        languages = ", ".join(voice.languages)
        if lang and not any(code.startswith(lang) for code in voice.languages):
            continue
        click.echo(f"  {voice.id:<24} {voice.name} ({languages})")


def _say_sample(text: str, voice: str | None, output: Path) -> None:
    from .cache import SpeechCache
    from .clips import ClipPack
    from .encoder import encode_mp3
    from .pcm import SAMPLE_RATE, pcm_segment
    from .speech import make_synthesizer, speak_phrases
    from .voices import resolve_voice

    if not text.strip():
        raise UsageError("--say needs some text to speak")
    try:
        profile = resolve_voice(voice, base_dir=Path.cwd())
    except ValueError as exc:
        raise UsageError(f"--voice: {exc}") from None
    pack = ClipPack.load(profile.clips) if profile.clips else None
    speech = speak_phrases([text], make_synthesizer(profile), cache=SpeechCache(), pack=pack)
    clip = speech.clips[text]
    # Some players swallow the first instant of a file: pad it a little.
    pad = pcm_segment(bytes(SAMPLE_RATE * 2 * 3 // 10))
    encode_mp3([(pad + clip + pad).raw_data], output, sample_rate=SAMPLE_RATE, channels=1)
    source = "recorded clip" if speech.recorded else f"voice {profile.name}"
    click.echo(f"Wrote {output}: {len(clip) / 1000:.1f} s of {text!r}, {source}.")


@voices.command("record-list")
@click.argument("workout", type=WORKOUT)
@click.option("--voice", metavar="NAME|PATH", help="Check against this voice's clips instead.")
def record_list(workout: Path, voice: str | None) -> None:
    """Print the phrases WORKOUT speaks, as clip files to record.

    Each line is a clause of a cue and the file name that replaces it in a voice's
    `clips:` folder; [x] marks those the workout's voice already has.
    """
    from .clips import ClipPack, needed_phrases
    from .compiler import compile_plan

    model = load_workout(workout, Overrides(voice=voice))
    folder = model.voice.clips
    pack = ClipPack.load(folder) if folder is not None else None
    needed = needed_phrases(compile_plan(model).phrases())
    click.echo(f"Phrases {model.title} speaks, as clip files for a voice's `clips:` folder:")
    recorded = 0
    for phrase in needed:
        have = pack.file_for(phrase.text) if pack is not None else None
        recorded += have is not None
        mark, name = ("[x]", have.name) if have is not None else ("[ ]", phrase.file)
        click.echo(f"  {mark} {name:<40} {phrase.text}")
    where = f"in {folder}" if folder is not None else "(the voice has no clips folder)"
    click.echo(
        f"{recorded} of {len(needed)} recorded {where}. Numbers may be spelled either way "
        "(10-seconds-left.wav or ten-seconds-left.wav); a whole cue may be one file too."
    )


@cli.group("cache", invoke_without_command=True)
@click.pass_context
def cache_group(ctx: click.Context) -> None:
    """Show where the speech cache is and its size; `cache clear` empties it."""
    from .cache import usage

    if ctx.invoked_subcommand is None:
        info = usage()
        click.echo(f"Speech cache {info.folder}: {info.entries} phrases, {_size(info.bytes)}.")


@cache_group.command("clear")
def cache_clear() -> None:
    """Delete every cached phrase and print how much space that freed."""
    from .cache import clear

    freed = clear()
    click.echo(f"Cleared {freed.folder}: freed {_size(freed.bytes)} ({freed.entries} phrases).")


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    kb = count / 1024
    return f"{kb:.1f} KB" if kb < 1024 else f"{kb / 1024:.1f} MB"


@cli.command()
def doctor() -> None:
    """Check that the speech engine and the MP3 encoder work."""
    from .ffmpeg import ffmpeg_exe
    from .model import VoiceProfile
    from .speech import EspeakSynthesizer

    clip = EspeakSynthesizer(VoiceProfile()).synthesize("Ready.")
    click.echo(f"speech engine: ok ({len(clip)} ms for 'Ready.')")
    click.echo(f"ffmpeg: {ffmpeg_exe()}")


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
            f"Left out {_count(len(timeline.dropped), 'cue')} for lack of time "
            f"({', '.join(roles)}); see `dropped` in {output.with_suffix('.json')}. "
            "To hear them, lengthen rests or work intervals, or lower cues.tips."
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
