"""Boilerplate removal and the required literals that let it skip patterns a text cannot match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lib import clean
from lib.boilerplate import Boilerplate, boilerplate
from lib.regex_literals import may_match, required_literals
from lib.resources import Resources

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def clauses(pattern: str) -> set[frozenset[str]]:
    return set(required_literals(pattern, re.MULTILINE))


# --- required literals: read from the patterns ----------------------------------------------


def test_page_number_needs_di_and_ye() -> None:
    # "第 3 页": 第 and 页 are in every match, the digits and spaces vary
    assert clauses(r"^[ \t]*第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[/,]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?[ \t]*$") == {
        frozenset({"第"}),
        frozenset({"页"}),
    }


def test_alternatives_make_one_clause() -> None:
    found = clauses(r"^[ \t]*(版权所有|[Cc]opyright|©)[^\n]{0,100}$")
    assert frozenset({"版权所有", "opyright", "©"}) in found
    assert clauses(r"(?:ICP备|ICP证|公网安备)") == {frozenset({"ICP备", "ICP证", "公网安备"})}


def test_optional_parts_and_lookaheads() -> None:
    # (内容)? may be absent; 更多精彩 and 关注 may not
    found = clauses(r"^[ \t]*更多精彩(内容)?(请|敬请)关注[^\n]{0,40}")
    assert {frozenset({"更多精彩"}), frozenset({"关注"})} <= found
    assert not any("内容" in clause for clause in found)
    # the digits are deleted only before the journal's running head, so its 丙 must be there
    assert frozenset({"丙"}) in clauses(r"\d{1,3}(?=[ \t]*(?:体[ \t]*丙[ \t]*论|怖?[ \t]*丙[ \t]*沦))")


def test_nothing_known_is_no_clause() -> None:
    assert required_literals(r"(?i)责任编辑abc") == ()  # case-insensitive
    assert required_literals(r"\d+[ \t]*$") == ()
    assert required_literals(r"(unclosed") == ()
    assert may_match((), "任何文字")


def test_may_match_reads_the_text() -> None:
    need = required_literals(r"^[ \t]*第[ \t]*\d{1,4}[ \t]*页", re.MULTILINE)
    assert may_match(need, "第 3 页")
    assert not may_match(need, "第一条 为了规范政协提案工作,制定本办法。")


# --- removal: the same as running every pattern -------------------------------------------------


def every_pattern(rules: Boilerplate, text: str) -> str:
    for pattern in rules.patterns:
        text = pattern.sub("", text)
    return text


PAGES = [
    "当前位置:首页 > 范文大全 > 党建材料 > 正文\n政协党建工作经验材料\n第 3 页 共 12 页\n一、强化政治引领。",
    "市政协召开常委会会议。\n(责任编辑:张岩)\n上一篇:政协委员视察\n版权所有 河北省政协 冀ICP备05001234号",
    "第一条 为了规范政协提案工作,制定本办法。\n第二条 本办法适用于全市各级政协。",
    "扫一扫 在手机打开当前页\n标签:政协 党建\n全省政协系统党的建设工作会议召开。\n- 2 -",
]


@pytest.mark.parametrize("text", PAGES)
def test_remove_is_every_pattern_in_turn(text: str) -> None:
    rules = boilerplate(Resources())
    assert rules.remove(text) == every_pattern(rules, text)


def test_remove_on_the_seeds() -> None:
    rules = boilerplate(Resources())
    for path in sorted(CORPUS.iterdir()):
        text = clean.normalise_characters(path.read_text(encoding="utf-8"))
        assert rules.remove(text) == every_pattern(rules, text), path.name


def test_known_boilerplate_goes_and_body_text_stays() -> None:
    out = boilerplate(Resources()).remove(PAGES[1])
    assert "责任编辑" not in out and "ICP备" not in out and "上一篇" not in out
    assert "市政协召开常委会会议。" in out
    law = PAGES[2]
    assert boilerplate(Resources()).remove(law) == law


def test_a_deletion_that_brings_a_pattern_together(tmp_path: Path) -> None:
    # the advert sits inside the record number: once it is gone the line is a copyright line
    (tmp_path / "boilerplate.txt").write_text(
        "【广告】\n^[^\\n]{0,60}(ICP备|ICP证|公网安备)[^\\n]{0,60}$\n", encoding="utf-8"
    )
    text = "政协委员履职。\n冀IC【广告】P备05001234号\n正文继续。"
    assert boilerplate(Resources(tmp_path)).remove(text) == "政协委员履职。\n\n正文继续。"


def test_joined_lines_keep_their_order_when_some_are_left_out() -> None:
    # both lines could delete the line; the first one in the file wins, here as in the full join
    rules = Boilerplate([r"^[ \t]*标签:[^\n]*$", r"^[ \t]*标签:政协$", r"^[ \t]*第[ \t]*\d+[ \t]*页[ \t]*$"])
    text = "标签:政协\n第一条 委员应当履行职责。"
    assert rules.remove(text) == every_pattern(rules, text) == "\n第一条 委员应当履行职责。"


def test_words_the_parser_splits_are_joined_again() -> None:
    # the parser writes 责任编辑|责编 as 责(?:任编辑|编) and 字体|字号 as 字[体号]
    assert frozenset({"责任编辑", "责编"}) in clauses(r"[\[(【][ \t]*(责任编辑|责编)[ \t]*:")
    assert frozenset({"字体", "字号"}) in clauses(r"^[ \t]*[【\[]?[ \t]*(字体|字号)[ \t]*:")
    # the sharpest clause comes first: a law that merely says 责任 does not run the pattern
    need = required_literals(r"[\[(【][ \t]*(责任编辑|责编)[ \t]*:[ \t]*[^\n)\]】]{1,12}[\])】]", re.MULTILINE)
    assert need[0] == frozenset({"责任编辑", "责编"})
    assert not may_match(need, "第五十条 违反本条例规定的,依法追究法律责任。")
