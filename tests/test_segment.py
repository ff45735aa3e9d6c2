from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import segment
from lib.resources import Resources


def test_seed_sentence_keeps_domain_words_whole() -> None:
    tokens = segment.cut("在全县230名政协委员中设立了10个界别党支部")
    assert "界别党支部" in tokens
    assert "政协委员" in tokens
    assert "".join(tokens) == "在全县230名政协委员中设立了10个界别党支部"


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("将全县72名党员委员,科学编入8个界别党支部。", "党员委员"),
        ("建立实行党员委员联系帮带党外委员制度。", "党外委员"),
        ("在全县16个界别建立了8个临时党支部", "临时党支部"),
        ("推行“6+X支部主题党日”活动", "主题党日"),
        ("重点在政治思想、履职尽责、团结互助等方面发挥作用", "履职尽责"),
        ("积极推进“有事好商量”协商平台建设", "有事好商量"),
        ("曲周县政协在河北省率先实现“两个全覆盖”", "两个全覆盖"),
        ("各专委会分党组要发挥作用", "专委会分党组"),
    ],
)
def test_dictionary_words_are_single_tokens(sentence: str, word: str) -> None:
    assert word in segment.cut(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected", "absent"),
    [
        # 政协党组织 is 政协 + 党组织, not the dictionary word 政协党组 + 织
        ("不断提高政协党组织的政治领导力", ["政协", "党组织"], "政协党组"),
        # 健全 + 覆盖: 全覆盖 must not take the 全 of 健全
        ("健全覆盖全人群的服务体系", ["健全", "覆盖"], "全覆盖"),
    ],
)
def test_dictionary_words_do_not_take_characters_from_neighbours(
    sentence: str, expected: list[str], absent: str
) -> None:
    tokens = segment.cut(sentence)
    for word in expected:
        assert word in tokens
    assert absent not in tokens


def test_tags_come_from_the_dictionary() -> None:
    tags = dict(segment.tag("实行党员委员联系党外委员制度,设立8个临时党支部"))
    assert tags["党员委员"] == "n"
    assert tags["临时党支部"] == "nt"
    assert tags["8"] == "m"


def test_spans_slice_back() -> None:
    text = "曲周县政协每名党员委员联系帮带1—3名党外委员。"
    spans = segment.spans(text)
    assert [text[s:e] for _, s, e in spans] == [t for t, _, _ in spans]
    assert "".join(t for t, _, _ in spans) == text
    assert ("党员委员", 7, 11) in spans


def test_extra_words_join_without_changing_the_shared_tokenizer() -> None:
    text = "广大委员在该县“三亮一争”活动中争先锋"
    assert "三亮一争" not in segment.cut(text)
    assert "三亮一争" in segment.cut(text, extra_words=["三亮一争"])
    assert "三亮一争" not in segment.cut(text)


def test_tokenizer_is_built_once_per_dictionary_and_extras() -> None:
    assert segment.tokenizer() is segment.tokenizer(Resources())
    assert segment.tokenizer(extra_words=["a甲", "b乙"]) is segment.tokenizer(extra_words=("b乙", "a甲", "a甲"))
    assert segment.tokenizer(extra_words=["三亮一争"]) is not segment.tokenizer()


def test_parse_userdict_reads_jieba_format() -> None:
    entries = segment.parse_userdict(["# comment", "", "界别党支部 20 nt", "委员之家 nt", "协商议事室"])
    assert entries == (
        segment.DictEntry("界别党支部", 20, "nt"),
        segment.DictEntry("委员之家", None, "nt"),
        segment.DictEntry("协商议事室", None, "nz"),
    )


def test_bundled_userdict_has_the_seed_words() -> None:
    words = {e.word for e in segment.user_entries()}
    assert {"党员委员", "党外委员", "界别党支部", "专委会", "委员之家", "社情民意", "两个全覆盖"} <= words


def test_dictionary_candidates_find_words_the_default_dictionary_splits(tmp_path: Path) -> None:
    (tmp_path / "userdict.txt").write_text("", encoding="utf-8")
    plain = Resources(directory=tmp_path)
    texts = ["党员委员联系党外委员。", "全县党员委员参加活动。", "党员委员带头履职。"]
    candidates = segment.dictionary_candidates(texts, resources=plain, min_count=3, min_len=4, max_parts=2)
    # 党员委员 occurs three times, always cut into 党员 + 委员
    assert segment.Candidate("党员委员", 3, ("党员", "委员")) in candidates
    assert all(c.occurrences >= 3 for c in candidates)


def test_empty_text() -> None:
    assert segment.cut("") == []
    assert segment.tag("") == []
    assert segment.spans("") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_and_spans_cover_it(text: str) -> None:
    spans = segment.spans(text)
    assert "".join(t for t, _, _ in spans) == text
    assert all(text[s:e] == t for t, s, e in spans)
    assert len(segment.tag(text)) == len(segment.cut(text))
