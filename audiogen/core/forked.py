"""Run a function in a forked copy of this process, so nothing it changes survives it.

Used where a C library keeps hidden state between calls that no API resets (espeak-ng:
see `speech.engines.espeak`): each call then starts from the parent's state, whatever
ran before it. A fork costs a few milliseconds and copies no memory until written.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from audiogen.core.files import interrupts_held

CAN_FORK = hasattr(os, "fork")


class ForkedError(RuntimeError):
    """The function failed in the child; the message is the child's exception."""


def run_forked(work: Callable[[], bytes]) -> bytes:
    """`work()` run in a child process; its bytes come back through a pipe."""
    return next(run_forked_many([work], parallel=1))


def run_forked_many(works: Iterable[Callable[[], bytes]], *, parallel: int) -> Iterator[bytes]:
    """Each work's bytes, in order, with up to `parallel` children running at once.

    Every child's pipe is drained as it writes (a full pipe would stall a child while
    the one before it is read), and each result is yielded as soon as it and all those
    before it are complete.
    """
    queue = iter(works)
    running: deque[_Child] = deque()
    with selectors.DefaultSelector() as selector:
        try:
            while True:
                while len(running) < parallel and (work := next(queue, None)) is not None:
                    # A signal handled while os.fork runs its at-fork hooks (logging's
                    # lock release) is printed as "Exception ignored" and lost: Ctrl-C
                    # then did nothing. Held off, it arrives once the child is listed
                    # in `running`, which the `finally` below stops.
                    with interrupts_held():
                        running.append(_Child.start(work, selector))
                if not running:
                    return
                while not running[0].closed:
                    for key, _ in selector.select():
                        key.data.read(selector)
                yield running.popleft().result()
        finally:
            for child in running:
                child.abandon(selector)


@dataclass
class _Child:
    pid: int
    reader: int
    chunks: list[bytes] = field(default_factory=list)
    closed: bool = False

    @classmethod
    def start(cls, work: Callable[[], bytes], selector: selectors.BaseSelector) -> _Child:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns, never runs the parent's cleanup
            os.close(reader)
            _child(work, writer)
        os.close(writer)
        child = cls(pid, reader)
        selector.register(reader, selectors.EVENT_READ, child)
        return child

    def read(self, selector: selectors.BaseSelector) -> None:
        chunk = os.read(self.reader, 1 << 16)
        if chunk:
            self.chunks.append(chunk)
            return
        selector.unregister(self.reader)
        os.close(self.reader)
        self.closed = True

    def result(self) -> bytes:
        _, status = os.waitpid(self.pid, 0)
        data = b"".join(self.chunks)
        if os.waitstatus_to_exitcode(status) != 0:
            message = data.decode(errors="replace").strip() or f"exit status {status}"
            raise ForkedError(message)
        return data

    def abandon(self, selector: selectors.BaseSelector) -> None:
        """Stop a child whose result is no longer wanted (an error or an interrupt)."""
        if not self.closed:
            selector.unregister(self.reader)
            os.close(self.reader)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _child(work: Callable[[], bytes], writer: int) -> NoReturn:
    code = 1
    try:
        # A Ctrl-C reaches the whole process group: the parent handles it (after this
        # short-lived child is done), the child just finishes.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if hasattr(signal, "pthread_sigmask"):  # blocked across the fork (see above)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        with os.fdopen(writer, "wb") as sink:
            try:
                sink.write(work())
                code = 0
            except BaseException as exc:  # reported to the parent, whatever it was
                sink.write("".join(traceback.format_exception_only(exc)).encode())
    finally:
        os._exit(code)
