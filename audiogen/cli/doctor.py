"""`audiogen doctor`: check that speech and encoding work on this machine."""

from __future__ import annotations

import click


@click.command()
def doctor() -> None:
    """Check that the speech engine and the MP3 encoder work."""
    from audiogen.core.ffmpeg import ffmpeg_exe
    from audiogen.speech.synth import EspeakSynthesizer
    from audiogen.workout.model import VoiceProfile

    clip = EspeakSynthesizer(VoiceProfile()).synthesize("Ready.")
    click.echo(f"speech engine: ok ({len(clip)} ms for 'Ready.')")
    click.echo(f"ffmpeg: {ffmpeg_exe()}")
