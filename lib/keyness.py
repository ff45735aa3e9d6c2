"""Keyness: which terms a group of documents uses more (or less) than the other groups.

Groups are any partition of the documents (regions, levels, document types, years, source
files). Each group is compared with the rest of the compared groups, as in a 2 × 2 table::

                 group   rest
    term           a       b
    corpus size    c       d

where a and b are the term's occurrences and c and d the characters of the documents on
each side. The figures are

- ``per_10k``: a / c × 10,000 (occurrences per 10,000 characters);
- ``log_ratio``: log2((a / c) / (b / d)), Hardie's effect size; a zero count is taken as
  0.5 so that a term found on one side only still has a finite ratio;
- ``g2``: the log-likelihood G² of Rayson and Garside (2000),
  2 × (a ln(a / E1) + b ln(b / E2)) with E1 = c (a + b) / (c + d) and E2 = d (a + b) / (c + d)
  (a term with a zero count contributes nothing);
- ``p``: the probability of a G² at least this large under the chi-square distribution with
  one degree of freedom, erfc(√(G² / 2)).

Pure pandas and numpy; the app caches the results on (corpus version, filters, grouping).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lib import schema

PER = 10_000
ZERO_COUNT = 0.5  # stands for a zero count in the log ratio

# Groupings of documents: name -> column of ``documents`` ("region" is the most specific one).
GROUPINGS = ("province", "city", "county", "region", "level", "doc_type", "year", "source_path")


def document_groups(documents: pd.DataFrame, *, by: str) -> pd.Series:
    """The group of each document under grouping ``by`` (a string Series indexed by doc_id).

    Documents without a value (no recognised region, no date …) get "".
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping: {by}")
    if documents.empty:
        return pd.Series([], dtype="string", index=pd.Index([], dtype="string", name="doc_id"), name="group")
    if by == "region":
        county = documents["county"].fillna("").astype("string")
        city = documents["city"].fillna("").astype("string")
        province = documents["province"].fillna("").astype("string")
        values = county.where(county.ne(""), city.where(city.ne(""), province))
    elif by == "year":
        values = documents["year"].astype("Int64").astype("string").fillna("")
    else:
        values = documents[by].fillna("").astype("string").str.strip()
    out = pd.Series(values.to_numpy(), index=documents["doc_id"].astype("string").to_numpy(), dtype="string")
    out.index.name = "doc_id"
    out.name = "group"
    return out


