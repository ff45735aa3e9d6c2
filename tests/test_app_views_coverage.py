"""The coverage and extracted-statistics pages (AppTest) on the built seed corpus.

Expected numbers come from reading data/corpus: under 河北省 the corpus has eight
documents (seven speeches of seed 002 and the 曲周县 story of seed 003); the 曲周县 story
states 共撰写提案142件 and 将全县72名党员委员; only the speeches of 唐山市 (严格落实疫情防控
要求) and 固安县 (疫情防控等重大活动) speak of the epidemic; 固安县's speech twice says
推动党的工作向政协委员全覆盖; 承德市's speech 累计办惠民实事近4万件.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import apptest_support
import pandas as pd
import pytest
import seed_corpus
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
COVERAGE = "pages/coverage.py"
STATISTICS = "pages/statistics.py"
EMPTY = "没有符合当前筛选条件的文档。请放宽或清除左侧的筛选条件。"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_corpus.build(tmp_path_factory.getbasetemp())


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> dict[str, bytes]:
    return apptest_support.spy_downloads(monkeypatch, corpus)


def run(page: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    return apptest_support.run_app(page=page, params=params)


charts = apptest_support.charts


def csv(data: bytes) -> pd.DataFrame:
    return apptest_support.read_csv(data, as_text=True)


# each table by the columns only it has
TABLES = {
    "stat_table": {"number_text", "link"},
    "cov_figures_table": {"kind", "surface", "link"},
    "cov_claims_table": {"claim", "covers", "link"},
}


def table(at: AppTest, name: str) -> pd.DataFrame:
    found = [f.value for f in at.dataframe if TABLES[name] <= set(f.value.columns)]
    assert len(found) == 1, f"{len(found)} tables look like {name}"
    return found[0]


# ---------------------------------------------------------------- extracted statistics


def test_statistics_hebei_lists_quzhou_figures(downloads: dict[str, bytes]) -> None:
    at = run(STATISTICS, {"prov": "河北省"})
    assert at.title[0].value == "统计数字"
    shown = table(at, "stat_table")
    quzhou = shown[shown["region"].eq("曲周县")]
    stated = set(zip(quzhou["surface"], quzhou["subject"], quzhou["value"], strict=True))
    assert ("142件", "提案", 142.0) in stated
    assert ("72名", "党员委员", 72.0) in stated
    assert set(shown["region"]) <= {"河北省", "唐山市", "秦皇岛市", "保定市", "承德市", "复兴区", "固安县", "曲周县"}
    chengde = shown[shown["region"].eq("承德市")].set_index("surface")
    assert chengde.loc["近4万件", "number_text"] == "近4万" and chengde.loc["近4万件", "value"] == 40000.0
    # every row links to its document on the reader, with the filter kept
    link = str(quzhou["link"].iloc[0])
    query = parse_qs(urlsplit(link).query)
    assert link.startswith("documents?") and query["doc"] == [seed_corpus.SEED_003] and query["prov"] == ["河北省"]
    # the CSV holds exactly the rows shown (without the link)
    got = csv(downloads["statistics_河北省.csv"])
    assert list(got["surface"]) == list(shown["surface"]) and "link" not in got.columns
    assert len(at.get("plotly_chart")) == 2  # by category, one subject across regions
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["统计数字"] == str(len(shown))
    assert metrics["文档数"] == str(shown["doc_id"].nunique())


def test_statistics_filters(downloads: dict[str, bytes]) -> None:
    at = run(STATISTICS)
    every = table(at, "stat_table")
    assert not every["placeholder"].any()  # placeholders hidden by default
    at.toggle(key="stat_placeholders").set_value(True).run()
    with_ph = table(at, "stat_table")
    ph = with_ph[with_ph["placeholder"]]
    # seed 001's template: 两年来,X名党员委员共捐赠支持物资…
    assert ("X名", "党员委员") in set(zip(ph["surface"], ph["subject"], strict=True))
    assert len(with_ph) == len(every) + len(ph)
    at.toggle(key="stat_placeholders").set_value(False).run()
    at.text_input(key="stat_subject").set_value("党员委员").run()
    party = table(at, "stat_table")
    assert set(party["subject"].str.contains("党员委员")) == {True}
    assert ("曲周县", "72名") in set(zip(party["region"], party["surface"], strict=True))
    at.text_input(key="stat_subject").set_value("").run()
    at.multiselect(key="stat_units").set_value(["件"]).run()
    at.button_group(key="stat_approx").set_value("approx").run()
    approx = table(at, "stat_table")
    assert set(approx["unit"]) == {"件"} and approx["approx"].all()
    assert "近4万件" in set(approx["surface"]) and "142件" not in set(approx["surface"])
    counts = csv(downloads["statistics-by-category_all.csv"])
    assert int(counts["statistics"].astype(int).sum()) == len(approx)


def test_statistics_subject_across_regions(downloads: dict[str, bytes]) -> None:
    at = run(STATISTICS, {"prov": "河北省"})
    picker = at.selectbox(key="stat_pick")
    # 党员委员 in 名: 曲周县 72名, and 秦皇岛市 每名市委常委联系1-2名党员委员
    assert any(o.startswith("党员委员（名）· 2 个地区") for o in picker.options)
    picker.set_value("党员委员\t名").run()
    assert not at.exception
    scatter = charts(at)[1]["data"][0]
    points = set(zip(scatter["x"], scatter["text"], strict=True))
    assert ("曲周县", "72名") in points  # 将全县72名党员委员
    values = csv(downloads["statistics-subject-党员委员-名_河北省.csv"])
    assert set(zip(values["region"], values["value"].astype(float), strict=True)) == {
        ("曲周县", 72.0),
        ("秦皇岛市", 1.0),
    }
    assert ("秦皇岛市", "2.0") in set(zip(values["region"], values["value_max"], strict=True))  # 1-2名


def test_statistics_nothing_matches(downloads: dict[str, bytes]) -> None:
    at = run(STATISTICS, {"prov": "河北省"})
    at.text_input(key="stat_subject").set_value("不存在的对象").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["没有符合这些条件的统计数字。请放宽上面的条件或左侧的筛选。"]
    assert not at.get("plotly_chart")


# ---------------------------------------------------------------- coverage


def test_coverage_heatmap_counts(downloads: dict[str, bytes]) -> None:
    at = run(COVERAGE, {"prov": "河北省"})
    assert at.title[0].value == "覆盖分析"
    heat = charts(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and heat["y"] == ["河北省"]
    cells = dict(zip(heat["x"], heat["z"][0], strict=True))
    assert cells["疫情防控"] == 2  # 唐山市 and 固安县
    long = csv(downloads["coverage-heatmap-province_河北省.csv"])
    row = long[long["theme"].eq("疫情防控")].iloc[0]
    assert (row["mentioning"], row["documents"]) == ("2", "8")
    # per city: 唐山市 and 廊坊市 (固安县) speak of it, 邯郸市 (复兴区, 曲周县) does not
    at.button_group(key="cov_level").set_value("city").run()
    heat = charts(at)[0]["data"][0]
    epidemic = heat["x"].index("疫情防控")
    by_city = {region: z[epidemic] for region, z in zip(heat["y"], heat["z"], strict=True)}
    assert by_city["唐山市"] == 1 and by_city["廊坊市"] == 1 and by_city["邯郸市"] == 0
    at.button_group(key="cov_measure").set_value("share").run()
    heat = charts(at)[0]["data"][0]
    shares = {region: z[heat["x"].index("疫情防控")] for region, z in zip(heat["y"], heat["z"], strict=True)}
    assert shares["唐山市"] == 1.0 and shares["邯郸市"] == 0.0


def test_coverage_map_under_a_province(downloads: dict[str, bytes]) -> None:
    at = run(COVERAGE, {"prov": "河北省"})
    at.selectbox(key="cov_theme").set_value("疫情防控").run()
    geo = charts(at)[1]["data"][0]
    assert geo["type"] == "choropleth"
    assert all(code.startswith("13") for code in geo["locations"])  # the cities of 河北省
    z = dict(zip(geo["locations"], geo["z"], strict=True))
    assert z["130200"] == 1 and z["131000"] == 1 and z["130400"] == 0  # 唐山, 廊坊, 邯郸
    shown = csv(downloads["coverage-map-疫情防控_河北省.csv"])
    assert set(shown["region"]) == {"唐山市", "秦皇岛市", "邯郸市", "保定市", "承德市", "廊坊市"}


def test_coverage_figures_and_claims(downloads: dict[str, bytes]) -> None:
    at = run(COVERAGE, {"prov": "河北省"})
    figures = table(at, "cov_figures_table")
    quzhou = figures[figures["region"].eq("曲周县")]
    stated = set(zip(quzhou["kind"], quzhou["surface"], quzhou["subject"], strict=True))
    assert ("党员委员", "72名", "党员委员") in stated
    assert ("党支部", "8个", "临时党支部") in stated and ("界别", "16个", "界别") in stated
    assert quzhou["link"].str.contains("doc=003_43cb40c7cae0b93c.txt%2301", regex=False).all()
    claims = table(at, "cov_claims_table")
    assert list(claims.loc[claims["region"].eq("固安县"), "claim"]) == ["党的工作向政协委员全覆盖"] * 2
    assert "两个全覆盖" in set(claims.loc[claims["region"].eq("曲周县"), "claim"])
    summary = csv(downloads["coverage-summary_河北省.csv"])
    row = summary[summary["region"].eq("曲周县") & summary["kind"].eq("党员委员")].iloc[0]
    assert row["stated"] == "72名党员委员"
    assert csv(downloads["coverage-claims_河北省.csv"]).shape[0] == len(claims)


def test_coverage_empty_filter(downloads: dict[str, bytes]) -> None:
    for page in (COVERAGE, STATISTICS):
        at = run(page, {"q": "不存在的说法"})
        assert [i.value for i in at.info] == [EMPTY]
        assert not at.get("plotly_chart") and not at.dataframe


def test_coverage_in_english(downloads: dict[str, bytes]) -> None:
    at = run(COVERAGE, {"lang": "en", "prov": "河北省"})
    assert at.title[0].value == "Coverage"
    assert charts(at)[0]["data"][0]["y"] == ["河北省"]


def test_coverage_heatmap_keeps_the_largest_regions(downloads: dict[str, bytes]) -> None:
    at = run(COVERAGE)
    at.button_group(key="cov_level").set_value("city").run()
    assert len(charts(at)[0]["data"][0]["y"]) == 8  # 邯郸市 (2 documents) and seven other cities
    at.number_input(key="cov_top").set_value(2).run()
    heat = charts(at)[0]["data"][0]
    assert len(heat["y"]) == 2 and heat["y"][0] == "邯郸市"
    assert "显示文档最多的 2 个地区（共 8 个）。" in [c.value for c in at.caption]
    shown = csv(downloads["coverage-heatmap-city_all.csv"])
    assert set(shown["region"]) == set(heat["y"])
