from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib import duplicates, schema
from lib.pipeline import concat, process_file
from lib.resources import Resources

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
ANON_STORY = "000_45fffbf136039e96.txt#01"  # anonymised rewrite of the 曲周 story
QUZHOU_STORY = "003_43cb40c7cae0b93c.txt#01"  # 河北新闻网: 曲周县政协 ...
PIAN_BA = "001_57f2af2ad45aefa1.txt#08"  # 篇八: anonymised copy of the 承德 speech
CHENGDE = "002_0f1e9368376be244.txt#05"  # 承德市政协主席 吴清海: 立足政协特点 推动党建工作


@lru_cache(maxsize=1)
def seed_documents() -> pd.DataFrame:
    frames = [
        process_file(path.name, path.read_bytes(), resources=Resources())["documents"]
        for path in sorted(CORPUS.glob("*.txt"))
    ]
    return concat(frames, "documents")


@lru_cache(maxsize=1)
def seed_groups() -> pd.DataFrame:
    return duplicates.duplicate_groups(seed_documents())


def group_of(dups: pd.DataFrame, doc_id: str) -> int | None:
    row = dups[dups["doc_id"] == doc_id]
    return int(row["group_id"].iloc[0]) if len(row) else None


def test_seed_split_gives_the_documents_the_groups_refer_to() -> None:
    ids = set(seed_documents()["doc_id"])
    assert {ANON_STORY, QUZHOU_STORY, PIAN_BA, CHENGDE} <= ids
    assert sum(i.startswith("002_") for i in ids) == 8


def test_anonymised_rewrite_is_grouped_with_the_quzhou_story() -> None:
    dups = seed_groups()
    schema.check(dups, "duplicates")
    assert group_of(dups, ANON_STORY) is not None
    assert group_of(dups, ANON_STORY) == group_of(dups, QUZHOU_STORY)


def test_pian_ba_is_grouped_with_the_chengde_speech() -> None:
    dups = seed_groups()
    assert group_of(dups, PIAN_BA) is not None
    assert group_of(dups, PIAN_BA) == group_of(dups, CHENGDE)


def test_the_eight_speeches_are_not_grouped_with_each_other() -> None:
    dups = seed_groups()
    groups = [group_of(dups, i) for i in seed_documents()["doc_id"] if i.startswith("002_")]
    in_groups = [g for g in groups if g is not None]
    assert len(in_groups) == len(set(in_groups))


def test_exactly_the_two_known_pairs_form_groups_in_the_seeds() -> None:
    dups = seed_groups()
    members = {frozenset(g["doc_id"]) for _, g in dups.groupby("group_id")}
    assert members == {frozenset({ANON_STORY, QUZHOU_STORY}), frozenset({PIAN_BA, CHENGDE})}


def test_canonical_is_the_named_original_and_similarity_is_against_it() -> None:
    dups = seed_groups()
    canonical = dict(zip(dups["doc_id"], dups["canonical_doc_id"], strict=True))
    similarity = {str(k): float(v) for k, v in zip(dups["doc_id"], dups["similarity"], strict=True)}
    # the anonymised member (**县, xx 市) is never the canonical one
    assert canonical[ANON_STORY] == QUZHOU_STORY
    assert canonical[PIAN_BA] == CHENGDE
    assert similarity[QUZHOU_STORY] == 1.0
    assert similarity[CHENGDE] == 1.0
    # 篇八 is a near-verbatim copy; the 000 rewrite shares only part of its sentences
    assert similarity[PIAN_BA] > 0.9
    assert 0.05 < similarity[ANON_STORY] < 0.5


def test_with_dup_group_fills_documents() -> None:
    docs = seed_documents()
    out = duplicates.with_dup_group(docs, seed_groups())
    group = dict(zip(out["doc_id"], out["dup_group"], strict=True))
    assert group[PIAN_BA] == group[CHENGDE]
    assert group[ANON_STORY] == group[QUZHOU_STORY]
    assert group[PIAN_BA] != group[ANON_STORY]
    assert out["dup_group"].isna().sum() == len(out) - 4


