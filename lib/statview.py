"""Queries behind the extracted-statistics view: the statistics with their document's region
and title, the view's filters, counts by category and one subject's values across regions.

Pure pandas over the stored ``statistics`` and ``documents`` tables. Every row keeps its
document, offsets and sentence, and shows the number both as the text states it
(``surface``, ``number_text``: 近4万件) and as a value (40000).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lib import coverage, schema

APPROX_CHOICES = ("all", "exact", "approx")


def statistic_rows(statistics: pd.DataFrame, documents: pd.DataFrame, *, missing: str = "") -> pd.DataFrame:
    """The statistics with their document's most specific region and title (``statistic_rows``).

    Documents without a recognised region get ``missing``. Rows keep the order of
    ``statistics`` (by document, then position in the text).
    """
    if statistics.empty or documents.empty:
        return schema.empty("statistic_rows")
    region = coverage.region_of(documents, level="any")
    info = pd.DataFrame(
        {
            "doc_id": documents["doc_id"].astype("string"),
            "region": region.where(region.ne(""), missing),
            "title": documents["title"].fillna("").astype("string"),
        }
    )
    known = pd.Index(info["doc_id"])
    if not known.is_unique:
        out = statistics.merge(info, on="doc_id", how="inner", sort=False)
        return schema.conform(out, "statistic_rows")
    # the statistics' own columns are shared, not copied (at 50,000 documents they are the
    # larger part of the page's memory); region and title are looked up by position
    positions = known.get_indexer(statistics["doc_id"].astype("string"))
    found = positions >= 0
    kept = statistics if found.all() else statistics[found]
    columns = {col: kept[col].array for col in kept.columns}
    columns["region"] = info["region"].array.take(positions[found])
    columns["title"] = info["title"].array.take(positions[found])
    return schema.conform(pd.DataFrame(columns), "statistic_rows")


def filter_rows(
    rows: pd.DataFrame,
    *,
    units: Sequence[str] = (),
    categories: Sequence[str] = (),
    subject: str = "",
    approx: str = "all",
    placeholders: bool = False,
) -> pd.DataFrame:
    """``rows`` (a ``statistic_rows`` table) restricted by the view's filters.

    ``units`` / ``categories``: keep these (all when empty); ``subject``: words that must
    all occur in the subject (space-separated, case-insensitive); ``approx``: "all",
    "exact" (no qualifier such as 近/余/多) or "approx"; ``placeholders``: keep the
    placeholder figures of template texts (XX名), which are hidden by default.
    """
    if rows.empty:
        if approx not in APPROX_CHOICES:
            raise ValueError(f"unknown approx choice: {approx}")
        return schema.conform(rows, "statistic_rows")
    keep = row_mask(rows, units=units, categories=categories, subject=subject, approx=approx, placeholders=placeholders)
    if keep.all():  # nothing to drop: the rows as they are, not a copy
        return schema.conform(rows, "statistic_rows")
    return schema.conform(rows[keep], "statistic_rows")


def row_mask(
    rows: pd.DataFrame,
    *,
    units: Sequence[str] = (),
    categories: Sequence[str] = (),
    subject: str = "",
    approx: str = "all",
    placeholders: bool = False,
) -> np.ndarray:
    """The rows ``filter_rows`` keeps, as a boolean array over ``rows`` (nothing copied)."""
    if approx not in APPROX_CHOICES:
        raise ValueError(f"unknown approx choice: {approx}")
    if rows.empty:
        return np.zeros(0, dtype=bool)
    keep = pd.Series(True, index=rows.index)
    if units:
        keep &= rows["unit"].fillna("").isin(list(units))
    if categories:
        keep &= rows["category"].fillna("").isin(list(categories))
    subject_text = rows["subject"].fillna("").str.casefold()
    for word in subject.split():
        keep &= subject_text.str.contains(word.casefold(), regex=False)
    approx_flag = rows["approx"].fillna(False).astype(bool)
    if approx == "exact":
        keep &= ~approx_flag
    elif approx == "approx":
        keep &= approx_flag
    if not placeholders:
        keep &= ~rows["placeholder"].fillna(False).astype(bool)
    return keep.fillna(False).astype(bool).to_numpy()


def options(rows: pd.DataFrame, column: str) -> list[str]:
    """The distinct non-empty values of ``column``, most frequent first (for a widget)."""
    if rows.empty:
        return []
    values = rows[column].fillna("").astype(str)
    counts = values[values.ne("")].value_counts()
    return sorted(counts.index, key=lambda v: (-int(counts[v]), v))


def category_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Statistics and documents per category (a ``category_counts`` view), most first."""
    if rows.empty:
        return schema.empty("category_counts")
    frame = rows.assign(category=rows["category"].fillna("").replace("", "other"))
    out = (
        frame.groupby("category", sort=False)
        .agg(statistics=("doc_id", "size"), documents=("doc_id", "nunique"))
        .reset_index()
        .sort_values(["statistics", "category"], ascending=[False, True], kind="stable")
    )
    return schema.conform(out, "category_counts")


def subject_units(rows: pd.DataFrame) -> pd.DataFrame:
    """Each counted subject with its unit (a ``subject_units`` view): figures, documents, regions.

    Ordered by regions, then figures (most first): the subjects worth comparing come first.
    Rows without a subject or a value are left out.
    """
    if rows.empty:
        return schema.empty("subject_units")
    frame = rows[rows["subject"].fillna("").ne("") & rows["value"].notna()]
    if frame.empty:
        return schema.empty("subject_units")
    out = (
        frame.groupby(["subject", "unit"], sort=False)
        .agg(figures=("doc_id", "size"), documents=("doc_id", "nunique"), regions=("region", "nunique"))
        .reset_index()
        .sort_values(["regions", "figures", "subject", "unit"], ascending=[False, False, True, True], kind="stable")
    )
    return schema.conform(out, "subject_units")


def subject_values(rows: pd.DataFrame, *, subject: str, unit: str) -> pd.DataFrame:
    """The figures of one subject in one unit across regions (``statistic_rows``).

    Ordered by region, then value (largest first). Rows without a value are left out.
    """
    if rows.empty:
        return schema.empty("statistic_rows")
    hit = rows[rows["subject"].fillna("").eq(subject) & rows["unit"].fillna("").eq(unit) & rows["value"].notna()]
    out = hit.sort_values(["region", "value", "doc_id", "start"], ascending=[True, False, True, True], kind="stable")
    return schema.conform(out, "statistic_rows")
