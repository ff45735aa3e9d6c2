"""Fast aggregates: integer term ids and numpy sums give the counts read off a small table,
and agree with a plain pandas group-by on the built seed corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import seed_corpus

from lib import keyness, schema, termindex

# Three documents: 党建 3 + 1, 委员 2 + 5, 协商 4, 界别党支部 1.
TERMS = pd.DataFrame(
    {
        "doc_id": ["d1", "d1", "d2", "d2", "d3", "d3"],
        "term": ["党建", "委员", "党建", "协商", "委员", "界别党支部"],
        "pos": ["n", "n", "n", "vn", "n", "nz"],
        "count": [3, 2, 1, 4, 5, 1],
    }
)


def test_top_terms_of_a_subset() -> None:
    index = termindex.build(TERMS, doc_ids=["d1", "d2", "d3"])
    assert index.n_docs == 3 and index.n_terms == 4
    top = termindex.top_terms(index, termindex.doc_mask(index, ["d1", "d2"]), n=3, characters=100)
    schema.check(top, "term_counts")
    # 党建 3 + 1 = 4 in two documents, 协商 4 in one (a tie, ordered by term), 委员 2
    assert top[["term", "count", "documents"]].to_dict("records") == [
        {"term": "党建", "count": 4, "documents": 2},
        {"term": "协商", "count": 4, "documents": 1},
        {"term": "委员", "count": 2, "documents": 1},
    ]
    assert top["per_10k"].tolist() == pytest.approx([400.0, 400.0, 200.0])  # 4 / 100 characters × 10,000
    assert termindex.top_terms(index, termindex.doc_mask(index, ["d3"]), n=1)["term"].tolist() == ["委员"]


def test_part_of_speech_length_and_stop_words() -> None:
    index = termindex.build(TERMS)
    every = np.ones(index.n_docs, dtype=bool)
    nouns = termindex.term_mask(index, pos=["n"])  # n and nz, not vn
    assert set(termindex.top_terms(index, every, n=10, terms=nouns)["term"]) == {"党建", "委员", "界别党支部"}
    long_words = termindex.term_mask(index, min_len=3)
    assert termindex.top_terms(index, every, n=10, terms=long_words)["term"].tolist() == ["界别党支部"]
    short = termindex.term_mask(index, max_len=2, exclude=["委员"])
    assert termindex.top_terms(index, every, n=10, terms=short)["term"].tolist() == ["党建", "协商"]


def test_trend_per_year() -> None:
    index = termindex.build(TERMS)
    years = pd.Series([2018, 2019, 2019], index=["d1", "d2", "d3"])
    chars = pd.Series([1000, 500, 500], index=["d1", "d2", "d3"])
    trend = termindex.trend(index, np.ones(3, dtype=bool), years=years, characters=chars, names=["党建", "委员"])
    schema.check(trend, "term_trend")
    got = {(r["year"], r["term"]): (r["count"], r["per_10k"]) for r in trend.to_dict("records")}
    # 2018: d1 (1000 chars) 党建 3, 委员 2; 2019: d2 + d3 (1000 chars) 党建 1, 委员 5
    assert got == {
        (2018, "党建"): (3, 30.0),
        (2018, "委员"): (2, 20.0),
        (2019, "党建"): (1, 10.0),
        (2019, "委员"): (5, 50.0),
    }


@pytest.mark.parametrize("chunk", [2, 4_000_000])  # rows summed two at a time, or all at once
def test_group_totals(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(termindex, "_SUM_CHUNK", chunk)
    index = termindex.build(TERMS, doc_ids=["d1", "d2", "d3"])
    codes = termindex.term_codes(index, ["委员", "党建", "不存在"])
    matrix = termindex.group_totals(index, np.array([0, 1, 0]), 2, terms=codes)
    # group 0 = d1 + d3: 委员 7, 党建 3; group 1 = d2: 委员 0, 党建 1
    assert matrix.tolist() == [[7, 3], [0, 1]]


def test_empty() -> None:
    index = termindex.build(schema.empty("terms"))
    schema.check(termindex.top_terms(index, np.zeros(0, dtype=bool)), "term_counts")
    full = termindex.build(TERMS)
    assert termindex.top_terms(full, np.zeros(full.n_docs, dtype=bool)).empty


@pytest.fixture(scope="module")
def seed_terms(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return seed_corpus.tables(seed_corpus.build(tmp_path_factory.getbasetemp()))["terms"]


def test_agrees_with_pandas_on_the_seed_corpus(seed_terms: pd.DataFrame) -> None:
    index = termindex.build(seed_terms)
    docs = sorted(seed_terms["doc_id"].unique())
    rng = np.random.default_rng(7)
    for _ in range(5):
        chosen = list(rng.choice(docs, size=max(1, len(docs) // 3), replace=False))
        top = termindex.top_terms(index, termindex.doc_mask(index, chosen), n=20)
        part = seed_terms[seed_terms["doc_id"].isin(chosen)]
        expected = part.groupby("term")["count"].sum().reset_index()
        expected = expected.sort_values(["count", "term"], ascending=[False, True]).head(20)
        assert top["term"].tolist() == expected["term"].tolist()
        assert top["count"].tolist() == expected["count"].tolist()


def _dictionary_table(terms: pd.DataFrame) -> pa.Table:
    """``terms`` as ``store.read_arrow`` gives it: doc_id, term and pos dictionary-encoded, in two chunks."""
    table = pa.Table.from_pandas(terms[["doc_id", "term", "pos", "count"]], preserve_index=False)
    half = table.num_rows // 2
    chunks = [table.slice(0, half), table.slice(half)]
    encoded = [
        pa.table({c: (pc.dictionary_encode(t.column(c)) if c != "count" else t.column(c)) for c in t.column_names})
        for t in chunks
    ]
    return pa.concat_tables(encoded)


def test_from_arrow_counts_like_build() -> None:
    index = termindex.from_arrow(_dictionary_table(TERMS), doc_ids=["d1", "d2", "d3"])
    assert list(index.doc_ids) == ["d1", "d2", "d3"] and index.n_terms == 4
    top = termindex.top_terms(index, termindex.doc_mask(index, ["d1", "d2"]), n=3, characters=100)
    assert top[["term", "count", "documents"]].to_dict("records") == [
        {"term": "党建", "count": 4, "documents": 2},
        {"term": "协商", "count": 4, "documents": 1},
        {"term": "委员", "count": 2, "documents": 1},
    ]
    tags = dict(zip(index.vocab, index.term_pos, strict=True))
    assert tags == {"党建": "n", "委员": "n", "协商": "vn", "界别党支部": "nz"}
    # a document of the terms table missing from doc_ids comes after them
    partial = termindex.from_arrow(_dictionary_table(TERMS), doc_ids=["d2"])
    assert list(partial.doc_ids) == ["d2", "d1", "d3"]


def test_from_arrow_agrees_with_build_on_the_seed_corpus(seed_terms: pd.DataFrame) -> None:
    docs = sorted(seed_terms["doc_id"].unique())
    old = termindex.build(seed_terms, doc_ids=docs)
    new = termindex.from_arrow(_dictionary_table(seed_terms), doc_ids=docs)
    assert list(new.doc_ids) == list(old.doc_ids)
    assert dict(zip(new.vocab, new.term_pos, strict=True)) == dict(zip(old.vocab, old.term_pos, strict=True))
    mask = np.zeros(len(docs), dtype=bool)
    mask[::2] = True
    for kw in ({"n": 30}, {"n": 10, "pos": ["n"]}, {"n": 10, "min_len": 3}):
        n = int(kw.pop("n"))  # type: ignore[call-overload]
        a = termindex.top_terms(new, mask, n=n, terms=termindex.term_mask(new, **kw), characters=5000)  # type: ignore[arg-type]
        b = termindex.top_terms(old, mask, n=n, terms=termindex.term_mask(old, **kw), characters=5000)  # type: ignore[arg-type]
        assert a.equals(b)


@pytest.mark.parametrize("chunk", [2, 4_000_000])
def test_group_term_counts(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(termindex, "_SUM_CHUNK", chunk)
    index = termindex.build(TERMS, doc_ids=["d1", "d2", "d3"])
    # d1 and d3 form group A, d2 group B; terms in code-point order (党 U+515A, 委 U+59D4, 界 U+754C)
    counts = termindex.group_term_counts(index, np.array([0, 1, 0]), ["A", "B"])
    assert counts.to_dict("records") == [
        {"group": "A", "term": "党建", "count": 3},
        {"group": "A", "term": "委员", "count": 7},
        {"group": "A", "term": "界别党支部", "count": 1},
        {"group": "B", "term": "党建", "count": 1},
        {"group": "B", "term": "协商", "count": 4},
    ]
    groups = pd.Series(["A", "B", "A"], index=pd.Index(["d1", "d2", "d3"], name="doc_id"), dtype="string")
    assert counts.equals(keyness.group_term_counts(TERMS, groups, chosen=["A", "B"]))
    only_b = termindex.group_term_counts(index, np.array([-1, 0, -1]), ["B"])
    assert only_b["term"].tolist() == ["党建", "协商"]


def test_counts_held_as_int32_and_summed_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    for index in (
        termindex.build(TERMS, doc_ids=["d1", "d2", "d3"]),
        termindex.from_arrow(_dictionary_table(TERMS), doc_ids=["d1", "d2", "d3"]),
    ):
        assert index.weight.dtype == np.int32
        monkeypatch.setattr(termindex, "_SUM_CHUNK", 2)  # six rows summed two at a time
        every = termindex.doc_mask(index, ["d1", "d2", "d3"])
        totals = dict(zip(index.vocab, termindex.term_totals(index, every), strict=True))
        # 党建 3 + 1, 委员 2 + 5, 协商 4, 界别党支部 1
        assert totals == {"党建": 4, "委员": 7, "协商": 4, "界别党支部": 1}
        some = dict(
            zip(index.vocab, termindex.term_totals(index, termindex.doc_mask(index, ["d2", "d3"])), strict=True)
        )
        assert some == {"党建": 1, "委员": 5, "协商": 4, "界别党支部": 1}
        monkeypatch.undo()
    keys = np.array([0, 2, 2, 5, 0], dtype="int32")
    monkeypatch.setattr(termindex, "_SUM_CHUNK", 2)
    assert termindex.weighted_counts(keys, np.array([1, 2, 3, 4, 5], dtype="int32"), minlength=3).tolist() == [
        6.0,
        0.0,
        5.0,
        0.0,
        0.0,
        4.0,
    ]
    assert termindex.weighted_counts(np.zeros(0, "int32"), np.zeros(0, "int32"), minlength=2).tolist() == [0.0, 0.0]
