"""The word cloud is set in the Simplified Chinese face of Noto Sans CJK, not in empty boxes."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from lib import cloud


def _glyph(char: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    image = Image.new("L", (80, 80))
    ImageDraw.Draw(image).text((0, 0), char, fill=255, font=font)
    return image


def test_font_is_the_simplified_chinese_face() -> None:
    assert cloud.font_path().is_file()
    assert cloud.font_family() == "Noto Sans CJK SC"


def test_chinese_glyphs_are_drawn_not_boxes() -> None:
    # two different characters give different shapes (a missing glyph is the same box for both)
    dang, xie = _glyph("党", cloud._font(60)), _glyph("协", cloud._font(60))
    assert ImageChops.difference(dang, xie).getbbox() is not None
    # set at weight 600, not at the collection's default Thin weight
    thin = ImageFont.truetype(str(cloud.font_path()), 60, index=cloud.SC_FACE)
    thin.set_variation_by_axes([100])
    ink = np.asarray(dang).astype(bool).mean()
    assert ink > 1.5 * np.asarray(_glyph("党", thin)).astype(bool).mean()


def test_cloud_places_the_frequent_word_larger() -> None:
    image, placed = cloud.cloud_image({"党建": 10, "政协": 5}, width=300, height=150, seed=1)
    assert [w for w, _, _ in placed] == ["党建", "政协"]
    assert placed[0][1] > placed[1][1]
    assert (np.asarray(image.convert("L")) < 200).sum() > 500


def test_no_words_gives_a_blank_image() -> None:
    image, placed = cloud.cloud_image({}, width=120, height=60)
    assert placed == [] and image.size == (120, 60)
    assert ImageChops.difference(image, Image.new("RGB", (120, 60), "white")).getbbox() is None
