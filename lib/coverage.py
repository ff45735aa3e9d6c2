"""Coverage: which regions' texts speak of which themes, and the organisational coverage
they claim (committee members, party-member members, branches, sectors, "全覆盖").

Pure pandas over the stored tables. Regions are the documents' issuing regions at the
chosen level (province, city or county); every figure and claim keeps its document,
offsets and sentence so it can be traced back to the text.

The rules are data: ``data/coverage/figures.csv`` says which counted subjects are which
kind of figure, ``data/coverage/claims.txt`` holds the "全覆盖" sentence patterns.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lib import maps, queries, schema
from lib.resources import DATA, read_lines

FIGURES_FILE = DATA / "coverage" / "figures.csv"
CLAIMS_FILE = DATA / "coverage" / "claims.txt"

LEVELS = ("province", "city", "county")
MEASURES = ("documents", "share")
KINDS = ("members", "party_members", "non_party_members", "branches", "sectors")

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass(frozen=True)
class FigureRule:
    kind: str
    subject: re.Pattern[str]
    units: frozenset[str]


@lru_cache(maxsize=4)
def figure_rules(path: Path = FIGURES_FILE) -> tuple[FigureRule, ...]:
    """The rules of ``figures.csv`` in file order (the first rule that fits a row wins)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        FigureRule(
            kind=row["kind"].strip(),
            subject=re.compile(row["subject"].strip()),
            units=frozenset(u.strip() for u in row["units"].split("|") if u.strip()),
        )
        for row in rows
        if row.get("kind", "").strip()
    )


@lru_cache(maxsize=4)
def claim_patterns(path: Path = CLAIMS_FILE) -> tuple[re.Pattern[str], ...]:
    """The compiled "全覆盖" sentence patterns of ``claims.txt``, in file order."""
    return tuple(re.compile(line) for line in read_lines(path))


# ---------------------------------------------------------------- regions


def region_of(documents: pd.DataFrame, *, level: str) -> pd.Series:
    """Each document's issuing region at ``level`` ("" when the text does not name one).

    At city level a city-less document is "" even when its province is known; so is a
    county-less one at county level. ``level="any"`` gives the most specific region.
    """
    if level == "any":
        county = documents["county"].fillna("").astype("string")
        city = documents["city"].fillna("").astype("string")
        province = documents["province"].fillna("").astype("string")
        return county.where(county.ne(""), city.where(city.ne(""), province))
    if level not in LEVELS:
        raise ValueError(f"unknown region level: {level}")
    return documents[level].fillna("").astype("string").str.strip()


def _region_adcode(documents: pd.DataFrame, *, level: str) -> pd.Series:
    """The adcode of each document's region at ``level`` ("" when unknown)."""
    code = documents["adcode"].fillna("").astype("string")
    code = code.where(code.str.fullmatch(r"\d{6}").fillna(False), "")
    if level == "province":
        out = code.str.slice(0, 2) + "0000"
    elif level == "city":
        out = code.str.slice(0, 4) + "00"
    else:
        out = code
    # a document issued at a higher level has no code at a lower one
    deeper = {"province": "province", "city": "city", "county": "county"}[level]
    known = documents[deeper].fillna("").ne("") & code.ne("")
    return out.where(known, "")


def _doc_regions(documents: pd.DataFrame, *, level: str, missing: str = "") -> pd.DataFrame:
    """doc_id, region, adcode of the documents that have a region at ``level``.

    With ``missing`` the others are kept under that name (with an empty adcode).
    """
    frame = pd.DataFrame(
        {
            "doc_id": documents["doc_id"].astype("string"),
            "region": region_of(documents, level=level),
            "adcode": _region_adcode(documents, level=level) if level != "any" else "",
        }
    )
    if missing:
        frame["region"] = frame["region"].where(frame["region"].ne(""), missing)
        return frame
    return frame[frame["region"].ne("")]


# ---------------------------------------------------------------- theme × region