def _doc_table(texts: dict[str, str]) -> pd.DataFrame:
    return schema.from_records(
        [{"doc_id": k, "text": v, "n_chars": len(v), "is_template": False} for k, v in texts.items()], "documents"
    )


STORY = (
    "曲周县政协积极探索创新县级政协党组织设置方式，在全县16个界别建立了8个临时党支部，"
    "实行党员委员组织关系一方隶属、参加双重组织生活的办法。同时建立完善县政协党组成员联系相关界别党员委员、"
    "党员委员联系党外委员制度，形成上下衔接、立体覆盖、各尽其责、无缝对接的组织体系。"
    "按照因界别制宜、方便活动开展的原则，指导每个界别党支部都建立活动室。多渠道投入60多万元，"
    "每个活动室配备了办公桌椅、文件橱柜、图书资料、电教设备等设施。"
)
ANONYMISED = (
    STORY.replace("曲周县", "XX县").replace("16", "xx").replace("8", "x").replace("60", "xx").replace("，", ",")
)
UNRELATED = (
    "市政协机关党组坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，"
    "组织开展专题读书班三期，举办委员讲堂十二场。围绕乡村振兴开展专题调研，形成调研报告五篇，"
    "提出意见建议四十余条，有关部门已采纳办理。深化提案办理协商，推动一批民生实事落地见效。"
)


def test_anonymised_copy_with_numbers_blanked_is_grouped_and_unrelated_is_not() -> None:
    dups = duplicates.duplicate_groups(_doc_table({"a": STORY, "b": ANONYMISED, "c": UNRELATED}))
    assert set(dups["doc_id"]) == {"a", "b"}
    assert set(dups["canonical_doc_id"]) == {"a"}  # b carries XX/xx placeholders


def test_excerpt_is_grouped_with_its_source() -> None:
    excerpt = STORY[: STORY.index("按照")]
    dups = duplicate_groups_of({"full": STORY + UNRELATED, "part": excerpt})
    assert set(dups["doc_id"]) == {"full", "part"}
    assert dups.set_index("doc_id").loc["full", "canonical_doc_id"] == "full"  # longest


def duplicate_groups_of(texts: dict[str, str]) -> pd.DataFrame:
    return duplicates.duplicate_groups(_doc_table(texts))


def test_empty_and_textless_inputs_give_empty_tables() -> None:
    for frame in (schema.empty("documents"), _doc_table({"a": "", "b": "123 abc"}), _doc_table({"a": STORY})):
        out = duplicates.duplicate_groups(frame)
        schema.check(out, "duplicates")
        assert out.empty


def test_clauses_break_at_digits_placeholders_and_punctuation() -> None:
    assert duplicates.clauses("在全县230名政协委员中设立了10个界别党支部，形成了新格局。") == [
        "名政协委员中设立了",
        "个界别党支部",
        "形成了新格局",
    ]
    assert duplicates.clauses("在全县**名政协委员中设立了xx个界别党支部") == ["名政协委员中设立了", "个界别党支部"]


def test_signatures_agree_for_equal_clauses_and_mostly_differ_otherwise() -> None:
    sig = duplicates.clause_signatures(["界别党支部建设工作", "界别党支部建设工作", "提案办理协商会议"])
    assert sig.shape == (3, duplicates.N_PERM)
    assert np.array_equal(sig[0], sig[1])
    assert (sig[0] == sig[2]).mean() < 0.25


def test_clause_weights_fall_for_stock_phrases() -> None:
    w = duplicates.clause_weights(np.array([1, 2, 10, 100]), 100)
    assert w[0] == w[1] == 1.0
    assert 0.0 < w[2] < 1.0
    assert w[3] == 0.0


