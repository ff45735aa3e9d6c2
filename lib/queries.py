"""Aggregations and look-ups behind the overview and the document reader (pure pandas)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from lib import maps, schema

Tables = Mapping[str, pd.DataFrame]

DOCUMENT_LIST_COLUMNS = [
    "doc_id",
    "title",
    "date",
    "doc_type",
    "province",
    "city",
    "county",
    "level",
    "source",
    "author",
    "author_title",
    "n_chars",
    "is_template",
    "dup_group",
    "source_path",
    "part",
]


def overview_figures(documents: pd.DataFrame) -> dict[str, int]:
    """Headline numbers: documents, characters, regions, types, years, source files."""
    if documents.empty:
        return {"documents": 0, "characters": 0, "regions": 0, "types": 0, "years": 0, "files": 0}
    region = _region_label(documents)
    return {
        "documents": len(documents),
        "characters": int(documents["n_chars"].fillna(0).sum()),
        "regions": int(region[region.ne("")].nunique()),
        "types": int(documents["doc_type"].replace("", pd.NA).dropna().nunique()),
        "years": int(documents["year"].dropna().nunique()),
        "files": int(documents["source_path"].nunique()),
    }


def _region_label(documents: pd.DataFrame) -> pd.Series:
    """The most specific issuing region of each document ("" when unknown)."""
    county = documents["county"].fillna("")
    city = documents["city"].fillna("")
    province = documents["province"].fillna("")
    return county.where(county.ne(""), city.where(city.ne(""), province)).astype("string")


def counts_by(documents: pd.DataFrame, column: str, *, missing: str = "", order: str = "count") -> pd.DataFrame:
    """Documents and characters per value of ``column`` (a ``doc_counts`` view).

    ``missing`` names the group of documents with no value (they are left out when it
    is empty). ``order`` is "count" (most documents first) or "group" (ascending).
    """
    if documents.empty:
        return schema.empty("doc_counts")
    key = _region_label(documents) if column == "region" else documents[column].astype("string").fillna("").str.strip()
    frame = pd.DataFrame({"group": key, "n_chars": documents["n_chars"].fillna(0).astype("int64")})
    if missing:
        frame["group"] = frame["group"].where(frame["group"].ne(""), missing)
    else:
        frame = frame[frame["group"].ne("")]
    out = (
        frame.groupby("group", sort=False)
        .agg(documents=("n_chars", "size"), characters=("n_chars", "sum"))
        .reset_index()
    )
    if order == "group":
        out = out.sort_values("group", kind="stable")
    else:
        out = out.sort_values(["documents", "group"], ascending=[False, True], kind="stable")
    return schema.conform(out, "doc_counts")


def map_area(documents: pd.DataFrame, *, province: str = "", city: str = "") -> tuple[str, str]:
    """Outline level and parent adcode for the map under a region filter.

    No region filter: provinces of China. A province: its cities. A city: its counties.
    The parent adcode comes from the documents' adcodes, else from the outline names;
    when it cannot be found the map falls back to the level above.
    """
    if city:
        code = _adcode_of(documents, "city", city, level="city")
        if code:
            return "county", code
    if province:
        code = _adcode_of(documents, "province", province, level="province")
        if code:
            return "city", code
    return "province", ""


def _adcode_of(documents: pd.DataFrame, column: str, name: str, *, level: str) -> str:
    codes = documents.loc[documents[column].eq(name), "adcode"].fillna("")
    codes = codes[codes.str.fullmatch(r"\d{6}").fillna(False)]
    if len(codes):
        code = str(codes.iloc[0])
        return code[:2] + "0000" if level == "province" else code[:4] + "00"
    known = maps.regions(level)
    hit = known[known["name"].eq(name)]
    if hit.empty:
        hit = known[known["short_name"].eq(maps.short_name(name))]
    return str(hit["adcode"].iloc[0]) if len(hit) else ""


def region_counts(documents: pd.DataFrame, *, level: str) -> pd.DataFrame:
    """Per-region document counts at ``level`` with the region's adcode (for the map)."""
    column = {"province": "province", "city": "city", "county": "county"}[level]
    if documents.empty:
        return pd.DataFrame({"region": [], "adcode": [], "documents": []})
    frame = documents.loc[documents[column].fillna("").ne(""), [column, "adcode", "doc_id"]]
    out = (
        frame.groupby(column, sort=True)
        .agg(adcode=("adcode", lambda s: next((c for c in s if c), "")), documents=("doc_id", "size"))
        .reset_index()
        .rename(columns={column: "region"})
    )
    return out


