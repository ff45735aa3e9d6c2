"""Counts written short enough for a metric tile: 3.1亿 in Chinese, 310.5M in English."""

from __future__ import annotations

# Counts below this are written in full (six characters with the thousands separator).
EXACT_BELOW = 100_000

# (size, suffix) from the largest, per language
_UNITS: dict[str, tuple[tuple[int, str], ...]] = {
    "zh": ((100_000_000, "亿"), (10_000, "万")),
    "en": ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")),
}


def exact(count: int) -> str:
    """``count`` in full with thousands separators."""
    return f"{int(count):,}"


def compact(count: int, *, lang: str = "zh") -> str:
    """``count`` short enough for a metric tile: exact below 100,000, else in the language's units.

    The largest unit the count reaches (after rounding) is used, with one decimal while
    the scaled value is below 1,000: 310,504,321 is 3.1亿 or 310.5M, 20,463,000 is
    2,046万 or 20.5M.
    """
    n = int(count)
    if abs(n) < EXACT_BELOW:
        return exact(n)
    for size, suffix in _UNITS.get(lang, _UNITS["zh"]):
        value = round(n / size, 1)
        if abs(value) >= 1:
            if abs(value) < 1_000:
                return f"{value:,.1f}".rstrip("0").rstrip(".") + suffix
            return f"{n / size:,.0f}{suffix}"
    return exact(n)
