import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import schema, themes
from lib.resources import Resources

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = ROOT / "data" / "corpus" / "003_43cb40c7cae0b93c.txt"

REQUIRED = (
    "组织建设",
    "思想理论武装",
    "制度建设",
    "作风与廉政建设",
    "协商议政",
    "民主监督",
    "委员管理与服务",
    "界别工作",
    "脱贫攻坚与乡村振兴",
    "疫情防控",
    "基层协商",
    "党史学习教育",
)


def own_lexicon(tmp_path: Path, text: str) -> Resources:
    (tmp_path / "themes.txt").write_text(text, encoding="utf-8")
    return Resources(directory=tmp_path)


def hits(frame: object) -> dict[str, int]:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    return dict(zip(frame["theme"], frame["hits"], strict=True))


def test_bundled_lexicon_is_valid_and_has_the_themes() -> None:
    lexicon, errors = themes.parse_lexicon((ROOT / "data" / "resources" / "themes.txt").read_text(encoding="utf-8"))
    assert errors == []
    assert set(REQUIRED) <= set(lexicon)
    assert all(lexicon[name] for name in lexicon)


def test_party_branches_in_seed_003(tmp_path: Path) -> None:
    text = SEED_003.read_text(encoding="utf-8")
    res = own_lexicon(tmp_path, "[组织建设]\n党支部\n界别党支部\n临时党支部\n")
    frame = themes.document_themes("003", text, resources=res)
    schema.check(frame, "themes")
    # Read from the article: 临时党支部 twice, 界别党支部 four times, and 党支部 alone five
    # times (有的党支部, 筹建党支部, 金瑞汽贸党支部, 社会组织党支部, 为党支部活动) = 11.
    assert hits(frame) == {"组织建设": 11}
    assert math.isclose(frame.iloc[0]["score"], 11 * 1000 / len(text))


def test_seed_003_with_the_bundled_lexicon() -> None:
    frame = themes.document_themes("003", SEED_003.read_text(encoding="utf-8"))
    found = hits(frame)
    # 民主监督 seven times: 参政议政、民主监督; 民主监督常态化; 专项民主监督 twice;
    # 民主监督员; 民主监督小组; 进行民主监督活动
    assert found["民主监督"] == 7
    # the article is about party organisation in a county CPPCC: its leading theme
    assert max(found, key=lambda k: found[k]) == "组织建设"
    assert "疫情防控" not in found
    assert list(frame["theme"]) == [t for t in themes.lexicon() if t in found]  # lexicon order


def test_longer_entries_count_once_and_patterns_match(tmp_path: Path) -> None:
    res = own_lexicon(tmp_path, "[委员服务]\n委员\nre:委员[^,，。]{0,2}工作室\n委员之家\n")
    frame = themes.document_themes("d", "建成委员之家和3个委员工作室,服务委员。", resources=res)
    # 委员之家, 委员工作室 (pattern), 委员 alone once
    assert hits(frame) == {"委员服务": 3}


def test_parse_lexicon_reports_line_numbers() -> None:
    text = "\n".join(
        [
            "# comment",  # 1
            "孤立的词",  # 2 before any theme
            "[组织建设]",  # 3
            "党支部",  # 4
            "党支部",  # 5 repeat of 4
            "re:(党组",  # 6 bad pattern
            "re:a*",  # 7 matches empty text
            "党 支部",  # 8 space
            "[组织建设]",  # 9 theme again
            "[空主题]",  # 10 no terms
            "[坏",  # 11 bad header
            "",  # 12
            "[民主监督]",  # 13
            "re:民主监督(?:性)?(?:议题|视察)",  # 14
            "民主监督",  # 15
        ]
    )
    lexicon, errors = themes.parse_lexicon(text)
    assert [e.line for e in errors] == [2, 5, 6, 7, 8, 9, 10, 11]
    assert "repeats line 4" in errors[1].message
    assert "already starts at line 3" in errors[5].message
    assert lexicon == {"组织建设": ("党支部",), "民主监督": ("民主监督(?:性)?(?:议题|视察)", "民主监督")}


