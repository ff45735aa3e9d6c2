"""Meta: title, date, source, author, type (initial version: title only)."""

from __future__ import annotations

from typing import Any

from lib.split import Part


def document_metadata(part: Part, *, file_text: str) -> dict[str, Any]:
    """Metadata columns of ``documents`` for one part."""
    first = next((ln.strip() for ln in part.text.splitlines() if ln.strip()), "")
    return {
        "title": part.title or first[:60],
        "date": "",
        "year": None,
        "source": "",
        "author": part.author,
        "author_title": part.author_title,
        "doc_type": "其他",
    }
