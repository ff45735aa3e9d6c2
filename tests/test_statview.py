"""lib/statview.py: the statistics with region and title, the view's filters, counts by
category and one subject across regions — on hand-made rows and on the built seed corpus.

Expected values come from reading the texts: seed 003 (曲周县) states 共撰写提案142件 and
将全县72名党员委员; the speech of 承德市 (seed 002) 近4万件 惠民实事; the template text of
seed 001 writes X名党员委员.
"""

from __future__ import annotations

import pandas as pd
import pytest
import seed_corpus

from lib import filters, schema, statview
from lib.links import document_url, document_urls

DOCS = schema.from_records(
    [
        {"doc_id": "q", "title": "曲周县政协在河北省率先实现“两个全覆盖”", "province": "河北省", "city": "邯郸市",
         "county": "曲周县"},
        {"doc_id": "c", "title": "立足政协特点 推动党建工作", "province": "河北省", "city": "承德市", "county": ""},
        {"doc_id": "t", "title": "党建工作模板", "province": "", "city": "", "county": ""},
    ],
    "documents",
)  # fmt: skip
STATS = schema.from_records(
    [
        {"doc_id": "q", "start": 10, "end": 14, "surface": "142件", "number_text": "142", "value": 142.0, "unit": "件",
         "subject": "提案", "category": "outputs", "sentence": "今年以来,共撰写提案142件"},
        {"doc_id": "q", "start": 20, "end": 23, "surface": "72名", "number_text": "72", "value": 72.0, "unit": "名",
         "subject": "党员委员", "category": "people", "sentence": "将全县72名党员委员,科学编入8个界别党支部"},
        {"doc_id": "q", "start": 30, "end": 35, "surface": "1—3名", "number_text": "1—3", "value": 1.0,
         "value_max": 3.0, "unit": "名", "subject": "党外委员", "category": "people",
         "sentence": "每名党员委员联系帮带1—3名党外委员"},
        {"doc_id": "c", "start": 5, "end": 10, "surface": "近4万件", "number_text": "近4万", "value": 40000.0,
         "unit": "件", "subject": "惠民实事", "qualifier": "近", "approx": True, "category": "outputs",
         "sentence": "累计办惠民实事近4万件"},
        {"doc_id": "c", "start": 12, "end": 15, "surface": "12名", "number_text": "12", "value": 12.0, "unit": "名",
         "subject": "党员委员", "category": "people", "sentence": "12名党员委员"},
        {"doc_id": "t", "start": 0, "end": 2, "surface": "X名", "number_text": "X", "unit": "名",
         "subject": "党员委员", "placeholder": True, "category": "people", "sentence": "X名党员委员"},
    ],
    "statistics",
)  # fmt: skip


def rows() -> pd.DataFrame:
    return statview.statistic_rows(STATS, DOCS, missing="未识别")


def test_statistic_rows_add_region_and_title() -> None:
    out = rows()
    schema.check(out, "statistic_rows")
    assert list(out["region"]) == ["曲周县", "曲周县", "曲周县", "承德市", "承德市", "未识别"]
    assert out["title"].iloc[3] == "立足政协特点 推动党建工作"
    # as written and as a value
    row = out.iloc[3]
    assert (row["surface"], row["number_text"], row["value"], row["qualifier"]) == ("近4万件", "近4万", 40000.0, "近")


def test_placeholders_hidden_by_default() -> None:
    assert "X名" not in set(statview.filter_rows(rows())["surface"])
    assert "X名" in set(statview.filter_rows(rows(), placeholders=True)["surface"])


@pytest.mark.parametrize(
    ("options", "surfaces"),
    [
        ({}, ["142件", "72名", "1—3名", "近4万件", "12名"]),
        ({"units": ["件"]}, ["142件", "近4万件"]),
        ({"categories": ["people"]}, ["72名", "1—3名", "12名"]),
        ({"subject": "党员"}, ["72名", "12名"]),
        ({"subject": "委员 党外"}, ["1—3名"]),  # every word must occur
        ({"subject": "提案"}, ["142件"]),
        ({"approx": "approx"}, ["近4万件"]),
        ({"approx": "exact", "units": ["件"]}, ["142件"]),
        ({"units": ["吨"]}, []),
    ],
)
def test_filter_rows(options: dict[str, object], surfaces: list[str]) -> None:
    out = statview.filter_rows(rows(), **options)  # type: ignore[arg-type]
    schema.check(out, "statistic_rows")
    assert list(out["surface"]) == surfaces
    mask = statview.row_mask(rows(), **options)  # type: ignore[arg-type]
    assert mask.dtype == bool and len(mask) == len(rows())
    assert list(rows()["surface"][mask]) == surfaces  # the same rows, marked instead of copied


def test_filter_rows_rejects_unknown_choice() -> None:
    with pytest.raises(ValueError):
        statview.filter_rows(rows(), approx="roughly")
    with pytest.raises(ValueError):
        statview.row_mask(rows(), approx="roughly")


