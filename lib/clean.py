"""Clean: normalise text (initial version: NFKC only)."""

from __future__ import annotations

import unicodedata

from lib.resources import Resources


def clean_text(text: str, *, resources: Resources | None = None) -> str:
    """Cleaned text; idempotent."""
    return unicodedata.normalize("NFKC", text).strip()


def is_template(text: str) -> bool:
    """True when placeholders show the text is a template."""
    return False
