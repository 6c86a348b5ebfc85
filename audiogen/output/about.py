"""What the JSON sidecar says about the audio file beside it, besides the timeline.

`audiogen serve` lists, feeds and identifies tracks by these facts: the file's name, its
size (a feed enclosure's length) and its SHA-256 (a feed item's id, so an unchanged
rebuild keeps its id and a changed one gets a new one).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

# Sidecars written before these fields existed have none; they count as version 1.
# Version 3 adds `language`; a sidecar without it is in English.
FORMAT_VERSION = 3
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The file's SHA-256 in hex, read in chunks so a long track never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def audio_facts(path: Path) -> dict[str, Any]:
    """The sidecar's `audio` object: file name (beside the sidecar), size and checksum."""
    return {"file": path.name, "size": path.stat().st_size, "sha256": file_sha256(path)}


def sidecar_about(
    audio: Path, *, author: str | None, description: str | None, language: str = "en"
) -> dict[str, Any]:
    """The fields the JSON sidecar carries ahead of the timeline object. `language` is
    the workout's, which `audiogen serve` titles the chapters it serves in."""
    return {
        "format_version": FORMAT_VERSION,
        "audio": audio_facts(audio),
        "author": author,
        "description": description,
        "language": language,
    }
