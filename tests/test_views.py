"""The pure helpers behind the pages: highlighting, map matching, counts, labels."""

from __future__ import annotations

import json

import hand_corpus
import pandas as pd
import pytest

from lib import highlight, i18n, maps, queries, schema


def spans(rows: list[tuple[int, int, str, str]]) -> pd.DataFrame:
    return schema.from_records(
        [{"start": s, "end": e, "kind": k, "label": "", "detail": d} for s, e, k, d in rows], "highlights"
    )


def test_highlight_escapes_and_nests() -> None:
    text = "曲周县政协<script>x</script>"
    html = highlight.document_html(text, spans([(0, 5, "org", "机构"), (0, 3, "place", '地名"<>')]))
    assert html == (
        '<div class="zx-doc"><mark class="zx-place zx-org" title="地名&quot;&lt;&gt; | 机构">曲周县</mark>'
        '<mark class="zx-org" title="机构">政协</mark>&lt;script&gt;x&lt;/script&gt;</div>'
    )


def test_highlight_ignores_spans_outside_the_text() -> None:
    html = highlight.document_html("两个全覆盖", spans([(3, 9, "slogan", ""), (-1, 2, "place", "")]))
    assert html == '<div class="zx-doc">两个全覆盖</div>'


def test_highlights_drop_offsets_that_do_not_slice_back() -> None:
    tables = hand_corpus.tables()
    rows = queries.document_rows(tables, "003.txt#01")
    good = queries.highlights(hand_corpus.QUZHOU, entities=rows["entities"], statistics=rows["statistics"])
    assert len(good) == 5 + 4
    shifted = rows["entities"].assign(start=rows["entities"]["start"] + 1, end=rows["entities"]["end"] + 1)
    moved = queries.highlights(hand_corpus.QUZHOU, entities=shifted, statistics=rows["statistics"].iloc[0:0])
    assert moved.empty
    for r in good.to_dict("records"):
        assert hand_corpus.QUZHOU[r["start"] : r["end"]] == r["label"]


def test_map_matching_by_adcode_full_and_short_name() -> None:
    counts = pd.DataFrame(
        {
            "region": ["河北省", "河北", "", "广西", "火星省"],
            "adcode": ["", "", "130435", "", ""],
            "documents": [2, 1, 4, 1, 1],
        }
    )
    matched = maps.match_regions(counts, level="province")
    got = dict(zip(matched["adcode"], matched["documents"], strict=True))
    assert got["130000"] == 7  # 河北省 + 河北 + a county adcode inside it
    assert got["450000"] == 1  # 广西 -> 广西壮族自治区
    assert got[""] == 1 and matched.loc[matched["adcode"].eq(""), "region"].tolist() == ["火星省"]
    assert (matched["adcode"].ne("")).sum() == 34


def test_cities_of_a_province() -> None:
    hebei = maps.within("city", "130000")
    assert sorted(f["properties"]["name"] for f in hebei["features"]) == sorted(
        [
            "石家庄市",
            "唐山市",
            "秦皇岛市",
            "邯郸市",
            "邢台市",
            "保定市",
            "张家口市",
            "承德市",
            "沧州市",
            "廊坊市",
            "衡水市",
        ]
    )
    level, parent = queries.map_area(hand_corpus.tables()["documents"], province="河北省")
    assert (level, parent) == ("city", "130000")
    level, parent = queries.map_area(hand_corpus.tables()["documents"], province="河北省", city="邯郸市")
    assert (level, parent) == ("county", "130400")


@pytest.mark.parametrize("level", ["province", "city", "county"])
def test_shipped_outlines_are_the_package_outlines_simplified(level: str) -> None:
    # data/outlines/ must be regenerated (python -m lib.maps) whenever the simplification changes
    assert maps.outline_file(level).exists()
    assert maps.outlines(level) == maps.simplified_outlines(level)