def group_sizes(documents: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Documents and characters per group (``group_sizes``), largest group first.

    ``groups`` maps doc_id -> group (see ``document_groups``); documents with an empty
    group are left out.
    """
    if documents.empty or groups.empty:
        return schema.empty("group_sizes")
    frame = pd.DataFrame(
        {
            "group": groups.reindex(documents["doc_id"].astype("string")).fillna("").to_numpy(),
            "n_chars": documents["n_chars"].fillna(0).astype("int64").to_numpy(),
        }
    )
    frame = frame[frame["group"].ne("")]
    out = frame.groupby("group", sort=True).agg(documents=("n_chars", "size"), characters=("n_chars", "sum"))
    out = out.reset_index().sort_values(["documents", "group"], ascending=[False, True], kind="stable")
    return schema.conform(out, "group_sizes")


def group_term_counts(terms: pd.DataFrame, groups: pd.Series, *, chosen: Sequence[str] = ()) -> pd.DataFrame:
    """Occurrences of each term per group: a frame (group, term, count).

    ``terms`` is a ``terms`` table, ``groups`` maps doc_id -> group; ``chosen`` keeps only
    those groups (all non-empty groups when empty).
    """
    if terms.empty or groups.empty:
        return pd.DataFrame(
            {
                "group": pd.Series([], dtype="string"),
                "term": pd.Series([], dtype="string"),
                "count": pd.Series([], dtype="int64"),
            }
        )
    group = groups.reindex(terms["doc_id"].astype("string")).fillna("").to_numpy()
    frame = pd.DataFrame(
        {"group": group, "term": terms["term"].to_numpy(), "count": terms["count"].astype("int64").to_numpy()}
    )
    keep = frame["group"] != ""
    if chosen:
        keep &= frame["group"].isin(list(chosen))
    out = frame[keep].groupby(["group", "term"], sort=True)["count"].sum().reset_index()
    out["group"] = out["group"].astype("string")
    out["term"] = out["term"].astype("string")
    return out


def log_likelihood(a: np.ndarray, b: np.ndarray, c: float | np.ndarray, d: float | np.ndarray) -> np.ndarray:
    """G² of occurrences ``a`` in a corpus of size ``c`` against ``b`` in one of size ``d``."""
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    c = np.asarray(c, dtype="float64")
    d = np.asarray(d, dtype="float64")
    total = c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = c * (a + b) / total
        e2 = d * (a + b) / total
        part_a = np.where(a > 0, a * np.log(a / e1), 0.0)
        part_b = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2.0 * (part_a + part_b)


def chi2_p(g2: np.ndarray) -> np.ndarray:
    """P(X ≥ g2) for X chi-square distributed with one degree of freedom."""
    values = np.asarray(g2, dtype="float64")
    erfc = np.vectorize(math.erfc, otypes=["float64"])
    with np.errstate(invalid="ignore"):
        root = np.sqrt(np.clip(values, 0.0, None) / 2.0)
    return np.where(np.isnan(values), np.nan, erfc(np.nan_to_num(root)))


def log_ratio(a: np.ndarray, b: np.ndarray, c: float | np.ndarray, d: float | np.ndarray) -> np.ndarray:
    """log2 of the relative frequency a / c over b / d (zero counts taken as 0.5)."""
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (np.where(a > 0, a, ZERO_COUNT) / c) / (np.where(b > 0, b, ZERO_COUNT) / d)
        return np.log2(ratio)


def keyness(counts: pd.DataFrame, sizes: pd.DataFrame, *, min_count: int = 1) -> pd.DataFrame:
    """Per group, every term against the other groups of ``counts`` (a ``keyness`` table).

    ``counts`` has columns (group, term, count) (see ``group_term_counts``); ``sizes`` is a
    ``group_sizes`` table giving each group's characters. A term appears in a group's rows
    when it occurs at least ``min_count`` times in the group or in the rest, so the counts
    of a term over the groups add up to its count in the compared documents. Rows are
    ordered by group, then G² (largest first) among over-used terms before under-used ones.
    """
    if counts.empty or sizes.empty:
        return schema.empty("keyness")
    groups = [g for g in sizes["group"].astype(str) if g in set(counts["group"].astype(str))]
    if not groups:
        return schema.empty("keyness")
    chars = dict(zip(sizes["group"].astype(str), sizes["characters"].astype("int64"), strict=True))
    wide = counts.pivot_table(index="term", columns="group", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=groups, fill_value=0)
    matrix = wide.to_numpy(dtype="int64")
    total_counts = matrix.sum(axis=1)
    total_chars = float(sum(chars[g] for g in groups))
    frames = []
    for j, group in enumerate(groups):
        a = matrix[:, j]
        b = total_counts - a
        keep = (a >= min_count) | (b >= min_count)
        a, b = a[keep], b[keep]
        c = float(chars[group])
        d = total_chars - c
        g2 = log_likelihood(a, b, c, d) if d > 0 else np.full(len(a), np.nan)
        frame = pd.DataFrame(
            {
                "group": group,
                "term": wide.index.to_numpy()[keep],
                "count": a,
                "per_10k": a / c * PER if c > 0 else np.nan,
                "log_ratio": log_ratio(a, b, c, d) if d > 0 and c > 0 else np.nan,
                "g2": g2,
                "p": chi2_p(g2),
                "other_count": b,
                "other_per_10k": b / d * PER if d > 0 else np.nan,
            }
        )
        over = (frame["log_ratio"] >= 0).fillna(True)
        frame = frame.assign(_over=~over).sort_values(
            ["_over", "g2", "term"], ascending=[True, False, True], kind="stable"
        )
        frames.append(frame.drop(columns="_over"))
    return schema.conform(pd.concat(frames, ignore_index=True), "keyness")


def top_keyness(table: pd.DataFrame, *, n: int = 20, over_only: bool = True, max_p: float = 1.0) -> pd.DataFrame:
    """The ``n`` most distinctive terms of each group of a ``keyness`` table.

    ``over_only`` keeps the terms a group uses more than the rest (log ratio > 0);
    ``max_p`` keeps terms whose p is at most this.
    """
    if table.empty:
        return schema.conform(table, "keyness")
    keep = table["p"].le(max_p).fillna(max_p >= 1.0)
    if over_only:
        keep &= table["log_ratio"].gt(0).fillna(False)
    out = table[keep].groupby("group", sort=False, group_keys=False).head(n)
    return schema.conform(out, "keyness")


def scatter(counts: pd.DataFrame, sizes: pd.DataFrame, *, a: str, b: str, min_count: int = 1) -> pd.DataFrame:
    """Term frequencies in group ``a`` against group ``b`` (``term_scatter``), as scattertext plots them.

    Every term with at least ``min_count`` occurrences in ``a`` and ``b`` together; the
    log ratio and G² compare ``a`` with ``b``. Ordered by G², largest first.
    """
    if counts.empty or sizes.empty or a == b:
        return schema.empty("term_scatter")
    chars = dict(zip(sizes["group"].astype(str), sizes["characters"].astype("int64"), strict=True))
    if a not in chars or b not in chars:
        return schema.empty("term_scatter")
    two = counts[counts["group"].isin([a, b])]
    if two.empty:
        return schema.empty("term_scatter")
    wide = two.pivot_table(index="term", columns="group", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[a, b], fill_value=0)
    wide = wide[(wide[a] + wide[b]) >= min_count]
    ca, cb = float(chars[a]), float(chars[b])
    count_a = wide[a].to_numpy(dtype="int64")
    count_b = wide[b].to_numpy(dtype="int64")
    g2 = log_likelihood(count_a, count_b, ca, cb)
    out = pd.DataFrame(
        {
            "term": wide.index.to_numpy(),
            "count_a": count_a,
            "count_b": count_b,
            "per_10k_a": count_a / ca * PER if ca > 0 else np.nan,
            "per_10k_b": count_b / cb * PER if cb > 0 else np.nan,
            "log_ratio": log_ratio(count_a, count_b, ca, cb),
            "g2": g2,
            "p": chi2_p(g2),
        }
    )
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return schema.conform(out, "term_scatter")


def group_themes(themes: pd.DataFrame, groups: pd.Series, sizes: pd.DataFrame) -> pd.DataFrame:
    """Per group and theme: documents mentioning the theme and their share (``group_themes``)."""
    if themes.empty or sizes.empty:
        return schema.empty("group_themes")
    hits = themes[themes["hits"].fillna(0).astype("int64") > 0]
    frame = pd.DataFrame(
        {
            "group": groups.reindex(hits["doc_id"].astype("string")).fillna("").to_numpy(),
            "theme": hits["theme"].to_numpy(),
            "doc_id": hits["doc_id"].to_numpy(),
        }
    )
    frame = frame[frame["group"].isin(list(sizes["group"].astype(str)))]
    if frame.empty:
        return schema.empty("group_themes")
    out = frame.groupby(["group", "theme"], sort=True)["doc_id"].nunique().rename("mentioning").reset_index()
    docs = dict(zip(sizes["group"].astype(str), sizes["documents"].astype("int64"), strict=True))
    out["documents"] = out["group"].map(docs).astype("int64")
    out["share"] = out["mentioning"] / out["documents"]
    return schema.conform(out, "group_themes")


def group_statistics(
    statistics: pd.DataFrame,
    groups: pd.Series,
    *,
    subjects: Sequence[tuple[str, str]],
    include_placeholders: bool = False,
) -> pd.DataFrame:
    """Per group, the figures the texts state for each chosen (subject, unit) (``group_statistics``).

    ``total`` adds up the values (e.g. party-member members claimed in the group's texts);
    ``figures`` counts the statements and ``documents`` the documents that make them.
    Placeholder figures of template texts are left out unless ``include_placeholders``.
    """
    if statistics.empty or groups.empty or not subjects:
        return schema.empty("group_statistics")
    # the rows are marked, and only the four columns read are taken (not a copy of every column)
    keep = np.ones(len(statistics), dtype=bool)
    if not include_placeholders:
        keep &= ~statistics["placeholder"].fillna(False).astype(bool).to_numpy()
    pairs = pd.MultiIndex.from_tuples(list(subjects), names=["subject", "unit"])
    key = pd.MultiIndex.from_arrays(
        [statistics["subject"].fillna("").astype(str), statistics["unit"].fillna("").astype(str)]
    )
    keep &= key.isin(pairs)
    if not keep.any():
        return schema.empty("group_statistics")
    doc_id = statistics["doc_id"][keep]
    frame = pd.DataFrame(
        {
            "group": groups.reindex(doc_id.astype("string")).fillna("").to_numpy(),
            "subject": statistics["subject"][keep].to_numpy(),
            "unit": statistics["unit"][keep].to_numpy(),
            "value": statistics["value"][keep].astype("float64").to_numpy(),
            "doc_id": doc_id.to_numpy(),
        }
    )
    frame = frame[frame["group"].ne("")]
    out = (
        frame.groupby(["group", "subject", "unit"], sort=True)
        .agg(figures=("value", "size"), total=("value", "sum"), documents=("doc_id", "nunique"))
        .reset_index()
    )
    return schema.conform(out, "group_statistics")


def subject_choices(statistics: pd.DataFrame, *, limit: int = 30) -> list[tuple[str, str]]:
    """The (subject, unit) pairs stated most often (placeholders excluded), most frequent first."""
    if statistics.empty:
        return []
    keep = ~statistics["placeholder"].fillna(False).astype(bool).to_numpy()
    keep &= statistics["subject"].fillna("").ne("").to_numpy(dtype=bool) & statistics["value"].notna().to_numpy()
    if not keep.any():
        return []
    # only the two columns counted are taken from the rows kept
    pairs = pd.DataFrame({"subject": statistics["subject"][keep], "unit": statistics["unit"][keep]})
    counts = pairs.groupby(["subject", "unit"], sort=True).size().sort_values(ascending=False, kind="stable")
    return [(str(s), str(u)) for s, u in counts.index[:limit]]
