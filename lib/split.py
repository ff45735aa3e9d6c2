"""Split: compilations into documents (initial version: one document per file)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    part: int
    text: str
    title: str = ""
    author: str = ""
    author_title: str = ""


def split_documents(text: str) -> list[Part]:
    """The documents in a cleaned file text."""
    return [Part(1, text)] if text.strip() else []
