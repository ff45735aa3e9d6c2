"""Ingest: find input files and extract their text (initial version: UTF-8 text only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Extracted:
    text: str
    status: str  # ok / skipped / error
    reason: str = ""


def discover(inputs: Sequence[Path]) -> list[Path]:
    """Every file under ``inputs`` (folders recursively), sorted; FileNotFoundError if missing."""
    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file())
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(p)
    return out


def extract_text(data: bytes, *, name: str) -> Extracted:
    """The text of one file's bytes, or a status and reason why there is none."""
    if not data:
        return Extracted("", "skipped", "empty file")
    try:
        return Extracted(data.decode("utf-8-sig"), "ok")
    except UnicodeDecodeError:
        return Extracted("", "error", "undecodable")
