"""Near-duplicate groups across documents (initial version: none)."""

from __future__ import annotations

import pandas as pd

from lib import schema


def duplicate_groups(documents: pd.DataFrame) -> pd.DataFrame:
    """``duplicates`` rows: one per document in a group of near-duplicates."""
    return schema.empty("duplicates")


def with_dup_group(documents: pd.DataFrame, dups: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with ``dup_group`` filled from ``dups`` (NA when in no group)."""
    out = documents.copy()
    groups = dict(zip(dups["doc_id"], dups["group_id"], strict=True))
    out["dup_group"] = out["doc_id"].map(groups).astype("Int64")
    return out
