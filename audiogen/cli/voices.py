"""`audiogen voices`: profiles and engine voices, samples, the phrases to record."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from audiogen.cli.doctor import describe_default
from audiogen.cli.echo import info
from audiogen.cli.options import WORKOUT
from audiogen.errors import UsageError
from audiogen.pipeline import say_sample
from audiogen.plan.compiler import compile_plan
from audiogen.speech.clips import ClipPack, needed_phrases
from audiogen.speech.defaults import default_profile, workout_voice
from audiogen.speech.registry import registered
from audiogen.workout.loader import Overrides, load_workout
from audiogen.workout.profiles import list_profiles, resolve_voice


@click.group(invoke_without_command=True)
@click.option("--lang", help="Only engine voices whose language starts with this, e.g. en.")
@click.option("--say", "text", metavar="TEXT", help="Write TEXT, spoken, to an MP3 instead.")
@click.option("--voice", metavar="NAME|PATH", help="Voice for --say: profile or engine voice id.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --say writes [default: sample.mp3].",
)
@click.option("--json", "as_json", is_flag=True, help="List them as JSON, for scripts.")
@click.pass_context
def voices(
    ctx: click.Context,
    lang: str | None,
    text: str | None,
    voice: str | None,
    output: Path | None,
    as_json: bool,
) -> None:
    """List voice profiles and the speech engine's voices, or hear one with --say."""
    if ctx.invoked_subcommand is not None:
        return
    if text is not None:
        if as_json:
            raise UsageError("--json lists voices; it does not go with --say")
        _say_sample(text, voice, output or Path("sample.mp3"))
    elif voice is not None or output is not None:
        raise UsageError("--voice and --output go with --say TEXT")
    elif as_json:
        click.echo(json.dumps(_voices_json(lang), indent=2, ensure_ascii=False))
    else:
        _list_voices(lang)


def _voices_json(lang: str | None) -> dict[str, Any]:
    """`voices --json`: the profiles, and each engine with its voices (docs/cli.md)."""
    profiles = [
        {
            "name": p.name,
            "engine": p.engine,
            "voice": p.voice,
            "rate": p.rate,
            "volume": p.volume,
            "description": p.description,
            "clips": str(p.clips) if p.clips else None,
        }
        for p in list_profiles()
    ]
    engines = []
    for engine in registered():
        reason = engine.unavailable()
        entry: dict[str, Any] = {"name": engine.name, "available": reason is None}
        if reason is not None:
            engines.append({**entry, "reason": reason, "version": None, "voices": []})
            continue
        found = [v for v in engine.voices() if _speaks(v.languages, lang)]
        voices = [asdict(v) | {"languages": list(v.languages)} for v in found]
        engines.append({**entry, "reason": None, "version": engine.version(), "voices": voices})
    return {"profiles": profiles, "engines": engines}


def _speaks(languages: tuple[str, ...], lang: str | None) -> bool:
    return not lang or any(code.startswith(lang) for code in languages)


def _list_voices(lang: str | None) -> None:
    click.echo("Voice profiles (use with --voice NAME or `voice:` in the file):")
    for profile in list_profiles():
        about = f"  {profile.description}" if profile.description else ""
        clips = ", own clips" if profile.clips else ""
        settings = f"{profile.engine}: {profile.voice} at {profile.rate} wpm{clips}"
        click.echo(f"  {profile.name:<10} {settings:<36}{about}")
    click.echo(f"A workout without `voice:` gets: {describe_default()}")
    for engine in registered():
        reason = engine.unavailable()
        if reason is not None:
            click.echo(f"\nEngine {engine.name}: not available here ({reason})")
            continue
        how = "--voice ID" if engine.name == "espeak" else f"`engine: {engine.name}` in a profile"
        click.echo(f"\nEngine {engine.name} voices (use with {how}):")
        for voice in engine.voices():
            languages = ", ".join(voice.languages)
            if not _speaks(voice.languages, lang):
                continue
            click.echo(f"  {voice.id:<24} {voice.name} ({languages})")


def _say_sample(text: str, voice: str | None, output: Path) -> None:
    if not text.strip():
        raise UsageError("--say needs some text to speak")
    try:
        profile = resolve_voice(voice, base_dir=Path.cwd()) if voice else default_profile()
    except ValueError as exc:
        raise UsageError(f"--voice: {exc}") from None
    speech = say_sample(text, profile, output)
    seconds = len(speech.clips[text]) / 1000
    source = "recorded clip" if speech.recorded else f"voice {profile.name}"
    info(f"Wrote {output}: {seconds:.1f} s of {text!r}, {source}.")


@voices.command("record-list")
@click.argument("workout", type=WORKOUT)
@click.option("--voice", metavar="NAME|PATH", help="Check against this voice's clips instead.")
def record_list(workout: Path, voice: str | None) -> None:
    """Print the phrases WORKOUT speaks, as clip files to record.

    Each line is a clause of a cue and the file name that replaces it in a voice's
    `clips:` folder; [x] marks those the workout's voice already has.
    """
    model = load_workout(workout, Overrides(voice=voice))
    folder = workout_voice(model).clips
    pack = ClipPack.load(folder, model.language) if folder is not None else None
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
