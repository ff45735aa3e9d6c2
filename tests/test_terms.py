from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import schema, segment, terms
from lib.resources import Resources

SEED_003 = Path(__file__).resolve().parent.parent / "data" / "corpus" / "003_43cb40c7cae0b93c.txt"

# From seed 003: two sentences about members who are party members linking up with the others.
PAIRING = (
    "发挥党员委员关键作用,建立实行党员委员联系帮带党外委员制度。"
    "曲周县政协每名党员委员联系帮带1—3名党外委员,重点在政治思想、履职尽责、团结互助等方面发挥作用。"
)


def counts(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["term"], frame["count"], strict=True))


def test_seed_sentence_terms() -> None:
    frame = terms.document_terms("003#01", "在全县230名政协委员中设立了10个界别党支部")
    schema.check(frame, "terms")
    # 在/中/了 and 全县 are stop words, 230 and 10 numbers, 名 and 个 single characters
    assert counts(frame) == {"政协委员": 1, "设立": 1, "界别党支部": 1}
    assert set(frame["doc_id"]) == {"003#01"}


def test_counts_and_stop_words_in_a_seed_paragraph() -> None:
    found = counts(terms.document_terms("d", PAIRING))
    assert found["党员委员"] == 3
    assert found["党外委员"] == 2
    assert found["帮带"] == 2
    assert found["履职尽责"] == 1
    # generic words of the genre, particles, numbers and punctuation are not terms
    for word in ("发挥", "作用", "方面", "等", "在", "1—3", "1", "3", "名", "、", ","):
        assert word not in found


def test_rows_are_ordered_by_count_and_carry_a_tag() -> None:
    frame = terms.document_terms("d", PAIRING)
    assert list(frame["count"]) == sorted(frame["count"], reverse=True)
    assert frame.iloc[0]["term"] == "党员委员"
    assert frame.iloc[0]["pos"] == "n"


def test_single_characters_only_when_kept() -> None:
    found = counts(terms.document_terms("d", "把党的工作做到委员身边,让党的声音传到界别群众中,抓在手上"))
    assert found["党"] == 2  # kept by the "+党" line of stopwords.txt
    assert "抓" not in found
    assert "手上" in found


@pytest.mark.parametrize("token", ["230", "2.59", "100%", "百余次", "三个", "第一", "十四五", "2018年", "两"])
def test_numbers(token: str) -> None:
    assert terms.is_number(token)


@pytest.mark.parametrize("token", ["委员", "党员委员", "一把手", "两级", "第一议题"])
def test_not_numbers(token: str) -> None:
    assert not terms.is_number(token)


def test_seed_003_has_no_generic_verbs_or_stop_words() -> None:
    frame = terms.document_terms("003", SEED_003.read_text(encoding="utf-8"))
    found = counts(frame)
    assert found["党员委员"] == 21  # 党员委员 appears 21 times in the article
    assert found["界别党支部"] >= 4
    for word in ("工作", "开展", "加强", "的", "是", "我们"):
        assert word not in found
    assert all(len(t) > 1 or t == "党" for t in found)


def test_session_stop_words_and_dictionary_words() -> None:
    text = "广大委员在该县“三亮一争”活动中争先锋,党员委员带头"
    base = counts(terms.document_terms("d", text))
    assert "三亮一争" not in base and "活动" in base
    changed = counts(terms.document_terms("d", text, extra_words=["三亮一争"], extra_stopwords=["活动", "党员委员"]))
    assert changed["三亮一争"] == 1
    assert "活动" not in changed and "党员委员" not in changed


def test_placeholders_of_template_texts_are_not_terms() -> None:
    found = counts(terms.document_terms("d", "XX县政协有XX名委员,在X县设立××个党支部"))
    assert found == {"县政协": 1, "委员": 1, "设立": 1, "党支部": 1}


def test_parse_stopwords() -> None:
    stops = terms.parse_stopwords(["# c", "的", "工作", "+党", ""])
    assert stops.words == frozenset({"的", "工作"})
    assert stops.keep_single == frozenset({"党"})


def test_count_terms_equals_per_document_counts() -> None:
    second = "在全县230名政协委员中设立了10个界别党支部"
    texts = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [PAIRING, second, ""]})
    many = terms.count_terms(texts)
    schema.check(many, "terms")
    expected = pd.concat([terms.document_terms("a", PAIRING), terms.document_terms("b", second)])
    assert many.reset_index(drop=True).equals(schema.conform(expected, "terms"))
    assert set(many["doc_id"]) == {"a", "b"}