def theme_regions(
    documents: pd.DataFrame, themes: pd.DataFrame, *, level: str = "province", missing: str = ""
) -> pd.DataFrame:
    """The theme × region matrix as a long ``theme_regions`` table.

    For every region at ``level`` and every theme of ``themes``: how many of the region's
    documents mention the theme (``hits > 0``), how many documents the region has, and the
    share. Regions are ordered by documents (most first), themes by documents mentioning
    them over all regions. Documents without a region at the level are left out unless
    ``missing`` names their group.
    """
    if documents.empty or themes.empty:
        return schema.empty("theme_regions")
    regions = _doc_regions(documents, level=level, missing=missing)
    if regions.empty:
        return schema.empty("theme_regions")
    totals = regions.groupby("region", sort=False)["doc_id"].nunique().rename("documents").to_frame()
    coded = regions[regions["adcode"].ne("")].drop_duplicates("region").set_index("region")["adcode"]
    totals["adcode"] = coded.reindex(totals.index).fillna("")
    hits = themes[themes["hits"].fillna(0) > 0][["doc_id", "theme"]].drop_duplicates()
    joined = hits.merge(regions[["doc_id", "region"]], on="doc_id", how="inner")
    mentioning = joined.groupby(["region", "theme"]).size().rename("mentioning")
    all_themes = sorted(set(themes["theme"].dropna().astype(str)))
    grid = pd.MultiIndex.from_product([totals.index, all_themes], names=["region", "theme"])
    out = mentioning.reindex(grid, fill_value=0).reset_index()
    out = out.merge(totals.reset_index(), on="region", how="left")
    out["share"] = out["mentioning"] / out["documents"]
    region_rank = totals["documents"].sort_values(ascending=False, kind="stable")
    region_order = {r: i for i, r in enumerate(sorted(region_rank.index, key=lambda r: (-region_rank[r], r)))}
    theme_total = out.groupby("theme")["mentioning"].sum()
    theme_order = {t: i for i, t in enumerate(sorted(all_themes, key=lambda t: (-theme_total.get(t, 0), t)))}
    out = out.assign(_r=out["region"].map(region_order), _t=out["theme"].map(theme_order))
    out = out.sort_values(["_r", "_t"], kind="stable")
    return schema.conform(out, "theme_regions")


def largest_regions(long: pd.DataFrame, *, n: int) -> pd.DataFrame:
    """A ``theme_regions`` table cut to its ``n`` regions with the most documents (order kept)."""
    if long.empty or n <= 0:
        return schema.empty("theme_regions")
    sizes = long.drop_duplicates("region").set_index("region")["documents"]
    keep = sorted(sizes.index, key=lambda r: (-int(sizes[r]), str(r)))[:n]
    return schema.conform(long[long["region"].isin(keep)], "theme_regions")