def test_clause_coverage_counts_near_clauses() -> None:
    a = "指导各支部唱国歌、温誓词、诵党章、讲党课、搞承诺、过党员政治生日。坚持每月开展一次集中学习。"
    b = "指导各支部唱国歌、温誓词、诵党章、讲党课、搞承诺、给党员过政治生日。今年共收集社情民意信息二百余条。"
    cov_a, cov_b = duplicates.clause_coverage(a, b)
    # 过党员政治生日 / 给党员过政治生日 are near; 每月开展一次集中学习 / 收集社情民意 are not
    assert 0.3 < cov_a < 1.0
    assert 0.3 < cov_b < 1.0
    assert duplicates.clause_coverage(a, "") == (0.0, 0.0)


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [((0.97, 0.99), True), ((0.10, 0.11), True), ((0.05, 0.06), False), ((0.02, 0.7), True), ((0.02, 0.4), False)],
)
def test_grouping_rule(coverage: tuple[float, float], expected: bool) -> None:
    assert duplicates.is_near_duplicate(coverage) is expected


def test_differences_show_the_changed_sentences() -> None:
    a = "承德市政协党组坚持加强政协党的建设。组建8个专委会。创建承德政协大讲堂。"
    b = "xx市政协党组坚持加强政协党的建设。组建8个专委会。新增一句。创建承德政协大讲堂。"
    diffs = duplicates.differences(a, b)
    assert [d.op for d in diffs] == ["replace", "insert"]
    first = diffs[0]
    assert a[first.a_span[0] : first.a_span[1]] == "承德市政协党组坚持加强政协党的建设。"
    assert b[first.b_span[0] : first.b_span[1]] == "xx市政协党组坚持加强政协党的建设。"
    insert = diffs[1]
    assert insert.a_span == (a.index("创建"), a.index("创建"))
    assert b[insert.b_span[0] : insert.b_span[1]] == "新增一句。"
    deleted = duplicates.differences(b, a)[1]
    assert deleted.op == "delete"
    assert b[deleted.a_span[0] : deleted.a_span[1]] == "新增一句。"


def test_differences_ignore_whitespace_and_punctuation_width() -> None:
    assert duplicates.differences("组建 8 个专委会，成立党支部。", "组建8个专委会,成立党支部。") == []
    equal = duplicates.differences("一句。", "一句。", include_equal=True)
    assert [d.op for d in equal] == ["equal"]
    assert duplicates.differences("", "") == []


# --- many documents ---------------------------------------------------------------------------


COMMON_CHARS = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 3000)])


def _random_text(rng: np.random.Generator, n_sentences: int) -> str:
    # sentences of 8-30 characters drawn from 3000 Chinese characters
    lengths = rng.integers(8, 30, size=n_sentences)
    chars = rng.choice(COMMON_CHARS, size=int(lengths.sum()))
    ends = np.cumsum(lengths)
    return "".join("".join(chars[e - n : e]) + "。" for n, e in zip(lengths, ends, strict=True))


def test_among_many_unrelated_documents_only_the_planted_copies_are_grouped() -> None:
    rng = np.random.default_rng(7)
    texts = {f"d{i:03d}": _random_text(rng, 20) for i in range(400)}
    original = texts["d010"]
    texts["reprint"] = "转载:" + original
    texts["anonymised"] = "XX县" + original[: len(original) // 2] + "共计12个。" + original[len(original) // 2 :]
    texts["excerpt"] = original[: len(original) // 3]
    dups = duplicate_groups_of(texts)
    assert set(dups["doc_id"]) == {"d010", "reprint", "anonymised", "excerpt"}
    assert dups["group_id"].nunique() == 1
    assert set(dups["canonical_doc_id"]) == {"reprint"}  # the longest member without placeholders


def _corpus_of(texts: list[str]) -> duplicates._Corpus:
    table = duplicates.signature_table(pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts}))
    return duplicates._corpus(table, np.ones(len(texts), dtype=np.int64))


def test_candidate_pairs_stay_far_below_all_pairs() -> None:
    rng = np.random.default_rng(11)
    texts = [_random_text(rng, 20) for _ in range(400)]
    corpus = _corpus_of(texts)
    a, b, df = duplicates._clause_matches(corpus)
    assert len(df) == len(corpus.clause_len)
    pairs = {(int(x), int(y)) for x, y in zip(corpus.clause_doc[a], corpus.clause_doc[b], strict=True)}
    assert len(pairs) < 400 * 399 // 2 // 100


# --- real corpora, when present ---------------------------------------------------------------