def test_count_terms_empty() -> None:
    frame = terms.count_terms(pd.DataFrame({"doc_id": [], "text": []}))
    assert list(frame.columns) == schema.columns("terms") and frame.empty


def test_ngrams_do_not_cross_stop_words() -> None:
    grams = counts(terms.ngrams("d", "党员委员联系党外委员,党员委员和党外委员"))
    assert grams == {"党员委员 联系": 1, "联系 党外委员": 1}
    tri = terms.ngrams("d", "党员委员联系党外委员", n=3)
    assert list(tri["term"]) == ["党员委员 联系 党外委员"]
    assert tri.iloc[0]["pos"].count(" ") == 2


def test_own_stop_list_file(tmp_path: Path) -> None:
    (tmp_path / "stopwords.txt").write_text("委员\n", encoding="utf-8")
    found = counts(terms.document_terms("d", "党员委员联系委员", resources=Resources(directory=tmp_path)))
    assert found == {"党员委员": 1, "联系": 1}  # no +党 line: 党 would not be kept either


def test_empty_text() -> None:
    frame = terms.document_terms("d", "")
    assert list(frame.columns) == schema.columns("terms") and frame.empty
    assert terms.ngrams("d", "。。").empty


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    frame = terms.document_terms("d", text)
    schema.check(frame, "terms")
    assert (frame["count"] > 0).all()
    assert frame["term"].is_unique
    terms.ngrams("d", text)


def test_count_ngrams_for_many_documents() -> None:
    texts = pd.DataFrame({"doc_id": ["a", "b"], "text": ["党员委员联系党外委员", "党员委员带头履职"]})
    grams = terms.count_ngrams(texts)
    schema.check(grams, "terms")
    rows = set(zip(grams["doc_id"], grams["term"], grams["count"], strict=True))
    assert rows == {
        ("a", "党员委员 联系", 1),
        ("a", "联系 党外委员", 1),
        ("b", "党员委员 带头", 1),
        ("b", "带头 履职", 1),
    }
    assert terms.count_ngrams(pd.DataFrame()).empty


def test_dictionary_word_starting_with_a_numeral_is_a_term() -> None:
    found = counts(terms.document_terms("d", "坚持把学习习近平总书记重要讲话作为第一议题"))
    assert found["第一议题"] == 1
    assert "第一" not in found


REPORTS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "cn_gov_work_reports"


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the public work-report corpus is not beside the repository")
def test_work_reports_give_only_real_terms() -> None:
    stops = terms.stop_list()
    files = sorted(REPORTS.glob("2025_*.txt"))
    assert len(files) == 31
    for path in files:
        frame = terms.document_terms(path.name, path.read_text(encoding="utf-8"))
        assert len(frame) > 500
        for term in frame["term"]:
            assert term not in stops.words
            assert not terms.is_number(term)
            assert len(term) > 1 or term == "党"
        found = counts(frame)
        assert found.get("高质量发展", 0) >= 1  # a dictionary word every 2025 provincial report uses


# From a regulation on unemployment insurance (laws corpus): the first 转出 is one word, the
# second is cut 转 + 出 before 单位. Cut on its own, 转出 becomes 转 + 出 too.
TRANSFER = "转出地的失业保险经办机构应为转出单位或者职工开具失业保险关系转迁证明"
# From a regulation on bottled gas: 指为 is one word (a verb) here, 指 (a noun) + 为 on its own.
GAS = "(三)瓶装燃气供应站点,是指为用户供气的瓶装液化石油气供应站和分销站点"


def test_a_word_cut_otherwise_on_its_own_keeps_its_tag_from_the_text() -> None:
    # a stop list of its own, so these words are new to the vocabulary behind it
    frame = terms.document_terms("d", TRANSFER + "。" + GAS, extra_stopwords=["职工"])
    found = counts(frame)
    assert found["转出"] == 1
    assert found["失业"] == 2 and found["保险"] == 2
    assert found["瓶装"] == 2 and found["站点"] == 2 and found["指为"] == 1
    assert "职工" not in found and "转" not in found and "出" not in found
    tags = dict(zip(frame["term"], frame["pos"], strict=True))
    assert tags["转出"] == "v" and tags["指为"] == "v" and tags["证明"] == "n"


