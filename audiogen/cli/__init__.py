"""The `audiogen` command line: one module per command, a thin layer over the library."""

from audiogen.cli.main import cli, main

__all__ = ["cli", "main"]
