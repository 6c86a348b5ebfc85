"""Fuzzing the loader and `--set` with generated hostile YAML (issue 12).

Whatever the bytes, the command ends with exit 0 (the file was valid after all) or
exit 2 with a message that says where (file:line:column, or the `--set` option), and
never with a traceback or an "internal error".
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.cli.main import cli

BASE = "title: T\nwork: 5s\nrest: 0s\ncues: {countdown: 0}\nexercises: [Squat]\n"
# Where a hostile value goes in a workout file ({} is replaced by it).
PLACES = [
    "title: {}\nexercises: [a]\n",
    "title: T\nwork: {}\nexercises: [a]\n",
    "title: T\nrounds: {}\nexercises: [a]\n",
    "title: T\ncues: {{tips: {}}}\nexercises: [a]\n",
    "title: T\nexercises: [{}]\n",
    "title: T\nexercises:\n  - name: a\n    tips: [{}]\n",
    "title: T\nvoice: {}\nexercises: [a]\n",
    "title: T\nmusic: {{file: {}}}\nexercises: [a]\n",
    "title: T\nblocks:\n  - exercises: [a]\n    rest_after: {}\n",
    "{}",
]
SET_KEYS = ["title", "work", "rest", "rounds", "cues.tips", "exercises.1.work",
            "exercises.1.tips", "blocks.1.rounds", "music.volume", "cues", "exercises"]  # fmt: skip

_depth = st.integers(1, 3000)
nesting = st.one_of(
    _depth.map(lambda n: "[" * n + "]" * n),
    _depth.map(lambda n: "{a: " * n + "1" + "}" * n),
    _depth.map(lambda n: "[" * n),
    st.integers(1, 200).map(lambda n: "\n" + "".join("  " * i + "- \n" for i in range(n))),
)
numbers = st.one_of(
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers().map(str),
    st.floats().map(repr),
    st.sampled_from([".inf", "-.inf", ".nan", "1e309", "-0", "0x7fffffffffffffff", "0o777",
                     "1_000", "1e-400", "1:00:00:00", "9" * 30 + "s", "99999h", "-5s"]),
)  # fmt: skip
tags = st.sampled_from([
    "!!binary U3F1YXQ=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2001-12-14",
    "!!python/object:os.system x", "!!float x", "!!int 1.5", "!custom x", "!!null",
    "&a [*a]", "*nope", "!!str", "? [a]\n: b", "<<: {a: 1}",
])  # fmt: skip
controls = st.text(
    alphabet=st.characters(max_codepoint=0x10FFFF, blacklist_categories=("Cs",)), max_size=20
).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
escapes = st.lists(
    st.sampled_from(["\\e", "\\a", "\\0", "\\x7f", "\\x85", "\\u2028", "\\b", "\\t", "x"]),
    min_size=1,
    max_size=6,
).map(lambda parts: '"' + "".join(parts) + '"')
raw = st.text(max_size=40)
fragments = st.one_of(nesting, numbers, tags, controls, escapes, raw)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"])
POSITIONED = re.compile(
    r"^audiogen: (\S+:\d+:\d+|--\w+( \S.*?)?): error"
    # The track's length is the whole file's, not any one line's.
    r"|^audiogen: \S+: error: the workout lasts more than",
    re.MULTILINE,
)


def _assert_clean(result_output: str, exit_code: int) -> None:
    assert exit_code in (0, 2), result_output
    assert "Traceback" not in result_output and "internal error" not in result_output
    if exit_code == 2:
        assert POSITIONED.search(result_output), result_output


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    place=st.sampled_from(PLACES),
    fragment=fragments,
    encoding=encodings,
    junk=st.binary(max_size=8),
)
def test_loader_fuzz(
    tmp_path_factory: pytest.TempPathFactory, place: str, fragment: str, encoding: str, junk: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "w.yaml"
    data = place.format(fragment).encode(encoding, errors="replace")
    path.write_bytes(data + junk if junk.startswith(b"\xff") else data)
    result = CliRunner().invoke(cli, ["check", str(path)])
    _assert_clean(result.output, result.exit_code)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(SET_KEYS), fragment=fragments)
def test_set_fuzz(tmp_path_factory: pytest.TempPathFactory, key: str, fragment: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "w.yaml"
    path.write_text(BASE)
    result = CliRunner().invoke(cli, ["timeline", str(path), "--set", f"{key}={fragment}"])
    _assert_clean(result.output, result.exit_code)
