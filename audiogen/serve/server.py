"""Binding the port and running uvicorn.

The socket is bound here, before uvicorn starts, so that a busy port is one clear
`AudiogenError` (exit 1) instead of uvicorn's log line and a bare exit, and so that
tests can bind port 0 and learn which port they got.
"""

from __future__ import annotations

import errno
import socket

import uvicorn
from starlette.types import ASGIApp

from audiogen.errors import AudiogenError

BACKLOG = 256


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # Lets a restarted server take its port back while old connections linger in
    # TIME_WAIT; on Linux and macOS it does not let two servers listen on one port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise _bind_error(host, port, exc) from None
    return sock


def _bind_error(host: str, port: int, exc: OSError) -> AudiogenError:
    if exc.errno == errno.EADDRINUSE:
        return AudiogenError(
            f"port {port} on {host} is already in use",
            hint="stop the program using it, or choose another with --port",
        )
    if exc.errno == errno.EACCES:
        return AudiogenError(f"not allowed to listen on port {port}", hint="use a port above 1023")
    return AudiogenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def make_server(app: ASGIApp) -> uvicorn.Server:
    """A uvicorn server for `app`, quiet but for warnings; the CLI prints the addresses."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        # Open connections (a paused player streaming audio) get this long to finish.
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def run(app: ASGIApp, sock: socket.socket) -> None:
    """Serve until Ctrl-C. uvicorn shuts down gracefully, then raises KeyboardInterrupt
    again in the main thread, which the caller turns into the usual exit code."""
    make_server(app).run(sockets=[sock])
