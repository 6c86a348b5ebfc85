"""The web app: a read-only Starlette application over one folder of built tracks.

Starlette because it is small, typed and well kept, runs on uvicorn, and its
FileResponse already answers HTTP Range requests (players seek with them); Jinja2 for the
two pages. Every route is GET (and so HEAD); `MethodGuard` answers anything else with
405, whatever the path. Names in URLs are looked up among the tracks found in the
folder, never joined onto a path as given.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from audiogen.output.cover import make_cover
from audiogen.output.naming import chapter_title
from audiogen.serve.feed import FeedInfo, render_feed
from audiogen.serve.files import (
    CACHE_CONTROL,
    CHAPTERS_TYPE,
    JSON_TYPE,
    PNG_TYPE,
    VTT_TYPE,
    Blobs,
    child_path,
    file_response,
)
from audiogen.serve.library import (
    Library,
    Track,
    caption_from,
    chapters,
    cover_png,
    moment_at,
    panels,
)

ALLOWED_METHODS = ("GET", "HEAD")
FEED_TYPE = "application/rss+xml; charset=utf-8"
_STATIC = Path(__file__).parent / "static"


class MethodGuard:
    """405 for every method but GET and HEAD, before routing: the app is read-only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ALLOWED_METHODS:
            headers = {"allow": ", ".join(ALLOWED_METHODS)}
            response = Response("Method Not Allowed\n", status_code=405, headers=headers)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@dataclasses.dataclass(frozen=True)
class Site:
    """What every endpoint needs: the folder's tracks, generated files and templates."""

    library: Library
    blobs: Blobs
    templates: Jinja2Templates

    async def track(self, stem: str) -> Track:
        track = await run_in_threadpool(self.library.get, stem)
        if track is None:
            raise HTTPException(404)
        return track


def create_app(folder: Path) -> Starlette:
    """The app serving the tracks in `folder` (read on each request, so new builds show)."""
    site = Site(Library(folder), Blobs(), _templates())
    routes = [
        Route("/", _endpoint(site, library_page)),
        Route("/play/{stem}", _endpoint(site, play_page)),
        Route("/feed.xml", _endpoint(site, feed)),
        Route("/feed-cover.png", _endpoint(site, feed_cover)),
        Route("/audio/{name}", _endpoint(site, audio)),
        Route("/timeline/{stem}.json", _endpoint(site, timeline)),
        Route("/chapters/{stem}.json", _endpoint(site, chapters_json)),
        Route("/transcripts/{stem}.vtt", _endpoint(site, transcript)),
        Route("/cover/{stem}.png", _endpoint(site, cover)),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=_lifespan(site.blobs))
    app.add_middleware(MethodGuard)
    return app


def _lifespan(blobs: Blobs) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        blobs.close()  # the generated covers and chapters go with the server

    return lifespan


Handler = Callable[[Site, Request], Awaitable[Response]]


def _endpoint(site: Site, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await handler(site, request)

    return endpoint


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("audiogen.serve", "templates"),
        autoescape=select_autoescape(default=True),
    )
    env.filters.update(url=quote, clock=clock)
    return Jinja2Templates(env=env)