def test_counts_and_options() -> None:
    shown = statview.filter_rows(rows())
    counts = statview.category_counts(shown)
    schema.check(counts, "category_counts")
    assert list(zip(counts["category"], counts["statistics"], counts["documents"], strict=True)) == [
        ("people", 3, 2),
        ("outputs", 2, 2),
    ]
    assert statview.options(shown, "unit") == ["名", "件"]  # 名 three times, 件 twice


def test_subject_units_and_values() -> None:
    shown = statview.filter_rows(rows())
    subjects = statview.subject_units(shown)
    schema.check(subjects, "subject_units")
    first = subjects.iloc[0]
    # 党员委员 in 名 is stated in two regions (曲周县 72, 承德市 12)
    assert (first["subject"], first["unit"], first["regions"], first["figures"]) == ("党员委员", "名", 2, 2)
    values = statview.subject_values(shown, subject="党员委员", unit="名")
    assert list(zip(values["region"], values["value"], strict=True)) == [("承德市", 12.0), ("曲周县", 72.0)]
    # placeholders have no value and never reach the chart
    with_ph = statview.filter_rows(rows(), placeholders=True)
    assert len(statview.subject_values(with_ph, subject="党员委员", unit="名")) == 2


def test_empty_inputs() -> None:
    for out, name in [
        (statview.statistic_rows(STATS.iloc[0:0], DOCS), "statistic_rows"),
        (statview.filter_rows(schema.empty("statistic_rows"), units=["件"]), "statistic_rows"),
        (statview.category_counts(schema.empty("statistic_rows")), "category_counts"),
        (statview.subject_units(schema.empty("statistic_rows")), "subject_units"),
        (statview.subject_values(schema.empty("statistic_rows"), subject="提案", unit="件"), "statistic_rows"),
    ]:
        assert out.empty
        schema.check(out, name)
    assert statview.options(schema.empty("statistic_rows"), "unit") == []


def test_document_links_keep_the_filters() -> None:
    params = filters.to_query_params(filters.Filters(province="河北省", themes=("组织建设", "界别工作")))
    url = document_url("003_43cb40c7cae0b93c.txt#01", params=params)
    assert url.startswith("documents?doc=003_43cb40c7cae0b93c.txt%2301&")
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(url).query)
    assert query["doc"] == ["003_43cb40c7cae0b93c.txt#01"]
    assert filters.from_query_params(query) == filters.Filters(province="河北省", themes=("界别工作", "组织建设"))
    assert document_urls(["a", "b", "a"], params={}) == ["documents?doc=a", "documents?doc=b", "documents?doc=a"]


# ---------------------------------------------------------------- the built seed corpus


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    return seed_corpus.tables(seed_corpus.build(tmp_path_factory.getbasetemp()))


def test_seed_hebei_rows(seed: dict[str, pd.DataFrame]) -> None:
    hebei = filters.apply(filters.Filters(province="河北省"), seed)
    out = statview.filter_rows(statview.statistic_rows(hebei["statistics"], hebei["documents"]))
    quzhou = out[out["region"].eq("曲周县")]
    stated = set(zip(quzhou["surface"], quzhou["subject"], quzhou["value"], strict=True))
    assert ("142件", "提案", 142.0) in stated  # 今年以来,共撰写提案142件
    assert ("72名", "党员委员", 72.0) in stated  # 将全县72名党员委员
    assert set(out["region"]) >= {"曲周县", "承德市", "唐山市", "秦皇岛市"}
    chengde = out[out["region"].eq("承德市")].set_index("surface")
    # 近4万件: as written, and 40000 as a value with its qualifier
    assert chengde.loc["近4万件", "value"] == 40000.0 and chengde.loc["近4万件", "qualifier"] == "近"
    assert chengde.loc["近4万件", "number_text"] == "近4万"
    docs = hebei["documents"]
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str), strict=True))
    for row in out.to_dict("records"):
        assert texts[row["doc_id"]][int(row["start"]) : int(row["end"])] == row["surface"]
    # the template texts are not issued in 河北省: no placeholder reaches this view
    assert not out["placeholder"].any()


def test_seed_placeholders_and_subjects(seed: dict[str, pd.DataFrame]) -> None:
    every = statview.statistic_rows(seed["statistics"], seed["documents"])
    hidden = statview.filter_rows(every)
    shown = statview.filter_rows(every, placeholders=True)
    # seed 001 part 2 is a template: 两年来,X名党员委员共捐赠支持物资…
    ph = shown[shown["placeholder"]]
    assert ("X名", "党员委员") in set(zip(ph["surface"], ph["subject"], strict=True))
    assert len(hidden) == len(shown) - len(ph)
    party = statview.subject_values(hidden, subject="党员委员", unit="名")
    assert ("曲周县", 72.0) in set(zip(party["region"], party["value"], strict=True))
    assert party["value"].notna().all()
