"""`audiogen serve` as a user runs it: a process that prints where it listens, stops on
Ctrl-C, and says so plainly when the port is taken."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from audiogen.serve.qr import lan_address


@contextmanager
def serving(*args: str) -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, "-m", "audiogen", "serve", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                assert reply.status == 200
                return
        except OSError:
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)


def test_serves_until_ctrl_c_then_exits_130(tracks: Path) -> None:
    port = free_port()
    with serving(str(tracks), "--port", str(port)) as process:
        wait_until_up(port)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 130, err
    assert f"http://127.0.0.1:{port}/" in out
    assert "Stopped." in err and "Traceback" not in err


def test_a_busy_port_is_a_clear_error(tracks: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        with serving(str(tracks), "--port", port) as process:
            _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in err
    assert "Traceback" not in err


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with serving(str(tmp_path / "nowhere")) as process:
        _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "is not a folder" in err


def test_sharing_prints_the_phone_url_and_a_qr_code(tracks: Path) -> None:
    port = free_port()
    with serving(str(tracks), "--host", "0.0.0.0", "--port", str(port)) as process:
        wait_until_up(port)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=15)
    address = lan_address()
    if address is None:  # a machine with no network but loopback: nothing to share on
        assert "On your phone" not in out
        return
    assert f"On your phone (same Wi-Fi), open http://{address}:{port}/" in out
    assert "█" in out  # the QR code, drawn with block characters
