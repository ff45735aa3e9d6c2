"""The shared filters: which documents pass, every table follows, URL round-trip, file names."""

from __future__ import annotations

import io

import hand_corpus
import pandas as pd
import pyarrow as pa
import pytest

from lib import export, filters, queries, schema, textstore
from lib.filters import Filters

ALL = {
    "003.txt#01",
    "003-copy.txt#01",
    "002.md#01",
    "002.md#03",
    "002.md#07",
    "000.txt#01",
    "web.html#01",
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return hand_corpus.tables()


def kept(f: Filters, tables: dict[str, pd.DataFrame]) -> set[str]:
    return set(filters.apply(f, tables)["documents"]["doc_id"])


CASES = [
    (Filters(), ALL),
    (Filters(province="河北省"), {"003.txt#01", "003-copy.txt#01", "002.md#01", "002.md#03", "002.md#07"}),
    (Filters(province="河北省", city="邯郸市"), {"003.txt#01", "003-copy.txt#01"}),
    (Filters(province="河北省", city="廊坊市", county="固安县"), {"002.md#07"}),
    (Filters(levels=("county",)), {"003.txt#01", "003-copy.txt#01", "002.md#07"}),
    (Filters(levels=("unknown",)), {"000.txt#01"}),
    # 000 carries the theme with 0 hits: it does not count as mentioning it
    (Filters(themes=("组织覆盖",)), {"003.txt#01", "003-copy.txt#01", "002.md#07"}),
    (
        Filters(themes=("组织覆盖", "理论学习")),
        {"003.txt#01", "003-copy.txt#01", "002.md#01", "002.md#03", "002.md#07"},
    ),
    (Filters(doc_types=("讲话",)), {"002.md#01", "002.md#03", "002.md#07"}),
    (Filters(sources=("002.md", "web.html")), {"002.md#01", "002.md#03", "002.md#07", "web.html#01"}),
    (Filters(search="李占文"), {"003.txt#01", "003-copy.txt#01"}),
    (Filters(search="<SCRIPT>"), {"web.html#01"}),  # case-insensitive, literal (no regex)
    (Filters(search="理论学习+思想"), {"002.md#01"}),
    (Filters(reprints_once=True), ALL - {"003-copy.txt#01"}),
    (Filters(province="河北省", doc_types=("新闻报道",), reprints_once=True), {"003.txt#01"}),
    (Filters(search="不存在的说法"), set()),
    (Filters(province="广东省"), set()),
]


@pytest.mark.parametrize(("chosen", "expected"), CASES)
def test_which_documents_pass(chosen: Filters, expected: set[str], tables: dict[str, pd.DataFrame]) -> None:
    assert kept(chosen, tables) == expected


@pytest.mark.parametrize(("chosen", "expected"), CASES)
def test_restricted_tables_without_the_text(
    chosen: Filters, expected: set[str], tables: dict[str, pd.DataFrame]
) -> None:
    """The lazy form the app uses: documents held without their text, the search asking a text store."""
    texts = textstore.TextStore([pa.Table.from_pandas(tables["documents"][["doc_id", "text"]])], block_size=3)
    bare = {**tables, "documents": tables["documents"].drop(columns=["text"])}
    restricted = filters.Restricted(
        chosen, bare, text_search=lambda needle, blind: texts.containing(needle, ignore_case=blind)
    )
    assert set(restricted["documents"]["doc_id"]) == expected
    eager = filters.apply(chosen, tables)
    for name in ("statistics", "entities", "themes", "duplicates"):
        assert restricted[name].equals(eager[name]), name


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # 2019-05 covers May, "2019" the whole year; undated 000 drops out once a range is set
        ("2019-01-01", "2019-12-31", {"002.md#01", "002.md#03", "002.md#07"}),
        ("2019-06-01", "", {"002.md#07", "web.html#01"}),
        ("", "2018-12-31", {"003.txt#01", "003-copy.txt#01"}),
        ("2018-11-23", "2018-11-23", {"003.txt#01", "003-copy.txt#01"}),
        ("2019-05-31", "2019-05-31", {"002.md#01", "002.md#03", "002.md#07"}),
        ("2022-01-01", "2022-12-31", set()),
    ],
)
def test_date_range(date_from: str, date_to: str, expected: set[str], tables: dict[str, pd.DataFrame]) -> None:
    assert kept(Filters(date_from=date_from, date_to=date_to), tables) == expected


