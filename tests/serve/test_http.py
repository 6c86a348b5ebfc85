"""The real server over HTTP: pages, feed, files, ranges, hostile paths, methods."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest

from .conftest import WORKOUTS, Server, build, start_server

# Every track the session folder holds: the short ones and the seed workout.
STEMS = [*WORKOUTS, "seed"]


def test_library_lists_every_track(server: Server) -> None:
    reply = server.request("/")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    listed = re.findall(r'data-track="([^"]+)"', reply.body.decode())
    assert sorted(listed) == sorted(STEMS)
    assert "Serve Sides" in reply.body.decode()


def test_the_feed_has_one_item_per_track_with_its_size(server: Server) -> None:
    reply = server.request("/feed.xml")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(reply.body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(STEMS)
    for entry in feed.entries:
        (enclosure,) = entry.enclosures
        name = enclosure.href.rsplit("/", 1)[1]
        assert int(enclosure.length) == (server.folder / name).stat().st_size
        assert enclosure.type == "audio/mpeg"
        assert entry.itunes_duration
        assert server.request(enclosure.href.removeprefix(server.url)).status == 200


def test_the_feed_is_in_the_language_of_its_tracks(tmp_path: Path, server: Server) -> None:
    assert feedparser.parse(server.request("/feed.xml").body).feed.language == "en"
    folder = tmp_path / "tracks"
    folder.mkdir()
    german = "title: Beine {n}\nlanguage: de\nwork: 5s\nrest: 3s\nexercises: [Kniebeuge]\n"
    for n in (1, 2):
        build(folder, f"beine-{n}", german.format(n=n))
    build(folder, "squats", WORKOUTS["squats"])
    for german_server in start_server(folder):
        feed = feedparser.parse(german_server.request("/feed.xml").body)
    assert feed.feed.language == "de" and len(feed.entries) == 3


def test_the_feed_links_chapters_and_transcripts(server: Server) -> None:
    text = server.request("/feed.xml").body.decode()
    assert 'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in text
    chapters = re.findall(
        r'<podcast:chapters url="([^"]+)" type="application/json\+chapters"', text
    )
    transcripts = re.findall(r'<podcast:transcript url="([^"]+)" type="text/vtt"', text)
    assert len(chapters) == len(transcripts) == len(STEMS)
    reply = server.request(chapters[0].removeprefix(server.url))
    assert reply.headers["content-type"] == "application/json+chapters"
    document = reply.json()
    assert document["version"] == "1.2.0"
    assert all("startTime" in c and "title" in c for c in document["chapters"])
    vtt = server.request(transcripts[0].removeprefix(server.url))
    assert vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.body.startswith(b"WEBVTT")


def _guids(server: Server) -> dict[str, str]:
    feed = feedparser.parse(server.request("/feed.xml").body)
    return {e.enclosures[0].href.rsplit("/", 1)[1]: e.id for e in feed.entries}


def test_guid_is_kept_by_an_unchanged_rebuild_and_changed_by_a_change(tmp_path: Path) -> None:
    folder = tmp_path / "tracks"
    folder.mkdir()
    build(folder, "plank", WORKOUTS["plank"])
    for served in start_server(folder):
        first = _guids(served)
        build(folder, "plank", WORKOUTS["plank"])
        assert _guids(served) == first
        build(folder, "plank", WORKOUTS["plank"].replace("work: 8s", "work: 9s"))
        changed = _guids(served)
        assert changed.keys() == first.keys() and changed != first


def test_a_range_request_gets_exactly_those_bytes(server: Server) -> None:
    data = (server.folder / "squats.mp3").read_bytes()
    reply = server.request("/audio/squats.mp3", headers={"Range": "bytes=1000-1999"})
    assert reply.status == 206
    assert reply.body == data[1000:2000]
    assert reply.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
    tail = server.request("/audio/squats.mp3", headers={"Range": "bytes=-100"})
    assert (tail.status, tail.body) == (206, data[-100:])


def test_a_range_past_the_end_is_416(server: Server) -> None:
    size = (server.folder / "squats.mp3").stat().st_size
    reply = server.request("/audio/squats.mp3", headers={"Range": f"bytes={size}-"})
    assert reply.status == 416
    assert reply.headers["content-range"] == f"bytes */{size}"


def test_files_carry_validators_and_revalidate_to_304(server: Server) -> None:
    reply = server.request("/audio/squats.mp3")
    assert reply.headers["accept-ranges"] == "bytes"
    assert reply.headers["last-modified"] and reply.headers["etag"]
    again = server.request("/audio/squats.mp3", headers={"If-None-Match": reply.headers["etag"]})
    assert (again.status, again.body) == (304, b"")


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/audio/sides.mp3", "audio/mpeg"),
        ("/transcripts/sides.vtt", "text/vtt"),
        ("/timeline/sides.json", "application/json"),
        ("/chapters/sides.json", "application/json+chapters"),
        ("/cover/sides.png", "image/png"),
        ("/feed-cover.png", "image/png"),
        ("/static/style.css", "text/css"),
        ("/static/follow.js", "text/javascript"),
    ],
)
def test_content_types(server: Server, path: str, media_type: str) -> None:
    reply = server.request(path)
    assert reply.status == 200
    assert reply.headers["content-type"].split(";")[0] == media_type


def test_the_cover_is_the_one_in_the_mp3(server: Server) -> None:
    from mutagen.id3 import ID3

    embedded = ID3(server.folder / "sides.mp3").getall("APIC")[0].data
    assert server.request("/cover/sides.png").body == embedded


@pytest.mark.parametrize(
    "path",
    [
        "/audio/../sides.json",
        "/audio/..",
        "/audio/%2e%2e%2fsides.json",
        "/audio/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/audio/..%2F..%2F..%2Fetc%2Fpasswd",
        "/audio/%2Fetc%2Fpasswd",
        "/audio//etc/passwd",
        "/audio/C:%5Cwindows%5Cwin.ini",
        "/transcripts/..%2Fsides.vtt",
        "/timeline/%2e%2e%2fsides.json",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/%2e%2e%2fapp.py",
        "//etc/passwd",
        "/play/..%2Fsides",
        "/audio/sides.json",
        "/audio/.hidden.mp3",
    ],
)
def test_hostile_paths_are_404(server: Server, path: str) -> None:
    reply = server.request(path)
    assert reply.status == 404, (path, reply.status, reply.body[:200])


def test_a_symlink_out_of_the_folder_is_404(tmp_path: Path, tracks: Path) -> None:
    folder = tmp_path / "tracks"
    folder.mkdir()
    secret = tmp_path / "secret.mp3"
    secret.write_bytes(b"ID3 not for the phone")
    (folder / "escape.mp3").symlink_to(secret)
    (folder / "escape.vtt").symlink_to(tracks / "sides.vtt")  # inside another folder: out
    (folder / "escape.json").write_bytes((tracks / "sides.json").read_bytes())
    (folder / "escape2.json").symlink_to(tracks / "squats.json")
    for served in start_server(folder):
        assert served.request("/audio/escape.mp3").status == 404
        assert served.request("/transcripts/escape.vtt").status == 404
        assert served.request("/timeline/escape2.json").status == 404
        assert "escape" not in served.request("/").body.decode()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/audio/sides.mp3", "/feed.xml", "/nowhere"])
def test_only_get_and_head(server: Server, method: str, path: str) -> None:
    reply = server.request(path, method=method)
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, HEAD"


def test_head_gives_the_headers_without_the_body(server: Server) -> None:
    size = (server.folder / "sides.mp3").stat().st_size
    reply = server.request("/audio/sides.mp3", method="HEAD")
    assert (reply.status, reply.body) == (200, b"")
    assert int(reply.headers["content-length"]) == size
    assert server.request("/", method="HEAD").status == 200


def test_unknown_tracks_are_404(server: Server) -> None:
    for path in ("/play/nope", "/chapters/nope.json", "/cover/nope.png", "/audio/nope.mp3"):
        assert server.request(path).status == 404, path


# --- the follow-along page, as the server renders it before any script runs -------------


def now_shown(html: str) -> dict[str, str]:
    """The text of every data-now element (a span nested in a p counts once)."""
    found = re.findall(r'data-now="(\w+)"[^>]*>([^<]*)<', html)
    return {name: text.strip() for name, text in found}


def moments(sidecar: dict[str, Any]) -> list[tuple[float, dict[str, str]]]:
    """Three moments of a track and what the page must show at each: a work interval of
    a one-sided move (else the second work interval), a rest after it, and a later work
    interval."""
    intervals = sidecar["intervals"]
    work = [i for i in intervals if i["kind"] == "work"]
    sided = next((i for i in work[1:] if i.get("side")), work[1])
    rest = next(i for i in intervals if i["kind"] == "rest" and i["start"] >= sided["end"])
    later = next(i for i in work if i["start"] > rest["start"])
    picks = [(sided, 10.5), (rest, 2.5), (later, 4.25)]
    expected = []
    for interval, offset in picks:
        t = round(interval["start"] + offset, 3)
        exercise = interval.get("exercise") or "Rest"
        left = math.ceil(round(interval["end"] - t, 3))
        side = f"{interval['side']} side" if interval.get("side") else ""
        expected.append((t, {"exercise": exercise, "side": side, "left": str(left)}))
    return expected


def test_the_page_shows_the_moment_asked_for_before_playing(server: Server) -> None:
    sidecar = server.request("/timeline/sides.json").json()
    for t, expected in moments(sidecar):
        shown = now_shown(server.request(f"/play/sides?t={t}").body.decode())
        assert shown["exercise"] == expected["exercise"]
        assert shown["side"].lower() == expected["side"]
        assert shown["left"] == expected["left"]
    assert now_shown(server.request("/play/sides?t=-5").body.decode())["exercise"] == "Get ready"
    assert server.request("/play/sides?t=nonsense").status == 200