def map_counts(documents: pd.DataFrame, *, province: str = "", city: str = "") -> tuple[str, str, pd.DataFrame]:
    """(level, parent adcode, ``map_regions`` view) for the documents map."""
    level, parent = map_area(documents, province=province, city=city)
    matched = maps.match_regions(region_counts(documents, level=level), level=level, parent_adcode=parent)
    return level, parent, matched


def document_list(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents with their metadata, without the text (for the sortable table)."""
    return documents[DOCUMENT_LIST_COLUMNS].reset_index(drop=True)


def pick_list(documents: pd.DataFrame, *, keep: str = "", limit: int = 2000) -> pd.DataFrame:
    """The first ``limit`` documents (metadata only) for a picker, plus ``keep`` if it is further down."""
    head = documents.head(limit)
    if keep and keep not in set(head["doc_id"]):
        head = pd.concat([documents[documents["doc_id"].eq(keep)], head], ignore_index=True)
    return head[DOCUMENT_LIST_COLUMNS].reset_index(drop=True)


def document_label(row: Mapping[Any, Any]) -> str:
    """How a document is named in a picker: title, region and date, then doc_id."""
    title = str(row.get("title") or "").strip() or str(row.get("doc_id"))
    if len(title) > 40:
        title = title[:40] + "…"
    extra = " · ".join(str(row.get(c) or "") for c in ("county", "city", "province", "date") if row.get(c))
    return f"{title}  ({extra})" if extra else title


def document_rows(tables: Tables, doc_id: str) -> dict[str, pd.DataFrame]:
    """The rows of every per-document table that belong to ``doc_id``."""
    out = {}
    for name, frame in tables.items():
        if "doc_id" in frame.columns:
            out[name] = frame[frame["doc_id"].eq(doc_id)].reset_index(drop=True)
    return out


def highlights(
    text: str,
    *,
    entities: pd.DataFrame,
    statistics: pd.DataFrame,
    placeholders: Sequence[tuple[int, int]] = (),
    kind_label: Callable[[str], str] = str,
) -> pd.DataFrame:
    """Spans to highlight in ``text`` (a ``highlights`` view), ordered by start.

    Entities keep their kind (place/org/person/doc_title/slogan); statistics have kind
    "statistic", placeholders "placeholder". Spans whose offsets do not slice ``text``
    back to their surface are dropped rather than drawn in the wrong place.
    """
    rows: list[dict[str, object]] = []
    n = len(text)
    for e in entities.to_dict("records"):
        start, end = _offsets(e["start"], e["end"], n)
        if start is None or (e["text"] and text[start:end] != e["text"]):
            continue
        where = "".join(str(e[c]) for c in ("province", "city", "county") if isinstance(e[c], str) and e[c])
        parts = (kind_label(str(e["kind"])), str(e["norm"] or ""), where, str(e["title"] or ""))
        detail = " · ".join(x for x in parts if x)
        rows.append({"start": start, "end": end, "kind": str(e["kind"]), "label": str(e["text"]), "detail": detail})
    for s in statistics.to_dict("records"):
        start, end = _offsets(s["start"], s["end"], n)
        if start is None or (s["surface"] and text[start:end] != s["surface"]):
            continue
        value = "" if pd.isna(s["value"]) else f"{float(s['value']):g}"
        parts = (
            kind_label("statistic"),
            value + str(s["unit"] or ""),
            str(s["subject"] or ""),
            str(s["category"] or ""),
        )
        detail = " · ".join(x for x in parts if x)
        rows.append({"start": start, "end": end, "kind": "statistic", "label": str(s["surface"]), "detail": detail})
    for start_raw, end_raw in placeholders:
        start, end = _offsets(start_raw, end_raw, n)
        if start is None:
            continue
        rows.append(
            {
                "start": start,
                "end": end,
                "kind": "placeholder",
                "label": text[start:end],
                "detail": kind_label("placeholder"),
            }
        )
    out = schema.from_records(rows, "highlights")
    return out.sort_values(["start", "end"], kind="stable").reset_index(drop=True)


def _offsets(start: object, end: object, n: int) -> tuple[int, int] | tuple[None, None]:
    if start is None or end is None or pd.isna(start) or pd.isna(end):  # type: ignore[call-overload]
        return None, None
    a, b = int(start), int(end)  # type: ignore[call-overload]
    if 0 <= a < b <= n:
        return a, b
    return None, None
