"""Fixtures for `audiogen serve`: real tracks built into a folder, and the real server
(uvicorn, on a free port of 127.0.0.1, in a thread) serving it."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from audiogen.pipeline import build_workout
from audiogen.serve.app import create_app
from audiogen.serve.server import bind, make_server
from audiogen.workout.loader import Overrides, load_workout

# Short, so the three build in a few seconds; the first has a `sides: each` move, rests
# and a second work interval, for the follow-along page's three moments.
WORKOUTS = {
    "sides": """\
title: Serve Sides
author: Test Coach
description: One side, then the other.
work: 15s
rest: 6s
cues: {tips: 0}
exercises:
  - name: Side Lunge
    sides: each
    side_rest: 5s
  - Squat
""",
    "squats": """\
title: Serve Squats
work: 8s
rest: 4s
cues: {tips: 0}
exercises: [Squat, Lunge]
""",
    "plank": """\
title: Serve Plank
work: 8s
cues: {tips: 0}
exercises: [Plank]
""",
}


# The seed workout too, as the phone user gets it (with the espeak coach, whose phrases the
# rest of the suite has cached): the browser test follows it at three moments.
SEED = Path(__file__).resolve().parents[2] / "workouts" / "strength-for-runners.yaml"


def build(folder: Path, stem: str, source: str) -> Path:
    """Build `source` (workout YAML) into folder/<stem>.mp3 with its sidecars."""
    workout_file = folder.parent / f"{folder.name}-{stem}.yaml"
    workout_file.write_text(source)
    output = folder / f"{stem}.mp3"
    build_workout(load_workout(workout_file), output)
    return output


@pytest.fixture(scope="session")
def tracks(tmp_path_factory: pytest.TempPathFactory, session_cache_dir: Path) -> Path:
    """A folder with the three tracks built into it (shared: tests must not change it)."""
    folder = tmp_path_factory.mktemp("served") / "tracks"
    folder.mkdir()
    for stem, source in WORKOUTS.items():
        build(folder, stem, source)
    build_workout(load_workout(SEED, Overrides(voice="coach")), folder / "seed.mp3")
    return folder


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(
        self, path: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> Reply:
        """The path is sent exactly as given: no client-side normalization of `..`."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            body = response.read()
            lowered = {k.lower(): v for k, v in response.getheaders()}
            return Reply(response.status, lowered, body)
        finally:
            connection.close()


def start_server(folder: Path) -> Iterator[Server]:
    sock = bind("127.0.0.1", 0)
    server = make_server(create_app(folder))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield Server("127.0.0.1", sock.getsockname()[1], folder)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def server(tracks: Path) -> Iterator[Server]:
    yield from start_server(tracks)
