"""Reading YAML that anyone may have written: bounded in size, depth and time.

A workout or voice profile is read with hard caps, so that a hostile or broken file
(gigabytes from /dev/zero, 20,000 nested brackets, a 5,000-digit number, a stray NUL)
ends in a positioned `WorkoutError` within a second and a few megabytes, never in a
MemoryError, RecursionError or a hang. The caps sit far above any real workout.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import yaml

from audiogen.errors import Position, WorkoutError

# The largest workout in workouts/ is 5 kB; a file past this cap is not a workout.
MAX_FILE_BYTES = 256 * 1024
# Deepest real nesting: blocks > block > exercises > exercise > prompts > prompt > key.
MAX_DEPTH = 32
# Values in one file (each key, item and value counts): the biggest example has 317.
MAX_NODES = 10_000
# Numbers are seconds, rounds, levels: 20 characters hold any of them with room to spare.
MAX_NUMBER_CHARS = 20
# Any one text value (a title, a tip, a name): about 20 minutes of speech. Longer than
# any slot, so such a tip is dropped by the scheduler (format rule 11), not refused;
# the cap only bounds what one value can cost to synthesize.
MAX_TEXT_CHARS = 20_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_source(path: Path) -> str:
    """The text of a YAML file: UTF-8 (or UTF-16/32 with a byte-order mark), at most
    `MAX_FILE_BYTES`. Only that much is ever read, whatever the file is (/dev/zero)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise WorkoutError("no such file", source=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise WorkoutError("this is a folder, not a file", source=str(path)) from None
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise WorkoutError(message, source=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise WorkoutError(
            f"the file is larger than {MAX_FILE_BYTES // 1024} KiB",
            position=_position_at(data, MAX_FILE_BYTES, str(path)),
            hint="a workout file is a few kilobytes of text; is this the right file?",
        )
    return decode(data, str(path))


def decode(data: bytes, source: str) -> str:
    """Bytes to text by their byte-order mark, else UTF-8; a bad byte is placed."""
    encoding, skip = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, skip = name, len(bom)
            break
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[skip + exc.start : skip + exc.start + 1].hex()
        raise WorkoutError(
            f"this is not {encoding.upper()} text (byte 0x{bad})",
            position=_position_at(data[skip:], exc.start, source, encoding),
            hint="save the file as UTF-8",
        ) from None


def _position_at(data: bytes, offset: int, source: str, encoding: str = "utf-8") -> Position:
    before = data[:offset].decode(encoding, errors="replace")
    return text_position(before, len(before), source)


def text_position(text: str, index: int, source: str) -> Position:
    """The 1-based line and column of character `index` of `text`."""
    line = text.count("\n", 0, index) + 1
    return Position(source, line, index - (text.rfind("\n", 0, index) + 1) + 1)


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than `MAX_DEPTH` and more than
    `MAX_NODES` values.

    PyYAML composes nodes recursively: 20,000 nested brackets overflow Python's stack.
    Its parser is lazy, so either cap is met before the rest of the file is even scanned.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._nodes += 1
        too_many = self._nodes > MAX_NODES
        if too_many or self._depth >= MAX_DEPTH:
            what = (
                f"more than {MAX_NODES} values"
                if too_many
                else f"nesting deeper than {MAX_DEPTH} levels"
            )
            raise _TooBig(None, None, what, self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _TooBig(yaml.composer.ComposerError):
    """Over a cap: valid YAML, perhaps, but no workout."""


def compose_document(text: str, name: str) -> yaml.Node | None:
    """Parse `text` into nodes (None for an empty document).

    Raises yaml.YAMLError; `yaml.reader.ReaderError` carries a character index only,
    which `yaml_error` turns into a line and column.
    """
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def yaml_error(exc: yaml.YAMLError, text: str, source: str) -> WorkoutError:
    """A positioned error for anything the YAML parser rejects in `text`."""
    if isinstance(exc, yaml.reader.ReaderError):
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a byte"
        return WorkoutError(
            f"the character {character} is not allowed in YAML",
            position=text_position(text, exc.position, source),
            hint="remove it; a workout file is plain text",
        )
    position, problem, hint = None, str(exc), _YAML_HINT
    if isinstance(exc, _TooBig):
        hint = "a workout file is a few kilobytes of text; is this the right file?"
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        position = Position(source, mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
    return WorkoutError(
        f"this is not valid YAML: {problem}",
        position=position,
        source=source,
        hint=hint,
    )


_YAML_HINT = "check indentation, and quote text that contains ': ' or starts with a symbol"