def matrix(long: pd.DataFrame, *, measure: str = "documents") -> pd.DataFrame:
    """A ``theme_regions`` table as a wide matrix: one row per region, one column per theme.

    ``measure`` is "documents" (documents mentioning the theme) or "share" (their share of
    the region's documents). Row and column order follow ``long``.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure: {measure}")
    column = "mentioning" if measure == "documents" else "share"
    if long.empty:
        return pd.DataFrame(columns=["region"])
    regions = list(dict.fromkeys(long["region"]))
    themes = list(dict.fromkeys(long["theme"]))
    wide = long.pivot(index="region", columns="theme", values=column).reindex(index=regions, columns=themes)
    wide.columns.name = None
    return wide.reset_index()


def theme_map(
    documents: pd.DataFrame, themes: pd.DataFrame, *, theme: str, province: str = "", city: str = ""
) -> tuple[str, str, pd.DataFrame]:
    """(outline level, parent adcode, ``theme_map`` view) for one theme on the map.

    The map shows provinces, or the cities of ``province``, or the counties of ``city``
    (as the overview map does); every outline of the area has a row, with the documents
    mentioning ``theme``, the documents of that region and the share (0 when none).
    Regions matching no outline are listed with an empty adcode.
    """
    level, parent = queries.map_area(documents, province=province, city=city)
    long = theme_regions(documents, themes[themes["theme"].eq(theme)], level=level)
    if long.empty:
        per_region = pd.DataFrame({"region": [], "adcode": [], "mentioning": [], "documents": []})
    else:
        per_region = long[long["theme"].eq(theme)]
    mentioning = maps.match_regions(
        per_region.rename(columns={"documents": "_total", "mentioning": "documents"})[
            ["region", "adcode", "documents"]
        ],
        level=level,
        parent_adcode=parent,
    )
    totals = maps.match_regions(per_region[["region", "adcode", "documents"]], level=level, parent_adcode=parent)
    out = mentioning.rename(columns={"documents": "mentioning"})
    out["documents"] = totals["documents"].to_numpy()
    share = out["mentioning"].astype("float64") / out["documents"].astype("float64").where(out["documents"] > 0)
    out["share"] = share.fillna(0.0)
    return level, parent, schema.conform(out, "theme_map")


# ---------------------------------------------------------------- organisational figures


def _doc_info(documents: pd.DataFrame, *, missing: str = "") -> pd.DataFrame:
    region = region_of(documents, level="any")
    return pd.DataFrame(
        {
            "doc_id": documents["doc_id"].astype("string"),
            "region": region.where(region.ne(""), missing),
            "title": documents["title"].fillna("").astype("string"),
        }
    )


def figure_kind(subject: str, unit: str, *, rules: tuple[FigureRule, ...] | None = None) -> str:
    """The kind of organisational figure a counted ``subject`` in ``unit`` is ("" if none)."""
    for rule in rules if rules is not None else figure_rules():
        if unit in rule.units and rule.subject.search(subject):
            return rule.kind
    return ""


def coverage_figures(
    statistics: pd.DataFrame, documents: pd.DataFrame, *, include_placeholders: bool = False, missing: str = ""
) -> pd.DataFrame:
    """The organisational figures the texts state (a ``coverage_figures`` table).

    Rows of ``statistics`` whose subject and unit make them committee members, party-member
    members, non-party members, branches or sectors (``data/coverage/figures.csv``), with
    the document's most specific region (``missing`` when it has none) and title.
    Placeholders (XX名) are left out unless ``include_placeholders``. Ordered by region,
    kind, document and position.
    """
    if statistics.empty or documents.empty:
        return schema.empty("coverage_figures")
    stats = statistics if include_placeholders else statistics[~statistics["placeholder"].fillna(False).astype(bool)]
    subject = stats["subject"].fillna("").astype("string")
    unit = stats["unit"].fillna("").astype("string")
    kind = pd.Series("", index=stats.index, dtype="string")
    free = pd.Series(True, index=stats.index)
    for rule in figure_rules():
        # the unit test first: it leaves few rows for the subject pattern
        candidates = free & unit.isin(sorted(rule.units))
        if not candidates.any():
            continue
        hit = subject[candidates].str.contains(rule.subject.pattern, regex=True).fillna(False).astype(bool)
        index = hit.index[hit.to_numpy()]
        kind.loc[index] = rule.kind
        free.loc[index] = False
    picked = stats[kind.ne("")].assign(kind=kind[kind.ne("")])
    if picked.empty:
        return schema.empty("coverage_figures")
    out = picked.merge(_doc_info(documents, missing=missing), on="doc_id", how="inner")
    out["_k"] = out["kind"].map({k: i for i, k in enumerate(KINDS)}).fillna(len(KINDS))
    out = out.sort_values(["region", "_k", "doc_id", "start"], kind="stable")
    return schema.conform(out, "coverage_figures")


def coverage_summary(figures: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Per region and kind: how many figures (and claims), from how many documents, as stated.

    ``stated`` joins the figures as the texts write them (72名党员委员；8个界别党支部), or
    the claims' words for kind "claims".
    """
    rows: list[dict[str, object]] = []
    if not figures.empty:
        for (region, kind), group in figures.groupby(["region", "kind"], sort=False):
            stated = list(
                dict.fromkeys(f"{s}{subj}" for s, subj in zip(group["surface"], group["subject"], strict=True))
            )
            rows.append(
                {
                    "region": region,
                    "kind": kind,
                    "figures": len(group),
                    "documents": group["doc_id"].nunique(),
                    "stated": "；".join(stated),
                }
            )
    if not claims.empty:
        for region, group in claims.groupby("region", sort=False):
            stated = list(dict.fromkeys(group["claim"]))
            rows.append(
                {
                    "region": region,
                    "kind": "claims",
                    "figures": len(group),
                    "documents": group["doc_id"].nunique(),
                    "stated": "；".join(stated),
                }
            )
    out = schema.from_records(rows, "coverage_summary")
    order = {k: i for i, k in enumerate((*KINDS, "claims"))}
    out = out.assign(_k=out["kind"].map(order)).sort_values(["region", "_k"], kind="stable")
    return schema.conform(out, "coverage_summary")


# ---------------------------------------------------------------- "全覆盖" claims


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence around ``[start, end)`` begins and ends (its end mark included)."""
    left = max(text.rfind(c, 0, start) for c in "。！？!?；;\n")
    match = _SENTENCE_END.search(text, end)
    return left + 1, match.end() if match else len(text)


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``[start, end)`` (ends at 。！？；, or a line break)."""
    a, b = _sentence_span(text, start, end)
    return text[a:b].strip()


def _sentences_with(text: str, word: str) -> list[tuple[int, int]]:
    """The spans of the sentences of ``text`` that contain ``word``, in order."""
    spans: list[tuple[int, int]] = []
    at = text.find(word)
    while at != -1:
        span = _sentence_span(text, at, at + len(word))
        spans.append(span)
        at = text.find(word, span[1])
    return spans


