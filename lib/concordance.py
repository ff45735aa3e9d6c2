"""Keyword in context: every occurrence of a word with the characters before and after it.

The query is matched as written (a literal string, not a pattern) in the cleaned text, so
offsets point into ``documents.text``: ``text[start:end] == match``. Line breaks inside the
context are shown as spaces. Lines can be ordered by position, by the left context read
backwards from the match (so 的党员委员 and 名党员委员 group by the character nearest the
word) or by the right context.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from lib import schema

SORTS = ("position", "left", "right")
_BREAKS = re.compile(r"\s+")


@lru_cache(maxsize=64)
def _pattern(query: str) -> re.Pattern[str]:
    return re.compile(re.escape(query))


def concordance(
    texts: pd.DataFrame,
    query: str,
    *,
    window: int = 20,
    sort: str = "position",
    limit: int = 0,
) -> pd.DataFrame:
    """The lines of ``query`` in ``texts`` (a frame with ``doc_id`` and ``text``), as a
    ``concordance`` table with ``window`` characters of context on each side.

    ``sort`` is "position" (document order, then offset), "left" or "right"; ``limit`` keeps
    the first lines after sorting (all when 0).
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort: {sort}")
    query = query.strip()
    if not query or texts.empty or window < 0:
        return schema.empty("concordance")
    pattern = _pattern(query)
    rows: list[dict[str, object]] = []
    for doc_id, text in zip(texts["doc_id"], texts["text"], strict=True):
        if not isinstance(text, str) or query not in text:
            continue
        for m in pattern.finditer(text):
            start, end = m.span()
            rows.append(
                {
                    "doc_id": doc_id,
                    "start": start,
                    "end": end,
                    "left": _BREAKS.sub(" ", text[max(0, start - window) : start]),
                    "match": m.group(),
                    "right": _BREAKS.sub(" ", text[end : end + window]),
                }
            )
    out = schema.from_records(rows, "concordance")
    if sort == "left":
        out = out.assign(_key=out["left"].map(lambda s: s[::-1])).sort_values(
            ["_key", "doc_id", "start"], kind="stable"
        )
        out = out.drop(columns="_key")
    elif sort == "right":
        out = out.sort_values(["right", "doc_id", "start"], kind="stable")
    out = out.reset_index(drop=True)
    return out.head(limit) if limit > 0 else out
