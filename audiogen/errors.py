"""Exceptions for failures the user can fix.

The library raises these; the CLI catches them in one place and turns them into a
message and an exit code. Nothing here imports click.
"""

from __future__ import annotations

from dataclasses import dataclass


class AudiogenError(Exception):
    """Base class: a failure with a message meant for the user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


@dataclass(frozen=True)
class Position:
    """Where in a file something is: 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        # Line 0: the value came from the command line, not from a file.
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path


class WorkoutError(AudiogenError):
    """The workout file (or an override of it) is not valid."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        position: Position | None = None,
        key_path: str = "",
        hint: str | None = None,
        source: str | None = None,
    ) -> None:
        where = str(position) if position else source or "<workout>"
        at = f" at {key_path}" if key_path else ""
        super().__init__(f"{where}: error{at}: {message}", hint=hint)
        self.position = position
        self.key_path = key_path
        self.reason = message


class UsageError(AudiogenError):
    """A command-line value is not valid (bad duration, bad option)."""

    exit_code = 2


class ConfigError(UsageError):
    """The config file (audiogen.toml) is not valid: a mistake in a file, exit code 2."""


class VoiceError(AudiogenError):
    """The speech engine failed while speaking (the machine's fault, not the user's)."""


class VoiceChoiceError(VoiceError):
    """The chosen voice, engine or engine setting does not exist or is not installed:
    a mistake in a file or on the command line."""

    exit_code = 2


class RecordingError(VoiceError):
    """A recording in a voice's clip pack cannot be used (missing folder, corrupt or empty
    file): the user's file to fix."""

    exit_code = 2


class EncoderError(AudiogenError):
    """Encoding or writing the audio file failed."""


class MusicError(AudiogenError):
    """The music file cannot be used (missing, not audio, unreadable)."""

    exit_code = 2
