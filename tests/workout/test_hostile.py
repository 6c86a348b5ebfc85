"""Hostile and broken workout files: each is a positioned WorkoutError (exit 2), found
within a second of CPU and a few megabytes, never a crash (issue 12, items 3 and 6)."""

from __future__ import annotations

import codecs
import re
import time
import tracemalloc
from pathlib import Path

import pytest

from audiogen.errors import WorkoutError
from audiogen.workout.keypath import parse_assignment
from audiogen.workout.loader import Overrides, load_workout
from audiogen.workout.source import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_TEXT_CHARS

BASE = "title: T\nwork: 5s\nexercises: [Squat]\n"
POSITION = re.compile(r":\d+:\d+: error")

HOSTILE = {
    "deep nesting": ("title: T\nexercises: " + "[" * 20_000 + "\n", "deeper than"),
    "deep block nesting": ("title: T\nexercises:\n" + "".join(
        "  " * n + "- \n" for n in range(200)
    ), "deeper than"),
    "a 5,000-digit integer": ("title: T\nrounds: " + "9" * 5000 + "\nexercises: [a]\n",
                              "number is too long"),
    "an infinite duration": ("title: T\nwork: .inf\nexercises: [a]\n", "finite"),
    "a NaN rest": ("title: T\nrest: .nan\nexercises: [a]\n", "finite"),
    "a duration of a 400-digit string": (
        "title: T\nwork: '" + "9" * 400 + "s'\nexercises: [a]\n", "not a finite"),
    "a huge duration": ("title: T\nwork: 9999999h\nexercises: [a]\n", "longer than 12 hours"),
    "an infinite music level": (
        "title: T\nmusic: {file: x.mp3, volume: " + "9" * 400 + "dB}\nexercises: [a]\n",
        "music"),
    "a !!binary name": ("title: T\nexercises: [!!binary U3F1YXQ=]\n", "not allowed"),
    "a !!set": ("title: !!set {a, b}\nexercises: [a]\n", "expected"),
    "a python tag": ("title: !!python/object:os.system x\nexercises: [a]\n", "not allowed"),
    "ESC from an escape": ('title: "Legs\\e[31m"\nexercises: [a]\n', "U+001B"),
    "BEL from an escape": ('title: T\nexercises: ["Squat\\a"]\n', "U+0007"),
    "NUL from an escape": ('title: T\nexercises: [{name: a, tips: ["x\\0y"]}]\n', "U+0000"),
    "a raw NUL byte": ("title: T\x00\nexercises: [a]\n", "U+0000"),
    "a raw ESC byte": ("title: T\x1b\nexercises: [a]\n", "U+001B"),
    "too many values": ("title: T\nexercises:\n" + "  - a\n" * 30_000, "more than"),
    "a very long text": (f"title: {'x' * (MAX_TEXT_CHARS + 1)}\nexercises: [a]\n", "at most"),
    "a self-referencing alias": ("title: T\nexercises: &a [*a]\n", "expected"),
    "an undefined alias": ("title: T\nexercises: [*nope]\n", "undefined alias"),
}  # fmt: skip


def _check_fails_fast(path: Path, expected: str, overrides: Overrides | None = None) -> str:
    """The error, after checking it took under a second of CPU and 32 MB at most
    (measured apart: tracing every allocation slows Python down several times)."""
    started = time.process_time()
    with pytest.raises(WorkoutError) as caught:
        load_workout(path, overrides)
    cpu = time.process_time() - started
    tracemalloc.start()
    try:
        with pytest.raises(WorkoutError):
            load_workout(path, overrides)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert expected in message
    assert cpu < 1.0, f"{cpu:.2f} s of CPU"
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB"
    assert caught.value.exit_code == 2
    return message


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_is_a_positioned_error(case: str, tmp_path: Path) -> None:
    text, expected = HOSTILE[case]
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    message = _check_fails_fast(path, expected)
    assert POSITION.search(message), message


def test_dev_zero_is_read_only_up_to_the_cap() -> None:
    message = _check_fails_fast(Path("/dev/zero"), f"larger than {MAX_FILE_BYTES // 1024} KiB")
    assert message.startswith(f"/dev/zero:1:{MAX_FILE_BYTES + 1}: error")


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(BASE + "# " + "x" * MAX_FILE_BYTES + "\n")
    assert POSITION.search(_check_fails_fast(path, "larger than"))


def test_nesting_up_to_the_cap_is_read(tmp_path: Path) -> None:
    # The cap refuses only what no workout needs: just under it still parses as YAML
    # (and fails on the schema, as such a file should).
    path = tmp_path / "w.yaml"
    path.write_text(
        "title: T\nexercises: [a]\ndescription: "
        + "[" * (MAX_DEPTH - 2)
        + "]" * (MAX_DEPTH - 2)
        + "\n"
    )
    with pytest.raises(WorkoutError, match="expected a single value, got a list"):
        load_workout(path)
    assert MAX_NODES >= 1000


def test_latin1_bytes_are_placed(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_bytes(b"title: T\nexercises: [Caf\xe9]\n")
    message = _check_fails_fast(path, "not UTF-8 text (byte 0xe9)")
    assert f"{path}:2:16: error" in message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32", "utf-16-be"])
def test_unicode_files_with_a_byte_order_mark_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "w.yaml"
    data = "title: Café\nexercises: [Squat]\n".encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    assert load_workout(path).title == "Café"


def test_text_keeps_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("title: 1.50\nexercises: [2024-01-01, 'Tab\there']\n")
    workout = load_workout(path)
    assert workout.title == "1.50"
    assert [e.name for e in workout.blocks[0].exercises] == ["2024-01-01", "Tab\there"]


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("work=" + "[" * 5000, "deeper than"),
        ("rounds=" + "9" * 5000, "number is too long"),
        ("work=.inf", "finite"),
        ("title=!!binary U3F1YXQ=", "not allowed"),
        ('title="a\\eb"', "U+001B"),
        ("title=a\x07b", "U+0007"),
    ],
)
def test_hostile_set_values_are_errors_naming_the_option(
    tmp_path: Path, assignment: str, expected: str
) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(BASE)
    overrides = Overrides(sets=(parse_assignment(assignment),))
    message = _check_fails_fast(path, expected, overrides)
    assert message.startswith("--set "), message
    assert "\x07" not in message and "\x1b" not in message


def test_a_mapping_made_by_set_is_blamed_on_the_option(tmp_path: Path) -> None:
    """`--set music.volume=loud` makes a `music` mapping; its error names the option,
    not the workout file at 1:1 (item 7)."""
    path = tmp_path / "w.yaml"
    path.write_text(BASE)
    overrides = Overrides(sets=(parse_assignment("music.volume=-3dB"),))
    with pytest.raises(WorkoutError) as caught:
        load_workout(path, overrides)
    assert str(caught.value).startswith("--set music.volume=-3dB: error at music: music needs")


@pytest.mark.parametrize("work_ms", [0, 500])
def test_work_option_obeys_the_files_rule(tmp_path: Path, work_ms: int) -> None:
    """`--work 0` and `--work 500ms` are refused like `--set work=0` (item 6)."""
    path = tmp_path / "w.yaml"
    path.write_text(BASE)
    with pytest.raises(WorkoutError, match="--work: error: a work interval lasts at least 1 s"):
        load_workout(path, Overrides(work_ms=work_ms))
