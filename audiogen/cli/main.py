"""The `audiogen` command: a thin layer over the library (`audiogen.pipeline`,
`audiogen.batch`).

Each command lives in its own module here. Every failure the user can fix arrives
here as an `AudiogenError` and leaves as one message and an exit code; a traceback
only with --debug.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

import click

from audiogen.batch import INTERRUPTED, BatchInterrupted
from audiogen.cli import build, cache, check, doctor, new, schema, serve, timeline, voices
from audiogen.cli.about import print_version
from audiogen.cli.echo import add_verbosity_options, error
from audiogen.cli.settings import load_settings
from audiogen.errors import AudiogenError

EPILOG = """\b
Settings: an audiogen.toml in the current folder (else in the user's config folder)
sets defaults for any option, e.g. bitrate = "128k", out_dir = "tracks".
Precedence, lowest first: built-in defaults, audiogen.toml, the workout file, the
command line.

\b
Exit codes:
  0    done
  2    a mistake in a workout, the config file or the command line
  1    the machine failed (speech engine, encoder, disk)
  130  interrupted

\b
Shell completion: add the line for your shell to its startup file.
  bash (~/.bashrc):  eval "$(_AUDIOGEN_COMPLETE=bash_source audiogen)"
  zsh (~/.zshrc):    eval "$(_AUDIOGEN_COMPLETE=zsh_source audiogen)"
  fish:              _AUDIOGEN_COMPLETE=fish_source audiogen \\
                       > ~/.config/fish/completions/audiogen.fish
"""


class AudiogenGroup(click.Group):
    """Turns library errors into messages and exit codes, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AudiogenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            error(str(exc))
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader went away (`audiogen voices | head`): not an error worth a word.
            sys.stderr.close()
            ctx.exit(0)
        except KeyboardInterrupt as exc:
            # A batch's interrupt knows which workouts it had built; outputs are atomic,
            # so whatever it stopped left no partial file.
            message = str(exc) if isinstance(exc, BatchInterrupted) else INTERRUPTED
            click.echo(f"\naudiogen: {message}", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            error(f"internal error: {exc!r}")
            click.echo("  rerun with --debug for the traceback, and please report it.", err=True)
            ctx.exit(1)


@click.group(
    cls=AudiogenGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=print_version,
    help="Show the version, with the speech engines', ffmpeg's and Python's, and exit.",
)
@click.option("--debug", is_flag=True, help="Show the Python traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a workout written in YAML into one MP3 to follow while training."""
    ctx.obj = {"debug": debug}
    load_settings(ctx)


for command in (
    build.build,
    check.check,
    timeline.timeline,
    voices.voices,
    cache.cache_group,
    doctor.doctor,
    serve.serve,
    schema.schema,
    new.new,
):
    cli.add_command(command)
add_verbosity_options(cli)


def _terminated(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (kill, timeout, systemd) ends a build exactly as Ctrl-C does: temporary
    # files removed, earlier outputs intact, exit 130.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(prog_name="audiogen")
    except KeyboardInterrupt:
        # Between commands' own handling (option parsing, click's exit): same word, same code.
        click.echo("\naudiogen: interrupted.", err=True)
        raise SystemExit(130) from None
    finally:
        # Once the command has finished, a late Ctrl-C or SIGTERM changes nothing: the
        # process ends with the command's exit code instead of dying of the signal while
        # Python shuts down (joining threads, flushing), which gave exit -2 and a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
