"""Run a function in a forked copy of this process, so nothing it changes survives it.

Used where a C library keeps hidden state between calls that no API resets (espeak-ng:
see `speech.engines.espeak`): each call then starts from the parent's state, whatever
ran before it. A fork costs a few milliseconds and copies no memory until written.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable
from typing import NoReturn

CAN_FORK = hasattr(os, "fork")


class ForkedError(RuntimeError):
    """The function failed in the child; the message is the child's exception."""


def run_forked(work: Callable[[], bytes]) -> bytes:
    """`work()` run in a child process; its bytes come back through a pipe."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup
        os.close(reader)
        _child(work, writer)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as source:
            data = source.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        message = data.decode(errors="replace").strip() or f"exit status {status}"
        raise ForkedError(message)
    return data


def _child(work: Callable[[], bytes], writer: int) -> NoReturn:
    code = 1
    try:
        # A Ctrl-C reaches the whole process group: the parent handles it (after this
        # short-lived child is done), the child just finishes.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        with os.fdopen(writer, "wb") as sink:
            try:
                sink.write(work())
                code = 0
            except BaseException as exc:  # reported to the parent, whatever it was
                sink.write("".join(traceback.format_exception_only(exc)).encode())
    finally:
        os._exit(code)
