"""The shared filters of every view: one definition, URL round-trip, one ``apply``.

A ``Filters`` value is what the sidebar shows; ``apply`` keeps the documents that pass
and filters every other table to the surviving doc_ids, so all pages agree on what
"the filtered corpus" is. The query-string form makes a copied URL reproduce a view.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

Tables = Mapping[str, pd.DataFrame]
ParamValue = str | Sequence[str]

LEVELS = ("province", "city", "county", "unknown")

# field name -> query-string key
_PARAMS = {
    "province": "prov",
    "city": "city",
    "county": "county",
    "levels": "level",
    "themes": "theme",
    "doc_types": "type",
    "date_from": "from",
    "date_to": "to",
    "sources": "src",
    "search": "q",
    "reprints_once": "once",
}
PARAM_KEYS = frozenset(_PARAMS.values())

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    """Which documents a view looks at. Empty values mean "no restriction"."""

    province: str = ""
    city: str = ""
    county: str = ""
    levels: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    date_from: str = ""  # ISO yyyy-mm-dd, inclusive
    date_to: str = ""  # ISO yyyy-mm-dd, inclusive
    sources: tuple[str, ...] = ()
    search: str = ""
    reprints_once: bool = False

    def is_default(self) -> bool:
        return self == Filters()


def normalized(filters: Filters) -> Filters:
    """``filters`` with stripped strings, sorted unique tuples, valid dates and levels only.

    A city without its province, or a county without its city, is kept: the cascade is
    a convenience of the sidebar, not a rule of the data.
    """

    def clean_tuple(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted({v.strip() for v in values if v and v.strip()}))

    date_from = filters.date_from.strip() if _valid_date(filters.date_from.strip()) else ""
    date_to = filters.date_to.strip() if _valid_date(filters.date_to.strip()) else ""
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return Filters(
        province=filters.province.strip(),
        city=filters.city.strip(),
        county=filters.county.strip(),
        levels=tuple(v for v in clean_tuple(filters.levels) if v in LEVELS),
        themes=clean_tuple(filters.themes),
        doc_types=clean_tuple(filters.doc_types),
        date_from=date_from,
        date_to=date_to,
        sources=clean_tuple(filters.sources),
        search=filters.search.strip(),
        reprints_once=bool(filters.reprints_once),
    )


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def to_query_params(filters: Filters) -> dict[str, str | list[str]]:
    """The canonical query-string form of ``filters``; default values are left out."""
    filters = normalized(filters)
    out: dict[str, str | list[str]] = {}
    for f in fields(Filters):
        value = getattr(filters, f.name)
        key = _PARAMS[f.name]
        if isinstance(value, tuple):
            if value:
                out[key] = list(value)
        elif isinstance(value, bool):
            if value:
                out[key] = "1"
        elif value:
            out[key] = value
    return out


def from_query_params(params: Mapping[str, ParamValue]) -> Filters:
    """Filters from a query string mapping; unknown keys and malformed values are ignored."""
    values: dict[str, object] = {}
    for f in fields(Filters):
        raw = params.get(_PARAMS[f.name])
        if raw is None:
            continue
        items = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if f.name in ("levels", "themes", "doc_types", "sources"):
            values[f.name] = tuple(items)
        elif f.name == "reprints_once":
            values[f.name] = bool(items) and items[-1].strip().lower() in ("1", "true", "yes", "on")
        else:
            values[f.name] = items[-1] if items else ""
    return normalized(Filters(**values))  # type: ignore[arg-type]


def label_parts(filters: Filters) -> list[str]:
    """The active filter values in a fixed order, for file names and captions."""
    f = normalized(filters)
    parts = [p for p in (f.province, f.city, f.county) if p]
    parts += list(f.levels) + list(f.themes) + list(f.doc_types)
    if f.date_from or f.date_to:
        parts.append(f"{f.date_from or '…'}~{f.date_to or '…'}")
    parts += [s.rsplit("/", 1)[-1] for s in f.sources]
    if f.search:
        parts.append(f"q-{f.search}")
    if f.reprints_once:
        parts.append("once")
    return parts


_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def download_name(view: str, filters: Filters, *, ext: str = "csv", max_len: int = 120) -> str:
    """A file name after the view and the active filters, safe on every file system."""
    stem = "_".join([view, *label_parts(filters)]) if not filters.is_default() else f"{view}_all"
    stem = _UNSAFE.sub("-", stem).strip("-_.")
    return f"{stem[:max_len].rstrip('-_.')}.{ext}"


def _date_bounds(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day of each ISO date, month or year (empty string for unknown)."""
    s = dates.fillna("").astype("string").str.strip()
    year = s.str.slice(0, 4)
    month = s.str.slice(5, 7)
    day = s.str.slice(8, 10)
    full = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
    ym = s.str.fullmatch(r"\d{4}-\d{2}").fillna(False)
    y = s.str.fullmatch(r"\d{4}").fillna(False)
    lo = pd.Series("", index=s.index, dtype="string")
    hi = pd.Series("", index=s.index, dtype="string")
    lo = lo.mask(full, s).mask(ym, year + "-" + month + "-01").mask(y, year + "-01-01")
    hi = hi.mask(full, year + "-" + month + "-" + day).mask(ym, year + "-" + month + "-31").mask(y, year + "-12-31")
    return lo, hi


# (needle, case-blind) -> doc_ids whose text contains the needle: how the search filter reads
# the text when the documents table is held without it.
TextSearch = Callable[[str, bool], pd.Index]


