#!/usr/bin/env python3
"""Write docs/cli.md from the commands' own --help, so the reference cannot drift.

.venv/bin/python scripts/gen_cli_docs.py          # rewrite docs/cli.md
.venv/bin/python scripts/gen_cli_docs.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audiogen.cli.main import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
# What --help cannot show: the config file in full and the JSON outputs' shapes.
NOTES = Path(__file__).resolve().parent / "cli_reference_notes.md"


def render() -> str:
    parts = [
        "# Command-line reference\n",
        "Generated from `--help` by `scripts/gen_cli_docs.py`; do not edit by hand.\n",
    ]
    for title, command in _commands("audiogen", cli):
        with click.Context(
            command, info_name=title, terminal_width=88, max_content_width=88,
            help_option_names=["-h", "--help"],
        ) as ctx:  # fmt: skip
            text = command.get_help(ctx)
        parts.append(f"## `{title}`\n\n```text\n{text}\n```\n")
    parts.append(NOTES.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _commands(title: str, command: click.Command) -> list[tuple[str, click.Command]]:
    """The command and, for a group, every subcommand under it, depth first."""
    found = [(title, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += _commands(f"{title} {name}", command.commands[name])
    return found


def main() -> None:
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if DOC.read_text() == text else 1)
    DOC.write_text(text)


if __name__ == "__main__":
    main()
