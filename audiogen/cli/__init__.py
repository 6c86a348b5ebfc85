"""The `audiogen` command line: one module per command, a thin layer over the library."""

import sys


def main() -> None:
    """The console command. The command line's modules are imported here rather than at
    the top: a Ctrl-C while they load (a few tenths of a second) then ends like any
    other interrupt, with one line and exit code 130 instead of a traceback."""
    try:
        from audiogen.cli.main import main as run
    except KeyboardInterrupt:
        sys.stderr.write("\naudiogen: interrupted.\n")
        raise SystemExit(130) from None
    run()
