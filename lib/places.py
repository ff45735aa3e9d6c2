"""Places: mentions of administrative divisions and the region a document is about."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib import schema


def place_mentions(doc_id: str, text: str) -> pd.DataFrame:
    """``entities`` rows of kind place (initial version: none)."""
    return schema.empty("entities")


def document_region(*, text: str, title: str, author_title: str, mentions: pd.DataFrame) -> dict[str, Any]:
    """Region columns of ``documents``."""
    return {"province": "", "city": "", "county": "", "level": "unknown", "adcode": "", "region_evidence": ""}
