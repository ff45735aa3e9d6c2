"""Every page of the app under the default filters and several combinations (AppTest).

The app reads the hand-read corpus of tests/hand_corpus.py, so each expected number
below comes from reading those passages: 7 documents, 5 of them issued in 河北省,
2 of them the same 曲周县 news story (one a reprint), 3 speeches dated 2019.
"""

from __future__ import annotations

from pathlib import Path

import apptest_support
import hand_corpus
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib import store, ui

ROOT = Path(__file__).resolve().parent.parent
OVERVIEW = "pages/overview.py"
DOCUMENTS = "pages/documents.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hand_corpus.write(tmp_path_factory.mktemp("hand") / "processed")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> dict[str, bytes]:
    return apptest_support.spy_downloads(monkeypatch, corpus)


def run(params: dict[str, str | list[str]] | None = None, page: str | None = None) -> AppTest:
    return apptest_support.run_app(page=page, params=params, timeout=90)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


charts = apptest_support.charts


def url_list(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def csv(data: bytes) -> pd.DataFrame:
    return apptest_support.read_csv(data, as_text=True)


def test_overview_default(downloads: dict[str, bytes]) -> None:
    at = run()
    assert at.title[0].value == "语料概览"
    got = metrics(at)
    assert got["文档数"] == "7"
    # 曲周县, 唐山市, 秦皇岛市, 固安县, 北京市
    assert got["涉及地区"] == "5"
    assert got["年份"] == "3"  # 2018, 2019, 2021
    assert got["来源文件"] == "5"
    specs = charts(at)
    assert len(specs) == 5  # map, type, year, region, source file
    geo = specs[0]["data"][0]
    assert geo["type"] == "choropleth"
    counts = dict(zip(geo["locations"], geo["z"], strict=True))
    assert counts["130000"] == 5 and counts["110000"] == 1 and counts["440000"] == 0
    # every chart and the table has its download
    assert len(at.get("download_button")) == 6
    table = at.dataframe[0].value
    assert len(table) == 7 and "text" not in table.columns
    shown = csv(downloads["overview-documents_all.csv"])
    assert list(shown["doc_id"]) == list(table["doc_id"])
    by_year = csv(downloads["overview-by-year_all.csv"])
    assert dict(zip(by_year["group"], by_year["documents"], strict=True)) == {
        "2018": "2",
        "2019": "3",
        "2021": "1",
        "（无日期）": "1",
    }
    # the only navigation is ours: two page links, no automatic page list
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert labels[:2] == ["概览", "文档阅读"] and len(labels) == len(ui.PAGES)


def test_overview_province_shows_its_cities(downloads: dict[str, bytes]) -> None:
    at = run({"prov": "河北省"})
    assert metrics(at)["文档数"] == "5"
    assert at.sidebar.selectbox(key="flt_province").value == "河北省"
    geo = charts(at)[0]["data"][0]
    # zoomed to 河北省: its city outlines (adcodes 13xx00), 邯郸 2 documents, 唐山 1, 廊坊 1
    assert all(code.startswith("13") for code in geo["locations"])
    counts = dict(zip(geo["locations"], geo["z"], strict=True))
    assert counts["130400"] == 2 and counts["130200"] == 1 and counts["131000"] == 1 and counts["130300"] == 1
    regions = csv(downloads["overview-by-region_河北省.csv"])
    assert dict(zip(regions["group"], regions["documents"], strict=True)) == {
        "曲周县": "2",
        "唐山市": "1",
        "秦皇岛市": "1",
        "固安县": "1",
    }
    table = csv(downloads["overview-documents_河北省.csv"])
    assert set(table["province"]) == {"河北省"} and len(table) == 5
    # the filter is written back to the URL
    assert at.query_params.get("prov") == "河北省"


def test_overview_theme_and_reprints(downloads: dict[str, bytes]) -> None:
    at = run({"theme": "组织覆盖"})
    assert metrics(at)["文档数"] == "3"
    at = run({"theme": "组织覆盖", "once": "1"})
    assert metrics(at)["文档数"] == "2"
    table = csv(downloads["overview-documents_组织覆盖_once.csv"])
    assert sorted(table["doc_id"]) == ["002.md#07", "003.txt#01"]


def test_overview_date_range(downloads: dict[str, bytes]) -> None:
    at = run({"from": "2019-01-01", "to": "2019-12-31"})
    assert metrics(at)["文档数"] == "3"
    assert at.sidebar.date_input(key="flt_date").value == (
        pd.Timestamp("2019-01-01").date(),
        pd.Timestamp("2019-12-31").date(),
    )
    types = csv(downloads["overview-by-type_2019-01-01~2019-12-31.csv"])
    assert dict(zip(types["group"], types["documents"], strict=True)) == {"讲话": "3"}


def test_empty_result_is_a_friendly_message(downloads: dict[str, bytes]) -> None:
    for page in (None, DOCUMENTS):
        at = run({"q": "不存在的说法"}, page=page)
        assert [i.value for i in at.info] == ["没有符合当前筛选条件的文档。请放宽或清除左侧的筛选条件。"]
        assert not at.get("plotly_chart") and not at.dataframe


def test_english_switch(downloads: dict[str, bytes]) -> None:
    at = run({"lang": "en"})
    assert at.title[0].value == "Corpus at a glance"
    assert metrics(at)["Documents"] == "7"
    at.button_group[0].set_value("zh").run()
    assert at.title[0].value == "语料概览"
    assert "lang" not in at.query_params


def test_filters_survive_a_page_change(downloads: dict[str, bytes]) -> None:
    at = run({"prov": "河北省", "type": "讲话"})
    assert metrics(at)["文档数"] == "3"
    at.switch_page(DOCUMENTS).run()
    assert not at.exception
    picker = at.selectbox(key="doc_pick")
    assert picker.options and len(picker.options) == 3
    assert at.sidebar.multiselect(key="flt_doc_types").value == ["讲话"]
    assert at.query_params.get("prov") == "河北省" and at.query_params.get("type") == "讲话"


def test_sidebar_widget_changes_the_data(downloads: dict[str, bytes]) -> None:
    at = run()
    at.sidebar.selectbox(key="flt_province").set_value("河北省").run()
    at.sidebar.selectbox(key="flt_city").set_value("邯郸市").run()
    assert metrics(at)["文档数"] == "2"
    assert at.sidebar.selectbox(key="flt_city").options == ["（全部）", "唐山市", "廊坊市", "秦皇岛市", "邯郸市"]
    assert at.query_params.get("city") == "邯郸市"
    # a city filter zooms the map to that city's counties (曲周县 130435)
    geo = charts(at)[0]["data"][0]
    assert all(code.startswith("1304") for code in geo["locations"])
    assert dict(zip(geo["locations"], geo["z"], strict=True))["130435"] == 2


def test_document_reader_highlights(downloads: dict[str, bytes]) -> None:
    at = run({"doc": "003.txt#01"}, page=DOCUMENTS)
    assert at.selectbox(key="doc_pick").value == "003.txt#01"
    body = at.get("html")[0].proto.body
    assert '<mark class="zx-statistic" title="统计数字 · 72名 · 党员委员 · members">72名党员委员</mark>' in body
    assert '<mark class="zx-person" title="人物 · 李占文 · 政协主席">李占文</mark>' in body
    # 曲周县 (place) inside 曲周县政协 (org): both classes, the shorter span first
    assert '<mark class="zx-place zx-org"' in body
    entities = csv(downloads["document-entities_all.csv"])
    assert sorted(entities["text"]) == sorted(["曲周县", "河北省", "邯郸市", "曲周县政协", "李占文"])
    stats = csv(downloads["document-statistics_all.csv"])
    assert sorted(stats["surface"]) == sorted(["16个界别", "8个临时党支部", "72名党员委员", "3861名县级政协委员"])
    assert at.query_params.get("doc") == "003.txt#01"


def test_document_text_is_escaped(downloads: dict[str, bytes]) -> None:
    at = run({"doc": "web.html#01"}, page=DOCUMENTS)
    body = at.get("html")[0].proto.body
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in body
    assert "&lt;b&gt;加粗&lt;/b&gt;" in body
    assert "<script" not in body and "<b>" not in body
    evidence = [t.value for t in at.text]
    assert "测试：<script>alert('evidence')</script>" in evidence  # st.text shows it as plain text


def test_template_warning(downloads: dict[str, bytes]) -> None:
    at = run({"doc": "000.txt#01"}, page=DOCUMENTS)
    assert [w.value for w in at.warning] == ["这是一篇模板文本（含 X县、XX名 等占位符）。"]
    stats = csv(downloads["document-statistics_all.csv"])
    assert list(stats["surface"]) == ["230名政协委员"]
    # "X县政协于XX年": the marks X and XX are placeholders (the word after them is not)
    body = at.get("html")[0].proto.body
    mark = '<mark class="zx-placeholder" title="占位符">'
    assert f"{mark}X</mark>县政协于{mark}XX</mark>年" in body
    assert list(csv(downloads["document-placeholders_all.csv"])["label"]) == ["X", "XX"]


def test_real_build_renders_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled corpus through the real build: every page runs without an exception."""
    from lib.build import build

    out = tmp_path / "processed"
    build([ROOT / "data" / "corpus"], out=out, workers=1)
    monkeypatch.setenv(ui.CORPUS_ENV, str(out))
    for page in (None, DOCUMENTS):
        at = run(page=page)
        assert at.title
        assert at.get("download_button")
    docs = pd.read_parquet(out / "documents.parquet")
    at = run()
    assert metrics(at)["文档数"] == str(len(docs))


def test_missing_corpus_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ui.CORPUS_ENV, str(tmp_path / "not-built"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "尚未生成数据表：在项目目录运行 `./manage build`（或 `python -m lib build`）后刷新本页。"
    ]


def test_caption_names_the_active_filters(downloads: dict[str, bytes]) -> None:
    at = run({"prov": "河北省", "level": "county", "q": "全覆盖", "once": "1"})
    assert at.caption[0].value == "当前筛选：河北省 · 县级 · 全文检索“全覆盖” · 转载只计一次"
    assert metrics(at)["文档数"] == "2"  # 003 (its reprint dropped) and 固安县's speech


def test_many_source_files_are_found_by_typing(monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]) -> None:
    # Five source files (003.txt, 003-copy.txt, 002.md with three documents, 000.txt, web.html):
    # above a limit of four the sidebar stops listing them and offers a search box instead.
    monkeypatch.setattr(ui, "SOURCE_OPTIONS_MAX", 4)
    at = run()
    sources = at.sidebar.multiselect(key="flt_sources")
    assert sources.options == [] and sources.value == []
    at.sidebar.text_input(key="flt_source_find").input("003").run()
    assert not at.exception
    sources = at.sidebar.multiselect(key="flt_sources")
    assert sources.options == ["003-copy.txt", "003.txt"]
    assert "2 个文件匹配。" in [c.value for c in at.sidebar.caption]
    sources.select("003.txt").run()
    assert metrics(at)["文档数"] == "1"
    assert url_list(at, "src") == ["003.txt"]
    # a new search keeps what was chosen and offers the new matches; case does not matter
    at.sidebar.text_input(key="flt_source_find").input("002.MD").run()
    sources = at.sidebar.multiselect(key="flt_sources")
    assert sources.options == ["003.txt", "002.md"] and sources.value == ["003.txt"]
    sources.select("002.md").run()
    assert metrics(at)["文档数"] == "4"  # 003.txt#01 and the three documents of 002.md
    assert sorted(url_list(at, "src")) == ["002.md", "003.txt"]


def test_many_source_files_from_the_url(monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]) -> None:
    monkeypatch.setattr(ui, "SOURCE_OPTIONS_MAX", 4)
    monkeypatch.setattr(ui, "SOURCE_MATCHES_SHOWN", 2)
    at = run({"src": ["002.md", "missing.txt"]})
    assert metrics(at)["文档数"] == "3"
    sources = at.sidebar.multiselect(key="flt_sources")
    assert sources.value == ["002.md"] and sources.options == ["002.md"]
    assert url_list(at, "src") == ["002.md"]
    # three names end in .txt (000.txt, 003-copy.txt, 003.txt): the first two are offered
    at.sidebar.text_input(key="flt_source_find").input(".txt").run()
    sources = at.sidebar.multiselect(key="flt_sources")
    assert sources.options == ["002.md", "000.txt", "003-copy.txt"]
    assert "共 3 个文件匹配，下方列出前 2 个；输入更多字符可缩小范围。" in [c.value for c in at.sidebar.caption]
    # clearing the filters empties the search box too
    at.sidebar.button(key="flt_reset").click().run()
    assert at.sidebar.text_input(key="flt_source_find").value == ""
    assert metrics(at)["文档数"] == "7" and "src" not in at.query_params


def test_large_counts_fit_their_tile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The hand corpus with every text two hundred times over: 200 × 932 characters.
    built = hand_corpus.tables()
    docs = built["documents"]
    docs["text"] = docs["text"] * 200
    docs["n_chars"] = docs["text"].str.len()
    total = 200 * sum(len(str(row["text"])) for row in hand_corpus.DOCUMENTS)
    assert total == 186_400
    store.write_tables(tmp_path, built, {"built_at": "2026-01-01T00:00:00+00:00"})
    monkeypatch.setenv(ui.CORPUS_ENV, str(tmp_path))
    at = run()
    tile = next(m for m in at.metric if m.label == "字符数")
    assert tile.value == "18.6万" and tile.proto.help == "准确数值：186,400"
    documents = next(m for m in at.metric if m.label == "文档数")
    assert documents.value == "7" and not documents.proto.help
    at = run({"lang": "en"})
    tile = next(m for m in at.metric if m.label == "Characters")
    assert tile.value == "186.4K" and tile.proto.help == "Exact figure: 186,400"