def test_shipped_outlines_hold_every_province_with_its_bounds() -> None:
    features = {f["id"]: f for f in maps.outlines("province")["features"]}
    assert len(features) == 34
    hebei = features["130000"]["properties"]
    assert (hebei["name"], hebei["short_name"]) == ("河北省", "河北")
    # 河北 lies between about 113.4–119.9 E and 36.0–42.7 N
    assert 113 < hebei["lon_min"] < 114 and 119 < hebei["lon_max"] < 120.5
    assert 35.5 < hebei["lat_min"] < 36.5 and 42 < hebei["lat_max"] < 43


def test_counts_by() -> None:
    docs = hand_corpus.tables()["documents"]
    by_type = queries.counts_by(docs, "doc_type")
    assert list(zip(by_type["group"], by_type["documents"], strict=True)) == [
        ("讲话", 3),
        ("新闻报道", 2),
        ("其他", 1),
        ("经验材料", 1),
    ]
    by_year = queries.counts_by(docs, "year", missing="无", order="group")
    assert list(by_year["group"]) == ["2018", "2019", "2021", "无"]
    assert queries.counts_by(docs.iloc[0:0], "year").empty
    figures = queries.overview_figures(docs)
    assert figures["documents"] == 7 and figures["regions"] == 5 and figures["types"] == 4


def test_labels() -> None:
    assert i18n.translate("overview.title") == "语料概览"
    assert i18n.translate("overview.title", "en") == "Corpus at a glance"
    assert i18n.translate("documents.count", "zh", n=3) == "当前筛选下共 3 篇文档"
    assert i18n.translate("no.such.key", "en") == "no.such.key"
    assert i18n.language("fr") == "zh"
    for key, entry in i18n.labels().items():
        assert entry["zh"] and entry["en"], key


def test_frozen_figure_draws_the_same_chart() -> None:
    """A frozen figure (made once, reused on every run) gives Plotly the same spec as the figure."""
    import base64

    import numpy as np
    import plotly.graph_objects as go
    import plotly.io

    from lib import ui

    counts = queries.counts_by(hand_corpus.tables()["documents"], "doc_type")
    fig = ui.bar_figure(counts, title="各类型的文档数", horizontal=True, docs_label="文档数")
    frozen = ui.frozen(fig)
    assert plotly.io.to_json(frozen, validate=False) == plotly.io.to_json(fig, validate=False)
    bar = frozen.to_dict()["data"][0]
    x = bar["x"]  # numbers travel as a typed array
    values = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]) if isinstance(x, dict) else x
    # 讲话 3 (唐山, 秦皇岛, 固安), 新闻报道 2 (曲周 and its copy), 经验材料 1, 其他 1; drawn bottom-up
    assert dict(zip(bar["y"], map(int, values), strict=True)) == {"讲话": 3, "新闻报道": 2, "经验材料": 1, "其他": 1}
    assert ui.frozen(frozen) is frozen
    assert isinstance(frozen, go.Figure)


@pytest.mark.parametrize(("level", "parent"), [("province", ""), ("city", "130000")])
def test_frozen_map_gives_the_same_spec_as_the_map(level: str, parent: str) -> None:
    """The map frozen without copying its outlines is the map Plotly gets from the whole figure."""
    import plotly.io

    from lib import ui

    counts = pd.DataFrame(
        {"region": ["河北省", "唐山市", "邯郸市"], "adcode": ["", "130200", ""], "documents": [2, 3, 1]}
    )
    matched = maps.match_regions(counts, level=level, parent_adcode=parent)
    whole = maps.choropleth(matched, level=level, parent_adcode=parent, value_label="文档数")
    frozen = ui.frozen_choropleth(matched, level=level, parent_adcode=parent, value_label="文档数")
    assert frozen.to_dict() == json.loads(plotly.io.to_json(whole, validate=False))
    trace = frozen.to_dict()["data"][0]
    assert trace["geojson"] is maps.area(level, parent)  # shared, not copied
    shown = dict(zip(trace["locations"], trace["text"], strict=True))
    if level == "province":
        assert shown["130000"] == "河北省" and len(shown) == 34
    else:  # the cities of 河北: 唐山 by adcode, 邯郸 by name
        assert len(shown) == 11 and shown["130200"] == "唐山市" and shown["130400"] == "邯郸市"
