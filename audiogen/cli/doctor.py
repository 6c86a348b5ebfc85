"""`audiogen doctor`: check that speech and encoding work on this machine."""

from __future__ import annotations

import click

from audiogen.core.ffmpeg import ffmpeg_exe
from audiogen.speech.defaults import default_profile, natural_available
from audiogen.speech.engines.piper import INSTALL_HINT
from audiogen.speech.registry import registered
from audiogen.speech.synth import make_synthesizer
from audiogen.workout.model import VoiceProfile


@click.command()
def doctor() -> None:
    """Check that each speech engine and the MP3 encoder work."""
    for engine in registered():
        reason = engine.unavailable()
        if reason is not None:
            click.echo(f"speech engine {engine.name}: not available ({reason})")
            continue
        profile = VoiceProfile(engine=engine.name, voice=engine.default_voice)
        clip = make_synthesizer(profile).synthesize("Ready.")
        click.echo(f"speech engine {engine.name}: ok, {engine.version()} ({len(clip)} ms)")
    click.echo(f"default voice: {describe_default()}")
    click.echo(f"ffmpeg: {ffmpeg_exe()}")


def describe_default() -> str:
    """The voice a workout without `voice:` gets, and how to get the natural one."""
    profile = default_profile()
    about = f"{profile.name} ({profile.engine} {profile.voice})"
    if profile.engine == "espeak" and not natural_available():
        return f"{about}; for the natural voice, {INSTALL_HINT}"
    return about