@pytest.mark.parametrize("text", [PAIRING, TRANSFER, GAS, SEED_003.read_text(encoding="utf-8")])
def test_terms_and_tags_are_those_of_the_tokenizer_in_context(text: str) -> None:
    # the same counts and usual tags worked out directly from the tagged text
    stops = terms.stop_list()
    pairs: dict[str, dict[str, int]] = {}
    for word, pos in segment.tag(text):
        if word.strip() and terms.is_term(word.strip(), stops):
            by_tag = pairs.setdefault(word.strip(), {})
            by_tag[pos] = by_tag.get(pos, 0) + 1
    expected = {term: (sum(n.values()), max(n, key=lambda p: (n[p], p))) for term, n in pairs.items()}
    frame = terms.document_terms("d", text)
    got = {t: (c, p) for t, p, c in zip(frame["term"], frame["pos"], frame["count"], strict=True)}
    assert got == expected


def test_a_batch_gives_each_document_its_own_counts() -> None:
    seeds = sorted(SEED_003.parent.glob("*.txt"))
    texts = pd.DataFrame(
        {
            "doc_id": [p.name for p in seeds] + ["pairing"],
            "text": [p.read_text(encoding="utf-8") for p in seeds] + [PAIRING],
        }
    )
    many = terms.count_terms(texts)
    schema.check(many, "terms")
    one_by_one = pd.concat([terms.document_terms(d, t) for d, t in zip(texts["doc_id"], texts["text"], strict=True)])
    assert many.reset_index(drop=True).equals(schema.conform(one_by_one, "terms"))
    assert list(dict.fromkeys(many["doc_id"])) == list(texts["doc_id"])
    pairing = counts(many[many["doc_id"] == "pairing"])
    assert pairing["党员委员"] == 3 and pairing["党外委员"] == 2


def test_terms_then_keywords_of_a_batch_cut_the_texts_once() -> None:
    from lib import keywords

    texts = pd.DataFrame({"doc_id": ["a", "b"], "text": [PAIRING, TRANSFER]})
    terms.count_terms(texts)
    before = terms._term_counts.cache_info()
    keywords.corpus_keywords(texts)
    after = terms._term_counts.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_ngrams_agree_with_the_tagged_text(n: int) -> None:
    text = SEED_003.read_text(encoding="utf-8")
    stops = terms.stop_list()
    runs: list[list[tuple[str, str]]] = [[]]
    for word, pos in segment.tag(text):  # runs of adjacent terms, split at every non-term
        if word.strip() and terms.is_term(word.strip(), stops):
            runs[-1].append((word.strip(), pos))
        else:
            runs.append([])
    by_tags: dict[str, dict[str, int]] = {}
    for run in runs:
        for i in range(len(run) - n + 1):
            gram = " ".join(w for w, _ in run[i : i + n])
            tags = " ".join(p for _, p in run[i : i + n])
            by_tags.setdefault(gram, {})
            by_tags[gram][tags] = by_tags[gram].get(tags, 0) + 1
    expected = {g: (sum(t.values()), max(t, key=lambda p: (t[p], p))) for g, t in by_tags.items()}
    frame = terms.ngrams("003", text, n=n)
    schema.check(frame, "terms")
    assert {g: (c, p) for g, p, c in zip(frame["term"], frame["pos"], frame["count"], strict=True)} == expected
    assert list(frame["count"]) == sorted(frame["count"], reverse=True)


def test_ngrams_counted_a_few_documents_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = sorted(SEED_003.parent.glob("*.txt"))
    texts = pd.DataFrame({"doc_id": [p.name for p in seeds], "text": [p.read_text(encoding="utf-8") for p in seeds]})
    at_once = terms.count_ngrams(texts)
    monkeypatch.setattr(terms, "NGRAM_CHARS", 1000)  # one document per batch
    assert terms.count_ngrams(texts).equals(at_once)
    assert list(dict.fromkeys(at_once["doc_id"])) == list(texts["doc_id"])
    assert counts(at_once[at_once["doc_id"] == SEED_003.name])["党员委员 联系"] >= 1


def test_sessions_counting_at_the_same_time_get_their_own_counts() -> None:
    from concurrent.futures import ThreadPoolExecutor

    seeds = sorted(SEED_003.parent.glob("*.txt"))
    texts = [pd.DataFrame({"doc_id": [p.name], "text": [p.read_text(encoding="utf-8")]}) for p in seeds]
    # a stop list of its own: the threads fill a new vocabulary together
    stop = ["示范点"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda t: terms.count_terms(t, extra_stopwords=stop), texts * 3))
    alone = [terms.count_terms(t, extra_stopwords=stop) for t in texts]
    for i, frame in enumerate(together):
        assert frame.equals(alone[i % len(texts)])