def test_every_table_follows_the_documents(tables: dict[str, pd.DataFrame]) -> None:
    out = filters.apply(Filters(province="河北省", city="邯郸市", reprints_once=True), tables)
    assert set(out["entities"]["doc_id"]) == {"003.txt#01"}
    assert sorted(out["statistics"]["surface"]) == sorted(
        ["16个界别", "8个临时党支部", "72名党员委员", "3861名县级政协委员"]
    )
    assert list(out["themes"]["theme"]) == ["组织覆盖"]
    assert list(out["duplicates"]["doc_id"]) == ["003.txt#01"]
    for name, frame in out.items():
        assert list(frame.columns) == schema.columns(name), name
    # a source-file filter narrows the ingest report too
    report = filters.apply(Filters(sources=("002.md",)), tables)["ingest_report"]
    assert list(report["source_path"]) == ["002.md"]


def test_empty_corpus_gives_empty_tables() -> None:
    empty = {name: schema.empty(name) for name in schema.TABLES}
    for chosen in (
        Filters(),
        Filters(province="河北省", themes=("组织覆盖",), date_from="2019-01-01", reprints_once=True),
    ):
        out = filters.apply(chosen, empty)
        for name, frame in out.items():
            assert frame.empty and list(frame.columns) == schema.columns(name)


def test_reprints_without_named_canonical_keep_the_first_doc_id(tables: dict[str, pd.DataFrame]) -> None:
    no_dups = dict(tables, duplicates=schema.empty("duplicates"))
    assert kept(Filters(reprints_once=True), no_dups) == ALL - {"003.txt#01"}  # "003-copy" sorts first


def test_query_params_round_trip() -> None:
    chosen = Filters(
        province="河北省",
        city="邯郸市",
        county="曲周县",
        levels=("county", "city"),
        themes=("组织覆盖", "理论学习"),
        doc_types=("讲话",),
        date_from="2018-01-01",
        date_to="2019-12-31",
        sources=("002.md",),
        search="两个全覆盖",
        reprints_once=True,
    )
    params = filters.to_query_params(chosen)
    assert params["prov"] == "河北省" and params["level"] == ["city", "county"] and params["once"] == "1"
    assert filters.from_query_params(params) == filters.normalized(chosen)
    assert filters.to_query_params(Filters()) == {}
    assert filters.from_query_params({}) == Filters()


def test_malformed_query_params_are_ignored() -> None:
    got = filters.from_query_params(
        {
            "level": ["county", "bogus"],
            "from": "2019-13-45",
            "to": "2019-02-30",
            "once": "maybe",
            "zzz": "1",
            "q": "  党建 ",
        }
    )
    assert got == Filters(levels=("county",), search="党建")
    # reversed range is put in order
    assert filters.from_query_params({"from": "2020-01-01", "to": "2019-01-01"}) == Filters(
        date_from="2019-01-01", date_to="2020-01-01"
    )


def test_download_names() -> None:
    assert filters.download_name("overview-documents", Filters()) == "overview-documents_all.csv"
    name = filters.download_name("overview-by-year", Filters(province="河北省", themes=("组织覆盖",)))
    assert name == "overview-by-year_河北省_组织覆盖.csv"
    name = filters.download_name("map", Filters(date_from="2019-01-01", search='a/b c:"d"'))
    assert name == "map_2019-01-01~…_q-a-b-c-d.csv"
    assert len(filters.download_name("x", Filters(search="政" * 500))) <= 124


def test_csv_has_bom_and_the_rows(tables: dict[str, pd.DataFrame]) -> None:
    frame = queries.document_list(filters.apply(Filters(doc_types=("讲话",)), tables)["documents"])
    data = export.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert list(back["author"]) == ["胡国辉", "闫五一", "刘军"]
    assert list(back.columns) == queries.DOCUMENT_LIST_COLUMNS
