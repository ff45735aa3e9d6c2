"""The tables that connect the pipeline stages, the app, the CLI and the tests.

Column names here are the contract; stages may add columns only by adding them here.
Every table is declared once as an ordered mapping of column -> pandas dtype.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

STR = "string"
INT = "Int64"
FLOAT = "float64"
BOOL = "bool"

TABLES: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": STR,
        "source_path": STR,
        "part": INT,
        "title": STR,
        "date": STR,  # ISO yyyy-mm-dd, or yyyy-mm / yyyy when only that is known; "" unknown
        "year": INT,
        "source": STR,
        "author": STR,
        "author_title": STR,
        "doc_type": STR,
        "province": STR,
        "city": STR,
        "county": STR,
        "level": STR,  # province / city / county / unknown
        "adcode": STR,
        "region_evidence": STR,
        "n_chars": INT,
        "is_template": BOOL,
        "dup_group": INT,
        "text": STR,
    },
    "statistics": {
        "doc_id": STR,
        "start": INT,
        "end": INT,
        "surface": STR,
        "number_text": STR,
        "value": FLOAT,
        "value_max": FLOAT,
        "unit": STR,
        "subject": STR,
        "qualifier": STR,
        "approx": BOOL,
        "placeholder": BOOL,
        "category": STR,
        "sentence": STR,
    },
    "entities": {
        "doc_id": STR,
        "kind": STR,  # place / org / person / doc_title / slogan
        "text": STR,
        "norm": STR,
        "start": INT,
        "end": INT,
        "province": STR,
        "city": STR,
        "county": STR,
        "adcode": STR,
        "lat": FLOAT,
        "lon": FLOAT,
        "title": STR,
    },
    "terms": {"doc_id": STR, "term": STR, "pos": STR, "count": INT},
    "keywords": {"doc_id": STR, "term": STR, "score": FLOAT, "method": STR},
    "themes": {"doc_id": STR, "theme": STR, "hits": INT, "score": FLOAT},
    "duplicates": {
        "doc_id": STR,
        "group_id": INT,
        "canonical_doc_id": STR,
        "similarity": FLOAT,
    },
    "ingest_report": {
        "source_path": STR,
        "status": STR,  # ok / skipped / error
        "reason": STR,
        "n_documents": INT,
    },
}

# Tables produced per document (by the analyse stage) and across documents.
PER_DOCUMENT_TABLES = ("terms", "keywords", "entities", "statistics", "themes")
CORPUS_TABLES = ("duplicates",)

# Derived tables the app's queries return (never stored by the build).
VIEWS: dict[str, dict[str, str]] = {
    "doc_counts": {"group": STR, "documents": INT, "characters": INT},
    "map_regions": {"adcode": STR, "region": STR, "documents": INT},
    "highlights": {"start": INT, "end": INT, "kind": STR, "label": STR, "detail": STR},
    # coverage view (lib/coverage.py)
    "theme_regions": {
        "region": STR,
        "adcode": STR,
        "theme": STR,
        "mentioning": INT,  # documents of the region whose text mentions the theme
        "documents": INT,  # documents of the region
        "share": FLOAT,  # mentioning / documents
    },
    "theme_map": {"adcode": STR, "region": STR, "mentioning": INT, "documents": INT, "share": FLOAT},
    "coverage_figures": {
        "region": STR,
        "kind": STR,  # members / party_members / non_party_members / branches / sectors
        "subject": STR,
        "surface": STR,
        "number_text": STR,
        "value": FLOAT,
        "value_max": FLOAT,
        "unit": STR,
        "qualifier": STR,
        "doc_id": STR,
        "title": STR,
        "sentence": STR,
        "start": INT,
        "end": INT,
    },
    "coverage_claims": {
        "region": STR,
        "claim": STR,  # the words of the text, e.g. 党的组织对党员委员的全覆盖
        "by": STR,  # what covers (党的组织 / 党的工作), "" when the text does not say
        "covers": STR,  # what is covered (党员委员 / 政协委员 …), "" when the text does not say
        "origin": STR,  # sentence (a pattern of data/coverage/claims.txt) / slogan (entities)
        "doc_id": STR,
        "title": STR,
        "sentence": STR,
        "start": INT,
        "end": INT,
    },
    "coverage_summary": {"region": STR, "kind": STR, "figures": INT, "documents": INT, "stated": STR},
    "branch_mentions": {"region": STR, "branch": STR, "documents": INT, "mentions": INT},
    # extracted-statistics view (lib/statview.py)
    "statistic_rows": {
        "region": STR,
        "surface": STR,
        "number_text": STR,
        "value": FLOAT,
        "value_max": FLOAT,
        "unit": STR,
        "subject": STR,
        "qualifier": STR,
        "approx": BOOL,
        "placeholder": BOOL,
        "category": STR,
        "doc_id": STR,
        "title": STR,
        "sentence": STR,
        "start": INT,
        "end": INT,
    },
    "category_counts": {"category": STR, "statistics": INT, "documents": INT},
    "subject_units": {"subject": STR, "unit": STR, "figures": INT, "documents": INT, "regions": INT},
    # term-frequency view (lib/termindex.py, lib/concordance.py, lib/cooccurrence.py)
    "term_counts": {"term": STR, "pos": STR, "count": INT, "documents": INT, "per_10k": FLOAT},
    "term_trend": {"year": INT, "term": STR, "count": INT, "per_10k": FLOAT},
    "concordance": {"doc_id": STR, "start": INT, "end": INT, "left": STR, "match": STR, "right": STR},
    "cooccurrence": {"source": STR, "target": STR, "weight": INT, "documents": INT},
    "network_nodes": {"term": STR, "count": INT, "degree": INT, "x": FLOAT, "y": FLOAT},
    # comparison view (lib/keyness.py)
    "group_sizes": {"group": STR, "documents": INT, "characters": INT},
    "keyness": {
        "group": STR,
        "term": STR,
        "count": INT,  # occurrences in the group's documents
        "per_10k": FLOAT,  # per 10,000 characters of the group
        "log_ratio": FLOAT,  # log2 of the group's relative frequency over the rest's
        "g2": FLOAT,  # log-likelihood G² against the rest
        "p": FLOAT,  # chi-square with 1 degree of freedom
        "other_count": INT,  # occurrences in the other groups
        "other_per_10k": FLOAT,
    },
    "term_scatter": {
        "term": STR,
        "count_a": INT,
        "count_b": INT,
        "per_10k_a": FLOAT,
        "per_10k_b": FLOAT,
        "log_ratio": FLOAT,  # log2 of A's relative frequency over B's
        "g2": FLOAT,
        "p": FLOAT,
    },
    "group_themes": {"group": STR, "theme": STR, "mentioning": INT, "documents": INT, "share": FLOAT},
    "group_statistics": {"group": STR, "subject": STR, "unit": STR, "figures": INT, "total": FLOAT, "documents": INT},
}

_DEFAULTS: dict[str, Any] = {STR: "", INT: pd.NA, FLOAT: float("nan"), BOOL: False}


def _spec(name: str) -> dict[str, str]:
    return TABLES[name] if name in TABLES else VIEWS[name]


def columns(name: str) -> list[str]:
    """The declared columns of table ``name``, in order."""
    return list(_spec(name))


@functools.cache
def _empty_template(name: str) -> pd.DataFrame:
    return pd.DataFrame({col: pd.array([], dtype=dtype) for col, dtype in _spec(name).items()})  # type: ignore[call-overload]


def empty(name: str) -> pd.DataFrame:
    """An empty table with the declared columns and dtypes."""
    return _empty_template(name).copy()


_STRING_DTYPE = pd.StringDtype("pyarrow")
_STRING_ARRAY = _STRING_DTYPE.construct_array_type()


def _is_missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _column(values: Any, dtype: str) -> Any:
    """``values`` as a pandas array of ``dtype`` with missing values made the dtype's empty value."""
    if dtype == STR:
        strings = ["" if _is_missing(v) else str(v) for v in values]
        return _STRING_ARRAY(pa.array(strings, type=pa.large_string()))  # type: ignore[call-arg]
    if dtype == BOOL:
        return np.array([False if _is_missing(v) else bool(v) for v in values], dtype=bool)
    if dtype == INT:
        mask = np.array([_is_missing(v) for v in values], dtype=bool)
        ints = np.array([0 if m else int(v) for v, m in zip(values, mask, strict=True)], dtype="int64")
        return pd.arrays.IntegerArray(ints, mask)
    return np.array([float("nan") if _is_missing(v) else float(v) for v in values], dtype="float64")


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the declared columns of ``name``, in order and typed.

    Missing columns are filled with the dtype's empty value; extra columns are dropped.
    """
    spec = _spec(name)
    if len(frame) == 0:
        return empty(name)
    data = {}
    for col, dtype in spec.items():
        if col not in frame.columns:
            data[col] = _column([_DEFAULTS[dtype]] * len(frame), dtype)
            continue
        series = frame[col]
        if str(series.dtype) == str(_empty_template(name)[col].dtype) and not (dtype == STR and series.hasnans):
            data[col] = series.array
        else:
            data[col] = _column(series.tolist(), dtype)
    return pd.DataFrame(data)


def from_records(records: Iterable[Mapping[str, Any]], name: str) -> pd.DataFrame:
    """Build table ``name`` from row mappings (missing keys get empty values)."""
    rows = list(records)
    if not rows:
        return empty(name)
    return pd.DataFrame(
        {col: _column([row.get(col, _DEFAULTS[dtype]) for row in rows], dtype) for col, dtype in _spec(name).items()}
    )


def conforms(frame: pd.DataFrame, name: str) -> bool:
    """True when ``frame`` already has exactly the declared columns and dtypes of ``name``."""
    template = _empty_template(name)
    return list(frame.columns) == list(template.columns) and all(frame.dtypes == template.dtypes)


def check(frame: pd.DataFrame, name: str) -> None:
    """Raise ``ValueError`` unless ``frame`` has the declared columns and dtypes of ``name``."""
    expected = _spec(name)
    if list(frame.columns) != list(expected):
        raise ValueError(f"{name}: columns {list(frame.columns)} != {list(expected)}")
    for col, dtype in expected.items():
        if str(frame[col].dtype) != str(pd.Series([], dtype=dtype).dtype):  # type: ignore[call-overload]
            raise ValueError(f"{name}.{col}: dtype {frame[col].dtype} != {dtype}")