LAWS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "cn_laws_regs"


@pytest.mark.skipif(not LAWS.is_dir(), reason="corpus of laws and regulations not present")
def test_versions_of_one_judicial_interpretation_are_grouped_and_other_regulations_not() -> None:
    names = [
        "司法解释_2020-12-29_最高人民法院关于适用《民事诉讼法》的解释.txt",
        "司法解释_2022-04-01_最高人民法院关于适用《民事诉讼法》的解释.txt",
        "司法解释_2022-04-02_最高人民法院关于适用《民事诉讼法》的解释.txt",
        "地方性法规_山东_2010-11-25_济南市公共场所禁止吸烟的规定.txt",
        "地方性法规_河南_2019-12-20_漯河市散煤污染防治条例.txt",
        "地方性法规_河南_2005-04-15_洛阳市市政设施管理条例.txt",
    ]
    dups = duplicate_groups_of({n: (LAWS / n).read_text(encoding="utf-8") for n in names})
    assert set(dups["doc_id"]) == set(names[:3])
    assert dups["group_id"].nunique() == 1
    assert (dups["similarity"] > 0.9).all()


def _series_table(years: tuple[object, object], shared_share: float) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    shared = _random_text(rng, int(40 * shared_share))
    a = shared + _random_text(rng, 40 - int(40 * shared_share))
    b = shared + _random_text(rng, 40 - int(40 * shared_share))
    rows = [
        {"doc_id": doc_id, "text": text, "province": "河北省", "city": "邯郸市", "county": "曲周县", "year": year}
        for doc_id, text, year in (("a", a, years[0]), ("b", b, years[1]))
    ]
    return schema.from_records(rows, "documents")


def test_annual_reports_of_one_region_are_a_series_not_copies() -> None:
    # a third of each text shared: a rewrite between sources, self-reuse within a series
    assert duplicates.duplicate_groups(_series_table((2025, 2026), 1 / 3)).empty
    assert set(duplicates.duplicate_groups(_series_table((2025, 2025), 1 / 3))["doc_id"]) == {"a", "b"}
    assert set(duplicates.duplicate_groups(_series_table((2025, None), 1 / 3))["doc_id"]) == {"a", "b"}
    # a reprint across years is still a reprint
    assert set(duplicates.duplicate_groups(_series_table((2025, 2026), 1.0))["doc_id"]) == {"a", "b"}


def test_a_chain_does_not_merge_groups() -> None:
    rng = np.random.default_rng(5)
    x1, x2 = _random_text(rng, 15), _random_text(rng, 15)
    texts = {
        "a": x1 + _random_text(rng, 25),  # longest: the first leader
        "b": x1 + x2,  # shares half with a and half with c
        "c": x2 + _random_text(rng, 15),
    }
    dups = duplicate_groups_of(texts)
    assert set(dups["doc_id"]) == {"a", "b"}
    assert set(dups["canonical_doc_id"]) == {"a"}


