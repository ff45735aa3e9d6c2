"""Interface labels in Simplified Chinese (default) and English, read from data/i18n.csv."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from lib.resources import DATA

LABELS = DATA / "i18n.csv"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


@lru_cache(maxsize=4)
def labels(path: Path = LABELS) -> dict[str, dict[str, str]]:
    """key -> {language -> label} from a CSV with columns key, zh, en."""
    out: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row.get("key") or "").strip()
            if key:
                out[key] = {lang: (row.get(lang) or "").strip() for lang in LANGUAGES}
    return out


def language(value: str | None) -> str:
    """A supported language code (the default when ``value`` is unknown)."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The label ``key`` in ``lang`` with ``{name}`` fields filled from ``values``.

    Falls back to the Chinese label, then to the key itself, so a missing translation
    shows up as readable text instead of an error.
    """
    entry = labels().get(key, {})
    text = entry.get(language(lang)) or entry.get(DEFAULT_LANGUAGE) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text
