import math
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import keywords, schema

SEED_003 = Path(__file__).resolve().parent.parent / "data" / "corpus" / "003_43cb40c7cae0b93c.txt"


def test_seed_003_keywords_are_domain_terms_not_generic_verbs() -> None:
    frame = keywords.document_keywords("003", SEED_003.read_text(encoding="utf-8"))
    schema.check(frame, "keywords")
    top = list(frame["term"])
    assert len(top) == keywords.TOP_N
    assert top[0] == "党员委员"  # the article's subject, 21 mentions
    assert {"界别", "界别党支部", "党支部", "党外委员", "民主监督"} <= set(top)
    assert not {"工作", "开展", "加强", "进一步", "的"} & set(top)
    assert set(frame["method"]) == {"tfidf"}
    assert list(frame["score"]) == sorted(frame["score"], reverse=True)


def test_score_is_share_times_idf_with_a_default_for_unknown_words() -> None:
    idf = keywords.IdfTable({"界别": 3.0}, 6.0)
    frame = keywords.document_keywords("d", "党员委员,党员委员,界别。", idf=idf)
    scores = dict(zip(frame["term"], frame["score"], strict=True))
    # three candidate tokens: 党员委员 twice (unknown: 6.0), 界别 once (3.0)
    assert math.isclose(scores["党员委员"], 2 / 3 * 6.0)
    assert math.isclose(scores["界别"], 1 / 3 * 3.0)


def test_jieba_idf_table_and_median_default() -> None:
    table = keywords.jieba_idf()
    assert "政协" in table.idf and "党员委员" not in table.idf
    values = sorted(table.idf.values())
    assert values[0] <= table.default <= values[-1]
    below = sum(v < table.default for v in values)
    at_most = sum(v <= table.default for v in values)
    assert below <= len(values) / 2 <= at_most  # the median


def test_corpus_idf() -> None:
    term_table = schema.from_records(
        [
            {"doc_id": "a", "term": "党员委员", "pos": "n", "count": 3},
            {"doc_id": "b", "term": "党员委员", "pos": "n", "count": 1},
            {"doc_id": "b", "term": "界别", "pos": "n", "count": 2},
        ],
        "terms",
    )
    table = keywords.corpus_idf(term_table)
    assert math.isclose(table.idf["党员委员"], 1.0)  # in both of 2 documents: ln(3/3) + 1
    assert math.isclose(table.idf["界别"], math.log(3 / 2) + 1)
    assert math.isclose(table.default, math.log(3) + 1)
    assert keywords.corpus_idf(schema.empty("terms")).idf == {}


def test_top_n_and_empty() -> None:
    text = SEED_003.read_text(encoding="utf-8")
    assert len(keywords.document_keywords("d", text, top_n=5)) == 5
    for frame in (keywords.document_keywords("d", ""), keywords.document_keywords("d", "的了在,。123")):
        assert list(frame.columns) == schema.columns("keywords") and frame.empty


def test_candidate_tags() -> None:
    assert keywords.is_candidate("界别党支部", "nt")
    assert keywords.is_candidate("履职", "v")
    assert not keywords.is_candidate("积极", "ad")
    assert not keywords.is_candidate("党", "n")


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    frame = keywords.document_keywords("d", text)
    schema.check(frame, "keywords")
    assert len(frame) <= keywords.TOP_N
    assert isinstance(frame, pd.DataFrame)


def test_corpus_keywords_with_a_corpus_idf() -> None:
    texts = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": ["党员委员联系党外委员,党外委员带头。", "党员委员参加界别活动,界别群众满意。"],
        }
    )
    from lib import terms

    idf = keywords.corpus_idf(terms.count_terms(texts))
    frame = keywords.corpus_keywords(texts, idf=idf, top_n=10)
    schema.check(frame, "keywords")
    scores = {(d, t): s for d, t, s in zip(frame["doc_id"], frame["term"], frame["score"], strict=True)}
    only_here = math.log(3 / 2) + 1  # in one of two documents
    # a: 党员委员, 联系, 党外委员 ×2, 带头 -> 5 candidate tokens; 党员委员 is in both documents
    assert math.isclose(scores[("a", "党员委员")], 1 / 5 * 1.0)
    assert math.isclose(scores[("a", "党外委员")], 2 / 5 * only_here)
    top = frame.groupby("doc_id")["term"].first().to_dict()
    assert top == {"a": "党外委员", "b": "界别"}
    assert keywords.corpus_keywords(pd.DataFrame()).empty


def test_a_batch_scores_each_document_on_its_own_tokens() -> None:
    idf = keywords.IdfTable({"界别": 3.0}, 6.0)
    texts = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "text": ["党员委员,党员委员,界别。", "", "界别党支部联系界别群众。"]}
    )
    frame = keywords.corpus_keywords(texts, idf=idf)
    schema.check(frame, "keywords")
    rows = list(zip(frame["doc_id"], frame["term"], frame["score"], strict=True))
    # a: three candidate tokens (see above); c: 界别党支部, 联系, 界别, 群众, a quarter each
    expected = [
        ("a", "党员委员", 2 / 3 * 6.0),
        ("a", "界别", 1 / 3 * 3.0),
        ("c", "界别党支部", 1 / 4 * 6.0),  # ties broken by term
        ("c", "群众", 1 / 4 * 6.0),
        ("c", "联系", 1 / 4 * 6.0),
        ("c", "界别", 1 / 4 * 3.0),
    ]
    assert [(d, t) for d, t, _ in rows] == [(d, t) for d, t, _ in expected]
    assert all(math.isclose(s, e) for (_, _, s), (_, _, e) in zip(rows, expected, strict=True))
    one_by_one = [
        keywords.document_keywords(d, t, idf=idf) for d, t in zip(texts["doc_id"], texts["text"], strict=True)
    ]
    assert frame.equals(schema.conform(pd.concat(one_by_one, ignore_index=True), "keywords"))
    top_one = keywords.corpus_keywords(texts, idf=idf, top_n=1)
    assert list(zip(top_one["doc_id"], top_one["term"], strict=True)) == [("a", "党员委员"), ("c", "界别党支部")]
    assert keywords.corpus_keywords(texts, top_n=0).empty
