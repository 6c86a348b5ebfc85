"""The generated cover: a PNG with the title and total time, the same every time."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFont

from audiogen.output.cover import format_length, make_cover


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def test_is_a_square_png_of_the_asked_size() -> None:
    assert open_png(make_cover("Quick Legs", 1_843_200)).size == (600, 600)
    assert open_png(make_cover("Quick Legs", 1_843_200, size=300)).size == (300, 300)


def test_is_deterministic() -> None:
    assert make_cover("Desk Break", 274_400) == make_cover("Desk Break", 274_400)


def test_title_and_time_change_the_image() -> None:
    base = make_cover("Desk Break", 274_400)
    assert make_cover("Desk Breaks", 274_400) != base
    assert make_cover("Desk Break", 1_843_200) != base


def test_text_is_drawn() -> None:
    image = open_png(make_cover("Quick Legs", 600_000, size=200))
    colors = image.getcolors(maxcolors=200 * 200)
    assert colors is not None and len(colors) > 2


@pytest.mark.parametrize(
    "title",
    [
        "Strength Workout for Runners, Part Two: The Long Hills Edition of the Programme",
        "Supercalifragilisticexpialidocious-Intervals-Without-Any-Spaces-At-All",
    ],
)
def test_long_titles_stay_inside_the_margin(title: str) -> None:
    image = open_png(make_cover(title, 1_843_200, size=300))
    background = image.getpixel((0, 0))
    border = 300 // 20
    for x in range(300):
        for y in (*range(border), *range(300 - border, 300)):
            assert image.getpixel((x, y)) == background
            assert image.getpixel((y, x)) == background


def test_works_without_a_scalable_font(monkeypatch: pytest.MonkeyPatch) -> None:
    bitmap = ImageFont.load_default

    def old_pillow(size: float | None = None) -> ImageFont.ImageFont:
        if size is not None:
            raise TypeError("load_default() got an unexpected keyword argument 'size'")
        return bitmap()  # type: ignore[return-value]

    monkeypatch.setattr(ImageFont, "load_default", old_pillow)
    assert open_png(make_cover("Quick Legs", 600_000, size=200)).size == (200, 200)


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0 s"), (45_000, "45 s"), (59_499, "59 s"), (59_500, "1 min"), (89_999, "1 min"),
     (90_000, "2 min"), (1_843_200, "31 min"), (5_400_000, "90 min")],
)  # fmt: skip
def test_format_length(ms: int, text: str) -> None:
    assert format_length(ms) == text
