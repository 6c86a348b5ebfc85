#!/usr/bin/env python3
"""A bounded load test of `audiogen serve` on 127.0.0.1.

    .venv/bin/python scripts/load_serve.py                   # builds a 60-minute track
    .venv/bin/python scripts/load_serve.py --track out/x.mp3 --clients 20 --requests 60

Starts the real command (`python -m audiogen serve`) on a free port, then runs N clients
side by side, each with its own keep-alive connection: one whole download of the audio
(as a podcast app does), then a bounded loop of the follow-along page and Range reads of
the audio at random places (as a seeking player does), with the chapters now and then.
Stops at --requests per client or --seconds, whichever comes first, and prints requests,
errors, latency percentiles and throughput. Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# 60 minutes: 6 moves x 10 rounds x (40 s work + 20 s rest).
HOUR_WORKOUT = """\
title: Load Test Hour
work: 40s
rest: 20s
rounds: 10
round_rest: 20s
cues: {tips: 0}
exercises: [Squat, Lunge, Push-up, Plank, Glute Bridge, Mountain Climber]
"""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, size: int, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.bytes += size
            if error:
                self.errors.append(error)


def build_hour(folder: Path) -> Path:
    source = folder / "load-hour.yaml"
    source.write_text(HOUR_WORKOUT)
    output = folder / "load-hour.mp3"
    print("building a 60-minute track ...", flush=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "audiogen", "build", str(source), "-o", str(output)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(f"built {output.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "audiogen", "serve", str(folder), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def fetch(
    connection: http.client.HTTPConnection, path: str, tally: Tally, headers: dict[str, str]
) -> None:
    started = time.perf_counter()
    error, size = None, 0
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        size = len(response.read())
        expected = 206 if "Range" in headers else 200
        if response.status != expected:
            error = f"{path}: {response.status}"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{path}: {exc!r}"
        connection.close()  # reconnects on the next request
    tally.add(time.perf_counter() - started, size, error)


def client(port: int, track: Path, args: argparse.Namespace, tally: Tally, stop: float) -> None:
    rng = random.Random()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    audio, stem = f"/audio/{quote(track.name)}", quote(track.stem)
    size = track.stat().st_size
    fetch(connection, audio, tally, {})  # the whole file, as a podcast app downloads it
    for number in range(args.requests):
        if time.monotonic() > stop:
            break
        if number % 3 == 0:
            path = f"/play/{stem}?t={rng.uniform(0, 3600):.1f}"
            fetch(connection, path, tally, {})
        elif number % 10 == 1:
            fetch(connection, f"/chapters/{stem}.json", tally, {})
        else:
            start = rng.randrange(0, size - 1)
            end = min(size - 1, start + rng.randrange(16_384, 1_048_576))
            fetch(connection, audio, tally, {"Range": f"bytes={start}-{end}"})
    connection.close()


def report(tally: Tally, seconds: float, clients: int) -> None:
    latencies = sorted(tally.latencies)
    count = len(latencies)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[min(count - 1, int(count * 0.95))] * 1000
    print(f"clients: {clients}, requests: {count}, errors: {len(tally.errors)}")
    print(f"latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(
        f"throughput: {count / seconds:.0f} requests/s, "
        f"{tally.bytes / seconds / 1e6:.0f} MB/s over {seconds:.1f} s"
    )
    for error in tally.errors[:10]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--track", type=Path, help="an audio file built with its sidecars")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=60, help="per client, after the download")
    parser.add_argument("--seconds", type=float, default=60, help="stop after this long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        track = args.track or build_hour(Path(scratch))
        port = free_port()
        server = start_server(track.parent, port)
        tally = Tally()
        started = time.monotonic()
        stop = started + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, track, args, tally, stop))
            for _ in range(args.clients)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=10)
        report(tally, time.monotonic() - started, args.clients)
    sys.exit(1 if tally.errors else 0)


if __name__ == "__main__":
    main()
