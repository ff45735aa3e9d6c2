"""Word cloud images of term frequencies, set in Noto Sans CJK SC.

The font comes from the pip package manimgx-fonts-cjk (Noto Sans CJK, SIL Open Font
License): one variable-weight collection whose Simplified Chinese face is number 2. The
wordcloud package opens its font with ``ImageFont.truetype(path, size)``, which always takes
face 0 (Japanese) at the collection's default weight (Thin), so this module places the words
itself with wordcloud's integral-image occupancy map, measuring and drawing every word with
the SC face at a readable weight. Without a CJK font Chinese would render as empty boxes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from wordcloud.wordcloud import IntegralOccupancyMap

FONT_PACKAGE = "manimgx_fonts_cjk"
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
SC_FACE = 2  # faces: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
WEIGHT = 600  # the variable font's wght axis runs from 100 (Thin) to 900 (Black)
PALETTE = ("#1f4e89", "#b7312c", "#3c6fb0", "#d9822b", "#2e7d5b", "#6a4c93", "#8c564b")


def font_path() -> Path:
    """The Noto Sans CJK collection shipped by manimgx-fonts-cjk."""
    return Path(str(package_files.files(FONT_PACKAGE).joinpath(FONT_FILE)))


@lru_cache(maxsize=256)
def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(font_path()), size, index=SC_FACE)
    font.set_variation_by_axes([WEIGHT])
    return font


def font_family() -> str:
    """Family name of the face the cloud is set in (Noto Sans CJK SC)."""
    return str(_font(20).getname()[0])


def cloud_image(
    frequencies: Mapping[str, float],
    *,
    width: int = 900,
    height: int = 480,
    max_words: int = 100,
    max_font_size: int = 0,
    min_font_size: int = 10,
    font_step: int = 2,
    margin: int = 4,
    relative_scaling: float = 0.5,
    background: str = "white",
    seed: int = 0,
) -> tuple[Image.Image, list[tuple[str, int, tuple[int, int]]]]:
    """A word cloud of ``frequencies`` (word -> weight) and the placed words.

    Sizes follow wordcloud's rule: the most frequent word gets the largest size that fits,
    each next word ``relative_scaling`` × its frequency ratio, and a word that does not fit
    shrinks by ``font_step`` until it does or drops below ``min_font_size``. Words are set
    horizontally. Returns the image and (word, font size, (x, y)) of every placed word.
    """
    image = Image.new("RGB", (width, height), background)
    words = sorted(((w, float(f)) for w, f in frequencies.items() if w and f > 0), key=lambda kv: (-kv[1], kv[0]))
    words = words[:max_words]
    if not words:
        return image, []
    rng = random.Random(seed)
    occupancy = IntegralOccupancyMap(height, width, None)
    ink = Image.new("L", (width, height))
    pen = ImageDraw.Draw(ink)
    draw = ImageDraw.Draw(image)
    font_size = max_font_size or height // 3
    last = words[0][1]
    placed: list[tuple[str, int, tuple[int, int]]] = []
    for i, (word, freq) in enumerate(words):
        if relative_scaling and i:
            font_size = round((relative_scaling * (freq / last) + (1 - relative_scaling)) * font_size)
        where = None
        while font_size >= min_font_size:
            box = pen.textbbox((0, 0), word, font=_font(font_size), anchor="lt")
            where = occupancy.sample_position(box[3] + margin, box[2] + margin, rng)
            if where is not None:
                break
            font_size -= font_step
        if where is None or font_size < min_font_size:
            break
        row, col = (int(v) + margin // 2 for v in where)
        pen.text((col, row), word, fill="white", font=_font(font_size), anchor="lt")
        draw.text((col, row), word, fill=PALETTE[i % len(PALETTE)], font=_font(font_size), anchor="lt")
        occupancy.update(np.asarray(ink), row, col)
        placed.append((word, font_size, (col, row)))
        last = freq
    return image, placed
