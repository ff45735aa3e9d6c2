"""The term-frequency and comparison pages (AppTest) on the built seed corpus.

Counts are checked against the stored ``terms`` table summed by hand in pandas, and
passages against data/corpus as read: the 曲周县 story (seed 003) says
在全县16个界别建立了8个临时党支部; under 河北省 the corpus has eight documents.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import apptest_support
import numpy as np
import pandas as pd
import pytest
import seed_corpus
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TERMS = "pages/terms.py"
COMPARE = "pages/compare.py"
EMPTY = "没有符合当前筛选条件的文档。请放宽或清除左侧的筛选条件。"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_corpus.build(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def stored(corpus: Path) -> dict[str, pd.DataFrame]:
    return seed_corpus.tables(corpus)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> dict[str, bytes]:
    return apptest_support.spy_downloads(monkeypatch, corpus)


def run(page: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    return apptest_support.run_app(page=page, params=params)


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


charts = apptest_support.charts


def values(data: Any) -> list[Any]:
    """A Plotly array from a chart spec (numbers come base64-encoded)."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def csv(data: bytes) -> pd.DataFrame:
    return apptest_support.read_csv(data)


def expected_top(stored: dict[str, pd.DataFrame], doc_ids: set[str], n: int = 20) -> pd.DataFrame:
    terms = stored["terms"]
    part = terms[terms["doc_id"].isin(doc_ids) & terms["term"].str.len().ge(2)]
    sums = part.groupby("term")["count"].sum().reset_index()
    return sums.sort_values(["count", "term"], ascending=[False, True]).head(n).reset_index(drop=True)


# ---------------------------------------------------------------- term frequency