def claims_in_text(text: str, *, patterns: tuple[re.Pattern[str], ...] | None = None) -> list[dict[str, object]]:
    """The "全覆盖" claims of one text: start, end, claim, by, covers, sentence.

    Every claim speaks of 覆盖 and stays inside its sentence (the patterns exclude the
    sentence marks), so the patterns run only over the sentences with that word.
    """
    found: list[dict[str, object]] = []
    taken: list[tuple[int, int]] = []
    sentences = _sentences_with(text, "覆盖")
    for pattern in patterns if patterns is not None else claim_patterns():
        for s_start, s_end in sentences:
            for m in pattern.finditer(text, s_start, s_end):
                a, b = m.span()
                if any(a < y and x < b for x, y in taken):
                    continue
                groups = m.groupdict()
                taken.append((a, b))
                found.append(
                    {
                        "start": a,
                        "end": b,
                        "claim": m.group(0),
                        "by": groups.get("by") or "",
                        "covers": groups.get("covers") or "",
                        "sentence": text[s_start:s_end].strip(),
                    }
                )
    return sorted(found, key=lambda r: int(str(r["start"])))


def coverage_claims(documents: pd.DataFrame, entities: pd.DataFrame, *, missing: str = "") -> pd.DataFrame:
    """The "全覆盖" claims of the texts (a ``coverage_claims`` table).

    Sentences that match ``data/coverage/claims.txt`` (党的组织对党员委员的全覆盖), and the
    slogans of ``entities`` that speak of coverage (“两个全覆盖”) where no sentence claim
    already covers their place. Regions as in ``coverage_figures``; ordered by region,
    document and position.
    """
    if documents.empty:
        return schema.empty("coverage_claims")
    texts = documents[documents["text"].fillna("").str.contains("覆盖", regex=False)]
    rows: list[dict[str, object]] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    patterns = claim_patterns()
    for doc_id, text in zip(texts["doc_id"].tolist(), texts["text"].fillna("").tolist(), strict=True):
        for claim in claims_in_text(str(text), patterns=patterns):
            rows.append({"doc_id": doc_id, "origin": "sentence", **claim})
            spans.setdefault(str(doc_id), []).append((int(str(claim["start"])), int(str(claim["end"]))))
    if not entities.empty:
        slogans = entities[
            entities["kind"].eq("slogan") & entities["text"].fillna("").str.contains("覆盖", regex=False)
        ]
        by_id = dict(zip(texts["doc_id"].tolist(), texts["text"].fillna("").tolist(), strict=True))
        for e in slogans.to_dict("records"):
            doc_id = str(e["doc_id"])
            text = by_id.get(doc_id)
            if text is None or pd.isna(e["start"]) or pd.isna(e["end"]):
                continue
            a, b = int(e["start"]), int(e["end"])
            if any(a < y and x < b for x, y in spans.get(doc_id, [])):
                continue
            rows.append(
                {
                    "doc_id": doc_id,
                    "origin": "slogan",
                    "start": a,
                    "end": b,
                    "claim": str(e["text"]),
                    "by": "",
                    "covers": "",
                    "sentence": sentence_at(text, a, b),
                }
            )
    if not rows:
        return schema.empty("coverage_claims")
    out = pd.DataFrame.from_records(rows).merge(_doc_info(documents, missing=missing), on="doc_id", how="inner")
    out = out.sort_values(["region", "doc_id", "start"], kind="stable")
    return schema.conform(out, "coverage_claims")


def branch_mentions(
    documents: pd.DataFrame, entities: pd.DataFrame, *, level: str = "any", missing: str = ""
) -> pd.DataFrame:
    """Which kinds of party branch each region's texts name (a ``branch_mentions`` table).

    From the org entities whose type (``norm``) is a branch (界别党支部, 临时党支部,
    功能型党支部, 机关党支部, 党支部 …): documents naming it and mentions, per region.
    """
    if documents.empty or entities.empty:
        return schema.empty("branch_mentions")
    orgs = entities[entities["kind"].eq("org") & entities["norm"].fillna("").str.endswith("党支部")]
    if orgs.empty:
        return schema.empty("branch_mentions")
    regions = _doc_regions(documents, level=level, missing=missing)
    joined = orgs[["doc_id", "norm"]].merge(regions[["doc_id", "region"]], on="doc_id", how="inner")
    out = (
        joined.groupby(["region", "norm"])
        .agg(documents=("doc_id", "nunique"), mentions=("doc_id", "size"))
        .reset_index()
        .rename(columns={"norm": "branch"})
        .sort_values(["region", "documents", "mentions", "branch"], ascending=[True, False, False, True], kind="stable")
    )
    return schema.conform(out, "branch_mentions")
