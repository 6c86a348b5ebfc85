"""The podcast feed: RSS 2.0 with the iTunes tags (feedgen's podcast extension) and the
Podcasting 2.0 `podcast:chapters` and `podcast:transcript` elements (a small feedgen
extension here, as feedgen has none for that namespace).

An item's guid is the track's stem and a digest of its audio: an unchanged rebuild gives
the same bytes and keeps it; a changed one gets a new guid, so a podcast app offers the
new version instead of keeping the stale download.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from audiogen.serve.files import CHAPTERS_TYPE, VTT_TYPE
from audiogen.serve.library import Track

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
CATEGORY = ("Health & Fitness", "Fitness")


@dataclass(frozen=True)
class FeedInfo:
    """The channel: its title, and where the app finds it and its cover."""

    title: str
    site_url: str
    feed_url: str
    cover_url: str
    author: str = "audiogen"


def guid(track: Track) -> str:
    return f"audiogen:{track.stem}:{track.sha256[:24]}"


def render_feed(info: FeedInfo, tracks: Sequence[Track], url: Callable[[str], str]) -> bytes:
    """The feed as UTF-8 XML. `url(path)` makes an absolute URL of a path on this server."""
    generator = _channel(info, feed_language(tracks))
    for track in tracks:
        _item(generator, track, url)
    xml: bytes = generator.rss_str(pretty=True)
    return xml


def feed_language(tracks: Sequence[Track]) -> str:
    """The channel's language: its tracks' most common one (ties: the first
    alphabetically; English for an empty feed). RSS has no language per item."""
    counts = Counter(sorted(track.language for track in tracks))
    return counts.most_common(1)[0][0] if counts else "en"


def _channel(info: FeedInfo, language: str) -> Any:
    generator = FeedGenerator()
    generator.load_extension("podcast")
    # Registered before any item, so every item gets its own PodcastIndexItem.
    generator.register_extension("podcastindex", PodcastIndexChannel, PodcastIndexItem)
    generator.title(info.title)
    generator.description("Workouts built with audiogen: coached audio with chapters.")
    # In this order: feedgen writes the last non-self link as the channel's <link>.
    generator.link(href=info.feed_url, rel="self")
    generator.link(href=info.site_url, rel="alternate")
    generator.language(language)
    generator.image(url=info.cover_url, title=info.title, link=info.site_url)
    generator.podcast.itunes_author(info.author)
    generator.podcast.itunes_image(info.cover_url)
    generator.podcast.itunes_category(*CATEGORY)
    generator.podcast.itunes_explicit("no")
    return generator


def _item(generator: Any, track: Track, url: Callable[[str], str]) -> None:
    entry = generator.add_entry(order="append")
    entry.guid(guid(track), permalink=False)
    entry.title(track.title)
    entry.description(track.description or f"{track.title}: {len(track.work_intervals)} moves.")
    entry.link(href=url(f"/play/{track.stem}"))
    entry.enclosure(url(f"/audio/{track.audio.name}"), str(track.size), track.media_type)
    entry.published(datetime.datetime.fromtimestamp(track.mtime, datetime.UTC))
    entry.podcast.itunes_duration(round(track.duration_ms / 1000))
    entry.podcast.itunes_image(url(f"/cover/{track.stem}.png"))
    if track.author:
        entry.podcast.itunes_author(track.author)
    entry.podcastindex.chapters = url(f"/chapters/{track.stem}.json")
    if track.has_transcript:
        entry.podcastindex.transcript = url(f"/transcripts/{track.stem}.vtt")


class PodcastIndexChannel:
    """The channel half of the extension: only declares the `podcast:` prefix.

    feedgen extensions are duck-typed: these three methods are all it calls.
    """

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, feed: Any) -> Any:
        return feed

    def extend_atom(self, feed: Any) -> Any:
        return feed


class PodcastIndexItem(PodcastIndexChannel):
    """An item's `podcast:chapters` and `podcast:transcript` (captions, WebVTT)."""

    def __init__(self) -> None:
        self.chapters: str | None = None
        self.transcript: str | None = None

    def extend_rss(self, entry: Any) -> Any:
        if self.chapters:
            element = xml_elem(f"{{{PODCAST_NS}}}chapters", entry)
            _set(element, url=self.chapters, type=CHAPTERS_TYPE)
        if self.transcript:
            element = xml_elem(f"{{{PODCAST_NS}}}transcript", entry)
            # rel="captions": the file is timed, so apps may show it as captions.
            mime = VTT_TYPE.split(";")[0]
            _set(element, url=self.transcript, type=mime, rel="captions")
        return entry


def _set(element: Any, **attributes: str) -> None:
    for name, value in attributes.items():
        element.set(name, value)