def test_top_terms_of_the_whole_corpus(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(TERMS)
    assert at.title[0].value == "词频分析"
    bar = charts(at)[0]["data"][0]
    expected = expected_top(stored, set(stored["documents"]["doc_id"]))
    # the bars run from the 20th term at the bottom to the most frequent at the top
    assert bar["y"][::-1] == expected["term"].tolist()
    assert values(bar["x"])[::-1] == expected["count"].tolist()
    shown = csv(downloads["terms-top_all.csv"])
    assert shown["term"].tolist() == expected["term"].tolist()
    chars = int(stored["documents"]["n_chars"].sum())
    assert shown["per_10k"].iloc[0] == pytest.approx(expected["count"].iloc[0] / chars * 10_000)
    # the word cloud is drawn as an image, its words downloadable
    assert len(at.get("image")) == 1
    assert len(csv(downloads["terms-cloud_all.csv"])) > 20


def test_top_terms_under_a_province(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(TERMS, {"prov": "河北省"})
    docs = stored["documents"]
    hebei = set(docs.loc[docs["province"].eq("河北省"), "doc_id"])
    assert len(hebei) == 8
    shown = csv(downloads["terms-top_河北省.csv"])
    expected = expected_top(stored, hebei)
    assert shown["term"].tolist() == expected["term"].tolist()
    assert shown["count"].tolist() == expected["count"].tolist()
    # fewer terms, only verbs
    at.slider(key="terms_n").set_value(10)
    at.multiselect(key="terms_pos").set_value(["v"])
    rerun(at)
    bar = charts(at)[0]["data"][0]
    assert len(bar["y"]) == 10
    verbs = stored["terms"][stored["terms"]["doc_id"].isin(hebei)]
    assert set(bar["y"]) <= set(verbs.loc[verbs["pos"].str.startswith("v"), "term"])


def test_session_stop_words_and_dictionary_words(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(TERMS)
    at.slider(key="terms_n").set_value(60)
    rerun(at)
    first = charts(at)[0]["data"][0]
    counts = dict(zip(first["y"], values(first["x"]), strict=True))
    assert "政协" in counts
    # a stop word for the session leaves the list
    at.text_area(key="terms_stops").set_value("政协")
    rerun(at)
    assert "政协" not in charts(at)[0]["data"][0]["y"]
    # a dictionary word: 政协党建 is no longer cut into 政协 + 党建, so 政协 loses what it gains
    at.text_area(key="terms_stops").set_value("")
    at.text_area(key="terms_words").set_value("政协党建")
    rerun(at)
    after = dict(zip(charts(at)[0]["data"][0]["y"], values(charts(at)[0]["data"][0]["x"]), strict=True))
    assert after["政协党建"] > 0
    assert after["政协"] == counts["政协"] - after["政协党建"]
    assert after["党建"] == counts["党建"] - after["政协党建"]


def test_concordance_of_temporary_branches(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(TERMS, {"view": "kwic"})
    at.text_input(key="terms_query").set_value("临时党支部")
    at.slider(key="terms_window").set_value(10)
    rerun(at)
    lines = at.dataframe[0].value
    texts = stored["documents"]["text"]
    assert len(lines) == int(texts.str.count("临时党支部").sum())
    seed = lines[lines["doc_id"].eq(seed_corpus.SEED_003)]
    assert "16个界别建立了8个" in seed["left"].tolist()
    assert set(lines["match"]) == {"临时党支部"}
    assert "terms-kwic-临时党支部_all.csv" in downloads
    # sorted by the right context
    at.segmented_control(key="terms_sort").set_value("right")
    rerun(at)
    right = at.dataframe[0].value["right"].tolist()
    assert right == sorted(right)


def test_other_views(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(TERMS, {"view": "keywords"})
    doc = str(at.selectbox(key="terms_doc").value)
    shown = at.dataframe[0].value
    kw = stored["keywords"]
    assert shown["term"].tolist() == kw[kw["doc_id"] == doc]["term"].tolist()
    at.segmented_control(key="terms_section").set_value("ngrams")
    rerun(at)
    grams = csv(downloads["terms-2grams_all.csv"])
    assert grams["term"].str.count(" ").eq(1).all()
    at.segmented_control(key="terms_section").set_value("network")
    rerun(at)
    edges = csv(downloads["terms-network-sentence_all.csv"])
    top25 = set(expected_top(stored, set(stored["documents"]["doc_id"]), 25)["term"])
    assert len(edges) > 0 and set(edges["source"]) | set(edges["target"]) <= top25
    at.segmented_control(key="terms_section").set_value("trend")
    rerun(at)
    trend = csv(downloads["terms-trend_all.csv"])
    docs = stored["documents"]
    assert set(trend["year"]) == set(docs["year"].dropna().astype(int))
    # 政协 in 2018: the stored counts of the documents dated 2018
    in_2018 = set(docs.loc[docs["year"].eq(2018), "doc_id"])
    t = stored["terms"]
    expected = int(t.loc[t["doc_id"].isin(in_2018) & t["term"].eq("政协"), "count"].sum())
    assert trend.loc[trend["year"].eq(2018) & trend["term"].eq("政协"), "count"].tolist() == [expected]


def test_terms_empty_filter(downloads: dict[str, bytes]) -> None:
    at = run(TERMS, {"q": "不存在的说法"})
    assert [i.value for i in at.info] == [EMPTY]
    assert not at.get("plotly_chart")


# ---------------------------------------------------------------- comparison


def test_keyness_of_two_provinces_sums_back(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(COMPARE)
    assert at.title[0].value == "对比分析"
    # the two provinces with most documents: 河北省 (8), then 四川省 first of the ties by name
    assert at.multiselect(key="cmp_groups").value == ["河北省", "四川省"]
    tidy = csv(downloads["compare-keyness-all-province_all.csv"])
    assert list(tidy.columns) == ["group", "term", "count", "per_10k", "log_ratio", "g2", "p"]
    docs = stored["documents"]
    terms = stored["terms"].merge(docs[["doc_id", "province"]], on="doc_id")
    both = terms[terms["province"].isin(["河北省", "四川省"])]
    # with the default minimum of 2, a term is kept when one of the groups uses it at least twice;
    # its counts in the two groups then add up to its count in their documents
    per_group = both.groupby(["term", "province"])["count"].sum().unstack(fill_value=0)
    kept = per_group[(per_group >= 2).any(axis=1)]
    assert tidy.groupby("term")["count"].sum().sort_index().to_dict() == kept.sum(axis=1).sort_index().to_dict()
    # one row by hand: 党员委员 per 10,000 characters of 河北省's documents
    chars = int(docs.loc[docs["province"].eq("河北省"), "n_chars"].sum())
    n = int(both.loc[both["province"].eq("河北省") & both["term"].eq("党员委员"), "count"].sum())
    row = tidy[tidy["group"].eq("河北省") & tidy["term"].eq("党员委员")].iloc[0]
    assert row["count"] == n and row["per_10k"] == pytest.approx(n / chars * 10_000)
    # the scatter: a point per term, x = frequency in 河北省
    scatter = charts(at)[0]["data"][0]
    points = dict(zip([c[0] for c in scatter["customdata"]], values(scatter["x"]), strict=True))
    assert points["党员委员"] == pytest.approx(n / chars * 10_000)
    assert at.query_params.get("groups") == "河北省|四川省"
    # statistics per group: each panel's bars are the values the groups' texts state, added up
    grid = charts(at)[-1]
    titles = [a["text"] for a in grid["layout"]["annotations"]]
    assert titles and len(grid["data"]) == len(titles)
    stats = stored["statistics"].merge(docs[["doc_id", "province"]], on="doc_id")
    stats = stats[~stats["placeholder"]]
    for title, bars in zip(titles, grid["data"], strict=True):
        subject, _, unit = title.rstrip("）").partition("（")
        part = stats[stats["subject"].eq(subject) & stats["unit"].eq(unit)]
        expected = [float(part.loc[part["province"].eq(g), "value"].sum()) for g in ["河北省", "四川省"]]
        assert bars["x"] == ["河北省", "四川省"] and values(bars["y"]) == pytest.approx(expected)


def test_compare_document_types(downloads: dict[str, bytes], stored: dict[str, pd.DataFrame]) -> None:
    at = run(COMPARE, {"groups": "讲话|经验材料"})
    at.selectbox(key="cmp_by").set_value("doc_type")
    rerun(at)
    at.multiselect(key="cmp_groups").set_value(["讲话", "经验材料"])
    rerun(at)
    docs = stored["documents"]
    themes = csv(downloads["compare-themes-doc_type_all.csv"])
    speeches = docs[docs["doc_type"].eq("讲话")]
    assert set(themes.loc[themes["group"].eq("讲话"), "documents"]) == {len(speeches)}
    th = stored["themes"]
    row = themes[themes["group"].eq("讲话")].iloc[0]
    mentioning = th[th["doc_id"].isin(speeches["doc_id"]) & th["theme"].eq(row["theme"]) & th["hits"].gt(0)]
    assert row["mentioning"] == mentioning["doc_id"].nunique()
    shown = at.dataframe[0].value
    assert set(shown["group"]) <= {"讲话", "经验材料"} and (shown["log_ratio"] > 0).all()


def test_compare_needs_two_groups_and_empty(downloads: dict[str, bytes]) -> None:
    at = run(COMPARE, {"prov": "河北省"})
    at.multiselect(key="cmp_groups").set_value(["河北省"])
    rerun(at)
    assert [i.value for i in at.info] == ["当前筛选下按此分组只有 1 个组，无法对比；请换一种分组或放宽筛选。"]
    at = run(COMPARE, {"q": "不存在的说法"})
    assert [i.value for i in at.info] == [EMPTY]