def clock(ms: int) -> str:
    """'4:05' or '1:02:03': whole seconds, as a player shows time."""
    minutes, seconds = divmod(round(ms / 1000), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _page(site: Site, request: Request, name: str, context: dict[str, Any]) -> Response:
    response = site.templates.TemplateResponse(request, name, context)
    response.headers["cache-control"] = CACHE_CONTROL
    return response


# --- pages --------------------------------------------------------------------------------


async def library_page(site: Site, request: Request) -> Response:
    tracks = await run_in_threadpool(site.library.tracks)
    feed_url = _absolute(request, "/feed.xml")
    return _page(site, request, "library.html", {"tracks": tracks, "feed_url": feed_url})


async def play_page(site: Site, request: Request) -> Response:
    track = await site.track(request.path_params["stem"])
    start_ms = _start_ms(request.query_params.get("t"), track.duration_ms)
    context = {
        "track": track,
        "now": moment_at(track, start_ms),
        "chapters": [(i.start_ms, chapter_title(i, track.titles)) for i in track.work_intervals],
        "page_data": _page_data(track, start_ms),
    }
    return _page(site, request, "play.html", context)


def _start_ms(value: str | None, duration_ms: int) -> int:
    """?t=SECONDS as milliseconds within the track; anything unreadable means 0."""
    try:
        seconds = float(value or 0)
    except ValueError:
        return 0
    if seconds != seconds:  # NaN
        return 0
    return min(max(round(seconds * 1000), 0), duration_ms)


def _page_data(track: Track, start_ms: int) -> dict[str, Any]:
    """What follow.js needs to follow along: the same panels the server rendered from."""
    return {
        "start": start_ms,
        "duration": track.duration_ms,
        "intervals": [
            [i.start_ms, i.end_ms, caption_from(track, n)] for n, i in enumerate(track.intervals)
        ],
        "panels": [dataclasses.asdict(p) for p in panels(track)],
        "captions": [[c.start_ms, c.end_ms, c.text] for c in track.captions],
    }


# --- the feed and the files ---------------------------------------------------------------


async def feed(site: Site, request: Request) -> Response:
    tracks = await run_in_threadpool(site.library.tracks)
    info = FeedInfo(
        title=f"audiogen: {site.library.folder.name}",
        site_url=_absolute(request, "/"),
        feed_url=_absolute(request, "/feed.xml"),
        cover_url=_absolute(request, "/feed-cover.png"),
    )
    body = render_feed(info, tracks, lambda path: _absolute(request, path))
    return Response(body, media_type=FEED_TYPE, headers={"cache-control": CACHE_CONTROL})


async def feed_cover(site: Site, request: Request) -> Response:
    # Apple Podcasts asks for a channel image of at least 1400 x 1400 pixels.
    title = f"audiogen: {site.library.folder.name}"
    path = site.blobs.get(("feed-cover", title), lambda: make_cover(title, 0, 1400), ".png")
    return file_response(request, path, PNG_TYPE)


async def audio(site: Site, request: Request) -> Response:
    name = request.path_params["name"]
    tracks = await run_in_threadpool(site.library.tracks)
    track = next((t for t in tracks if t.audio.name == name), None)
    path = child_path(site.library.folder, name) if track else None
    if track is None or path is None:
        raise HTTPException(404)
    return file_response(request, path, track.media_type)


async def timeline(site: Site, request: Request) -> Response:
    return await _sidecar(site, request, ".json", JSON_TYPE)


async def transcript(site: Site, request: Request) -> Response:
    return await _sidecar(site, request, ".vtt", VTT_TYPE)


async def _sidecar(site: Site, request: Request, suffix: str, media_type: str) -> Response:
    track = await site.track(request.path_params["stem"])
    path = child_path(site.library.folder, track.stem + suffix)
    if path is None:
        raise HTTPException(404)
    return file_response(request, path, media_type)


async def chapters_json(site: Site, request: Request) -> Response:
    track = await site.track(request.path_params["stem"])
    key = ("chapters", track.stem, track.sha256, track.duration_ms)
    path = site.blobs.get(key, lambda: _json_bytes(chapters(track)), ".json")
    return file_response(request, path, CHAPTERS_TYPE)


async def cover(site: Site, request: Request) -> Response:
    track = await site.track(request.path_params["stem"])
    key = ("cover", track.stem, track.sha256)
    path = await run_in_threadpool(site.blobs.get, key, lambda: cover_png(track), ".png")
    return file_response(request, path, PNG_TYPE)


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _absolute(request: Request, path: str) -> str:
    """An absolute URL on this server as the client reached it (a phone uses the LAN IP)."""
    return str(request.base_url).rstrip("/") + quote(path)