def test_lexicon_errors_do_not_stop_the_build(tmp_path: Path) -> None:
    res = own_lexicon(tmp_path, "[疫情防控]\nre:(疫情\n疫情防控\n")
    assert hits(themes.document_themes("d", "做好疫情防控工作,疫情防控常态化", resources=res)) == {"疫情防控": 2}


def test_empty_text_and_no_hits() -> None:
    for text in ("", "今天天气很好。"):
        frame = themes.document_themes("d", text)
        assert list(frame.columns) == schema.columns("themes") and frame.empty


@pytest.mark.parametrize("line", ["re:", "[]"])
def test_degenerate_lines_are_errors(line: str) -> None:
    _, errors = themes.parse_lexicon(f"[组织建设]\n党支部\n{line}\n")
    assert [e.line for e in errors] == [3]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    frame = themes.document_themes("d", text)
    schema.check(frame, "themes")
    assert (frame["hits"] > 0).all()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_lexicon_never_raises(text: str) -> None:
    lexicon, errors = themes.parse_lexicon(text)
    assert all(e.line >= 1 for e in errors)
    themes.theme_patterns(lexicon)


def test_preview_an_edited_lexicon_without_saving_it() -> None:
    lexicon, errors = themes.parse_lexicon("[疫情防控]\n疫情防控\n核酸\n[基层协商]\n有事好商量\n")
    assert errors == []
    frame = themes.document_themes("d", "做好疫情防控和核酸检测,搭建“有事好商量”平台", lexicon=lexicon)
    assert hits(frame) == {"疫情防控": 2, "基层协商": 1}


def test_an_edited_lexicon_file_is_read_again(tmp_path: Path) -> None:
    text = "做好疫情防控,开展核酸检测"
    res = own_lexicon(tmp_path, "[疫情防控]\n疫情防控\n")
    assert hits(themes.document_themes("d", text, resources=res)) == {"疫情防控": 1}
    edited = tmp_path / "themes.new"
    edited.write_text("[疫情防控]\n疫情防控\n核酸\n", encoding="utf-8")
    edited.replace(tmp_path / "themes.txt")
    assert hits(themes.document_themes("d", text, resources=res)) == {"疫情防控": 2}


def test_patterns_with_groups_or_empty_matches_count_only_real_hits() -> None:
    # 党? before 员 matches 党 in 党员 but nothing (an empty match) before 员 in 委员
    lexicon, errors = themes.parse_lexicon("[无分组]\nre:党?(?=员)\n[有分组]\nre:(党)?(?=员)\nre:党(小)?组\n")
    assert errors == []
    frame = themes.document_themes("d", "党员和委员参加党小组和党组的会议", lexicon=lexicon)
    # 有分组: 党 of 党员, 党小组, 党组 = 3; the empty match before 委员's 员 is not a hit
    assert hits(frame) == {"无分组": 1, "有分组": 3}


def test_a_batch_gives_the_rows_of_each_document_in_order() -> None:
    import pandas as pd

    texts = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": ["做好疫情防控工作,疫情防控常态化", "今天天气很好。", "", SEED_003.read_text(encoding="utf-8")],
        }
    )
    frame = themes.corpus_themes(texts)
    schema.check(frame, "themes")
    one_by_one = [themes.document_themes(d, t) for d, t in zip(texts["doc_id"], texts["text"], strict=True)]
    assert frame.equals(schema.conform(pd.concat(one_by_one, ignore_index=True), "themes"))
    assert hits(frame[frame["doc_id"] == "a"]) == {"疫情防控": 2}
    assert list(dict.fromkeys(frame["doc_id"])) == ["a", "d"]
    assert themes.corpus_themes(pd.DataFrame({"doc_id": [], "text": []})).empty
