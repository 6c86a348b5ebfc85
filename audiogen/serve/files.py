"""Serving files: which names are safe, their content types, and conditional responses.

Range requests (206, 416 for a range past the end) come from Starlette's FileResponse,
which also sets ETag and Last-Modified; this module adds the 304 answer to a
revalidation, since a phone's player asks again for a file it already has.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from starlette.requests import Request
from starlette.responses import FileResponse, Response

AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav"}
VTT_TYPE = "text/vtt; charset=utf-8"
JSON_TYPE = "application/json"
# The type Podcasting 2.0 gives JSON chapters, in the feed and on the wire.
CHAPTERS_TYPE = "application/json+chapters"
PNG_TYPE = "image/png"
# Rebuilds replace files in place, so clients may keep a copy but must revalidate it.
CACHE_CONTROL = "no-cache"
_FORBIDDEN_CHARS = frozenset("/\\:\x00")


def child_path(folder: Path, name: str) -> Path | None:
    """The regular file called `name` directly inside `folder`, resolved; None for any name
    that could lead elsewhere (`..`, slashes of either kind, drive letters, hidden files)
    and for a symlink whose target lies outside the folder."""
    if not name or name.startswith(".") or _FORBIDDEN_CHARS & set(name):
        return None
    if PurePosixPath(name).name != name:
        return None
    root = folder.resolve()
    try:
        real = (root / name).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def file_response(request: Request, path: Path, media_type: str) -> Response:
    """The file with Range support, ETag and Last-Modified; 304 when the client's copy
    is current."""
    stat = os.stat(path)
    response = FileResponse(
        path, media_type=media_type, stat_result=stat, headers={"cache-control": CACHE_CONTROL}
    )
    if _not_modified(request, response.headers["etag"], response.headers["last-modified"]):
        kept = {k: response.headers[k] for k in ("etag", "last-modified", "cache-control")}
        return Response(status_code=304, headers=kept)
    return response


def _not_modified(request: Request, etag: str, last_modified: str) -> bool:
    # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    return request.headers.get("if-modified-since") == last_modified


class Blobs:
    """Generated files (covers, chapters) in a private temporary folder, named by their
    content, so they are served with the same Range and caching support as the tracks
    without writing anything into the served folder."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="audiogen-serve-")
        self._made: dict[tuple[object, ...], Path] = {}

    def get(self, key: tuple[object, ...], make: Callable[[], bytes], suffix: str) -> Path:
        """The file for `key`, made by `make` the first time it is asked for."""
        path = self._made.get(key)
        if path is None:
            path = self._store(make(), suffix)
            self._made[key] = path
        return path

    def _store(self, data: bytes, suffix: str) -> Path:
        path = Path(self._dir.name) / f"{hashlib.sha256(data).hexdigest()[:32]}{suffix}"
        if not path.exists():
            # Written beside and renamed, so a concurrent request never reads half a file.
            temp = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}")
            temp.write_bytes(data)
            temp.replace(path)
        return path

    def close(self) -> None:
        self._dir.cleanup()