def document_mask(filters: Filters, tables: Tables, *, text_search: TextSearch | None = None) -> pd.Series:
    """Boolean mask over ``tables["documents"]``: True for the documents that pass.

    The search looks in ``documents.text``, or asks ``text_search`` when it is given.
    """
    f = normalized(filters)
    docs = tables["documents"]
    keep = pd.Series(True, index=docs.index)
    for column, value in (("province", f.province), ("city", f.city), ("county", f.county)):
        if value:
            keep &= docs[column].fillna("").eq(value)
    if f.levels:
        keep &= docs["level"].fillna("").replace("", "unknown").isin(f.levels)
    if f.doc_types:
        keep &= docs["doc_type"].fillna("").isin(f.doc_types)
    if f.sources:
        keep &= docs["source_path"].fillna("").isin(f.sources)
    if f.themes:
        themes = tables.get("themes")
        if themes is None or themes.empty:
            keep &= False
        else:
            hit = themes[themes["theme"].isin(f.themes) & (themes["hits"].fillna(0) > 0)]
            keep &= docs["doc_id"].isin(hit["doc_id"])
    if f.date_from or f.date_to:
        lo, hi = _date_bounds(docs["date"])
        dated = lo.ne("")
        if f.date_from:
            dated &= hi >= f.date_from
        if f.date_to:
            dated &= lo <= f.date_to
        keep &= dated.fillna(False).astype(bool)
    if f.search:
        # Chinese has no case: only a needle with cased letters needs the slower case-blind scan
        blind = f.search.lower() != f.search.upper()
        if text_search is not None:
            in_text = docs["doc_id"].isin(text_search(f.search, blind))
        else:
            in_text = docs["text"].fillna("").str.contains(f.search, case=not blind, regex=False)
        in_title = docs["title"].fillna("").str.contains(f.search, case=not blind, regex=False)
        keep &= (in_text | in_title).fillna(False).astype(bool)
    if f.reprints_once:
        keep &= ~_reprint_mask(docs, tables.get("duplicates"))
    return keep.astype(bool)


def _reprint_mask(docs: pd.DataFrame, dups: pd.DataFrame | None) -> pd.Series:
    """True for documents in a duplicate group that are not the group's canonical document."""
    grouped = docs["dup_group"].notna()
    canonical: dict[int, str] = {}
    if dups is not None and not dups.empty:
        for gid, cid in zip(dups["group_id"], dups["canonical_doc_id"], strict=True):
            if pd.notna(gid) and cid:
                canonical.setdefault(int(gid), str(cid))
    # Groups without a named canonical document keep their first doc_id.
    missing = docs[grouped & ~docs["dup_group"].isin(list(canonical))]
    for gid, ids in missing.groupby("dup_group")["doc_id"]:
        canonical[int(str(gid))] = str(min(ids))
    want = docs["dup_group"].map(lambda g: canonical.get(int(g), "") if pd.notna(g) else "")
    return (grouped & docs["doc_id"].ne(want)).fillna(False).astype(bool)


def apply(filters: Filters, tables: Tables) -> dict[str, pd.DataFrame]:
    """Every table restricted to the documents that pass ``filters``.

    Tables with a ``doc_id`` column keep the rows of surviving documents; the
    ``ingest_report`` keeps the rows of the source files those documents come from
    (or all rows when no file filter is set). Other tables are returned unchanged.
    """
    docs = tables["documents"]
    if normalized(filters).is_default():
        return dict(tables)
    mask = document_mask(filters, tables)
    kept = docs[mask].reset_index(drop=True)
    ids = pa.array(kept["doc_id"].astype("string"))
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if name == "documents":
            out[name] = kept
        elif "doc_id" in frame.columns:
            out[name] = frame[_member(frame["doc_id"], ids)].reset_index(drop=True)
        elif name == "ingest_report" and filters.sources:
            out[name] = frame[frame["source_path"].isin(filters.sources)].reset_index(drop=True)
        else:
            out[name] = frame
    return out


class Restricted(Mapping[str, pd.DataFrame]):
    """The tables of ``apply``, each restricted when it is first asked for.

    A page that reads two tables does not pay for restricting (and holding copies of)
    the others. Read-only; the documents are restricted at once.
    """

    def __init__(self, filters: Filters, tables: Tables, *, text_search: TextSearch | None = None) -> None:
        self.filters = normalized(filters)
        self.tables = tables
        self._frames: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()
        self._ids: pa.Array | None = None
        if not self.filters.is_default():
            docs = tables["documents"]
            mask = document_mask(self.filters, tables, text_search=text_search)
            self._frames["documents"] = docs[mask.to_numpy()].reset_index(drop=True)
            self._ids = pa.array(self._frames["documents"]["doc_id"].astype("string"))

    def __getitem__(self, name: str) -> pd.DataFrame:
        if self._ids is None:
            return self.tables[name]
        with self._lock:
            if name not in self._frames:
                frame = self.tables[name]
                if "doc_id" in frame.columns:
                    frame = frame[_member(frame["doc_id"], self._ids)].reset_index(drop=True)
                elif name == "ingest_report" and self.filters.sources:
                    frame = frame[frame["source_path"].isin(self.filters.sources)].reset_index(drop=True)
                self._frames[name] = frame
            return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def _member(series: pd.Series, values: pa.Array) -> np.ndarray:
    """``series.isin(values)`` computed by Arrow (pandas' own is slow for Arrow strings)."""
    found = pc.is_in(pa.array(series.astype("string")), value_set=values)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def without(filters: Filters, *names: str) -> Filters:
    """``filters`` with the named fields reset to their defaults."""
    defaults = Filters()
    return replace(filters, **{n: getattr(defaults, n) for n in names})
