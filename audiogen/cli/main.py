"""The `audiogen` command: a thin layer over the library in `audiogen.build`.

Each command lives in `audiogen.commands`. Every failure the user can fix arrives here
as an `AudiogenError` and leaves as one message and an exit code; a traceback only
with --debug.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from audiogen import __version__
from audiogen.cli import build, cache, check, doctor, schema, serve, timeline, voices
from audiogen.errors import AudiogenError


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


for command in (
    build.build,
    check.check,
    timeline.timeline,
    voices.voices,
    cache.cache_group,
    doctor.doctor,
    serve.serve,
    schema.schema,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="audiogen")
