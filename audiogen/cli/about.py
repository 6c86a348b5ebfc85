"""`audiogen --version`: the versions a bug report needs."""

from __future__ import annotations

import platform

import click

from audiogen import __version__
from audiogen.core.ffmpeg import ffmpeg_exe, ffmpeg_version
from audiogen.errors import AudiogenError
from audiogen.speech import engines  # noqa: F401  (importing registers the built-in engines)
from audiogen.speech.registry import SpeechEngine, registered


def version_report() -> str:
    """audiogen's version, each speech engine's, ffmpeg's and Python's, one per line."""
    lines = [f"audiogen {__version__}"]
    lines += [f"speech engine {engine.name}: {_engine_version(engine)}" for engine in registered()]
    try:
        lines.append(f"ffmpeg {ffmpeg_version()} ({ffmpeg_exe()})")
    except AudiogenError as exc:
        lines.append(f"ffmpeg: not available ({exc.message})")
    python = f"{platform.python_implementation()} {platform.python_version()}"
    lines.append(f"Python: {python} on {platform.platform(terse=True)}")
    return "\n".join(lines)


def _engine_version(engine: SpeechEngine) -> str:
    reason = engine.unavailable()
    if reason is not None:
        return f"not available ({reason})"
    try:
        return engine.version()
    except AudiogenError as exc:
        return f"not working ({exc.message})"


def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """The eager --version option's callback: print and exit before any command."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(version_report())
    ctx.exit(0)