def test_signature_rows_hold_each_documents_clauses_whatever_the_batch() -> None:
    texts = [STORY, ANONYMISED, UNRELATED, "", "123 abc"]
    table = duplicates.signature_table(pd.DataFrame({"doc_id": list("abcde"), "text": texts}))
    assert list(table.columns) == list(duplicates.SIGNATURE_COLUMNS)
    assert list(table["doc_id"]) == list("abcde")
    assert list(table["n_clauses"]) == [len(duplicates.clauses(t)) for t in texts]
    assert list(table["n_chars"]) == [len(t) for t in texts]
    # ANONYMISED carries XX县 / xx个; the others no placeholder
    assert list(table["marked"]) == [False, True, False, False, False]
    story = table.iloc[0]
    lengths = np.frombuffer(story["clause_len"], dtype="<u4")
    # 曲周县政协积极探索创新县级政协党组织设置方式 is the first clause of STORY (22 characters)
    assert lengths[0] == len("曲周县政协积极探索创新县级政协党组织设置方式")
    chars = np.frombuffer(story["chars"], dtype="<u2")
    assert "".join(map(chr, chars[: lengths[0]])) == "曲周县政协积极探索创新县级政协党组织设置方式"
    rows = np.frombuffer(story["minhash"], dtype="<u2").reshape(-1, duplicates.N_PERM)
    # a clause's signature does not depend on the text around it
    assert np.array_equal(rows, duplicates.clause_signatures(duplicates.clauses(STORY)))
    assert table.iloc[3]["minhash"] == b"" and table.iloc[3]["n_clauses"] == 0
    # one document at a time gives the same rows as all together
    single = pd.concat(
        [
            duplicates.signature_table(pd.DataFrame({"doc_id": [d], "text": [t]}))
            for d, t in zip("abcde", texts, strict=True)
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(single, table)


def test_copies_that_differ_only_outside_clauses_share_their_content_hash() -> None:
    # the anonymised copy blanks only numbers and the county name; with the county name
    # kept, its clauses are those of the story
    blanked = STORY.replace("16", "xx").replace("8", "x").replace("60", "xx")
    table = duplicates.signature_table(pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [STORY, blanked, ANONYMISED]}))
    content = list(table["content"])
    assert content[0] == content[1]
    assert content[2] != content[0]  # XX县 for 曲周县 changes a clause


def test_precomputed_signatures_give_the_same_groups() -> None:
    docs = seed_documents()
    table = duplicates.signature_table(docs)
    pd.testing.assert_frame_equal(duplicates.duplicate_groups(docs, signatures=table), seed_groups())
    # without the text, in batches, in another order, with rows of other documents
    other = duplicates.signature_table(pd.DataFrame({"doc_id": ["elsewhere"], "text": [STORY]}))
    shuffled = table.sample(frac=1.0, random_state=1)
    batches = [shuffled.iloc[:5], other, shuffled.iloc[5:]]
    pd.testing.assert_frame_equal(
        duplicates.duplicate_groups(docs.drop(columns=["text"]), signatures=iter(batches)), seed_groups()
    )
    with pytest.raises(ValueError):
        duplicates.duplicate_groups(docs, signatures=table.iloc[:-1])


def test_signature_table_survives_parquet(tmp_path: Path) -> None:
    docs = seed_documents()
    table = duplicates.signature_table(docs)
    table.to_parquet(tmp_path / "signatures.parquet")
    back = pd.read_parquet(tmp_path / "signatures.parquet")
    pd.testing.assert_frame_equal(duplicates.duplicate_groups(docs, signatures=back), seed_groups())


def test_empty_signature_table() -> None:
    out = duplicates.signature_table(schema.empty("documents"))
    assert list(out.columns) == list(duplicates.SIGNATURE_COLUMNS) and out.empty
    assert duplicates.duplicate_groups(schema.empty("documents"), signatures=out).empty


def test_exact_copies_join_their_originals_group() -> None:
    # every text three times under other ids, one copy anonymised only in its numbers
    texts = {"a": STORY, "b": ANONYMISED, "c": UNRELATED}
    copies = {f"{k}{n}": v for k, v in texts.items() for n in (1, 2)}
    copies["a3"] = STORY.replace("16", "**")  # a placeholder outside the clauses
    dups = duplicate_groups_of(texts | copies)
    # the story, its anonymised rewrite and all their copies form one group around the
    # story without placeholders; the unrelated text and its two copies form another
    groups = {frozenset(g["doc_id"]) for _, g in dups.groupby("group_id")}
    assert groups == {frozenset({"a", "a1", "a2", "a3", "b", "b1", "b2"}), frozenset({"c", "c1", "c2"})}
    canonical = dict(zip(dups["doc_id"], dups["canonical_doc_id"], strict=True))
    assert canonical["a3"] == "a"  # a3 has ** and is no longer; a comes first by doc_id
    assert canonical["c2"] == "c"
    similarity = dict(zip(dups["doc_id"], dups["similarity"], strict=True))
    assert similarity["a1"] == similarity["a3"] == 1.0
    # every clause of the anonymised rewrite is a clause of the story or that clause
    # without 曲周: all of it has a counterpart
    assert similarity["b"] == similarity["b2"] > 0.9
