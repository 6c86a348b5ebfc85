"""The cover image: the workout's title and total time on a plain background, as PNG.

Made with Pillow's built-in font, so nothing is downloaded and the same title and length
always give the same bytes.
"""

from __future__ import annotations

import io
import zlib

from PIL import Image, ImageDraw, ImageFont

# Pillow loads its file-format plugins on the first save, importing modules that take
# the logging module's lock. The cover is drawn on a worker thread beside the levelling:
# loaded here, at import, in the main thread, that first save imports nothing. (Found as
# a hang: a Ctrl-C landing in the main thread while it held that lock left the worker
# waiting for it forever, and the build with it.)
Image.preinit()

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Dark backgrounds that white text reads well on; the title picks one, so covers of
# different workouts tell apart in a phone's library but each is stable.
_BACKGROUNDS = ("#1f3a5f", "#2d4a22", "#5a1e2c", "#3b2a5c", "#1d4d4f", "#4a3414")
_TEXT = "#ffffff"
_SUBTLE = "#c8d0d8"


def make_cover(title: str, duration_ms: int, size: int = 600) -> bytes:
    """A `size` x `size` PNG with the title (wrapped, as large as fits) and e.g. '32 min'."""
    image = Image.new("RGB", (size, size), _background(title))
    draw = ImageDraw.Draw(image)
    margin = size // 10
    width = size - 2 * margin
    font, lines = _fit_title(draw, title, width, height=size * 6 // 10)
    _draw_lines(draw, lines, font, margin, margin, _TEXT)
    footer = _font(size // 12)
    _draw_lines(draw, [format_length(duration_ms)], footer, margin, size * 3 // 4, _SUBTLE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def format_length(ms: int) -> str:
    """'32 min' to the nearest minute; '45 s' under a minute."""
    if ms < 59_500:
        return f"{(ms + 500) // 1000} s"
    return f"{(ms + 30_000) // 60_000} min"


def _background(title: str) -> str:
    # crc32, not hash(): str hashes change from run to run.
    return _BACKGROUNDS[zlib.crc32(title.encode()) % len(_BACKGROUNDS)]


def _font(size: int) -> Font:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow < 10.1, or built without FreeType
        return ImageFont.load_default()


def _fit_title(
    draw: ImageDraw.ImageDraw, title: str, width: int, height: int
) -> tuple[Font, list[str]]:
    """The largest font (from width/4 down) at which the wrapped title fits the box
    without splitting a word; at the smallest size, long words are split instead."""
    size = max(width // 4, 8)
    while True:
        font = _font(size)
        lines = _wrap(draw, title, font, width)
        words_fit = all(draw.textlength(w, font=font) <= width for w in title.split())
        if size <= 12 or (words_fit and _line_height(font) * len(lines) <= height):
            return font, lines
        size = size * 9 // 10


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap by rendered width; a word too long for a line is split."""
    lines: list[str] = []
    for word in text.split() or [""]:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines += _split_word(draw, word, font, width)
    return lines


def _split_word(draw: ImageDraw.ImageDraw, word: str, font: Font, width: int) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and draw.textlength(pieces[-1] + char, font=font) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _line_height(font: Font) -> int:
    _, top, _, bottom = font.getbbox("Ag")
    return int((bottom - top) * 1.25) + 1


def _draw_lines(
    draw: ImageDraw.ImageDraw, lines: list[str], font: Font, x: int, y: int, fill: str
) -> None:
    step = _line_height(font)
    for number, line in enumerate(lines):
        draw.text((x, y + number * step), line, font=font, fill=fill)
