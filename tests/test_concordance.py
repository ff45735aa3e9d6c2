"""Keyword in context on a sentence from the 曲周县 story, with offsets and sorting read by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import concordance, schema

# 曲0 周1 县2 政3 协4 把5 党6 员7 委8 员9 编10 入11 界12 别13 党14 支15 部16 ，17 党18 员19 委20 员21 参22 加23 …
SENTENCE = "曲周县政协把党员委员编入界别党支部，党员委员参加双重组织生活。"
TEXTS = pd.DataFrame({"doc_id": ["003.txt#01"], "text": [SENTENCE]})


def test_lines_with_offsets_and_context() -> None:
    lines = concordance.concordance(TEXTS, "党员委员", window=3)
    schema.check(lines, "concordance")
    assert lines[["start", "end", "left", "match", "right"]].to_dict("records") == [
        {"start": 6, "end": 10, "left": "政协把", "match": "党员委员", "right": "编入界"},
        {"start": 18, "end": 22, "left": "支部，", "match": "党员委员", "right": "参加双"},
    ]
    for row in lines.to_dict("records"):
        assert SENTENCE[row["start"] : row["end"]] == row["match"]


def test_window_at_the_edges_of_the_text() -> None:
    lines = concordance.concordance(TEXTS, "曲周县", window=5)
    assert lines[["left", "right"]].to_dict("records") == [{"left": "", "right": "政协把党员"}]
    lines = concordance.concordance(TEXTS, "组织生活", window=5)
    assert lines["left"].tolist() == ["员参加双重"] and lines["right"].tolist() == ["。"]


def test_sorting_by_left_and_right_context() -> None:
    # 把 (U+628A) comes before ， (U+FF0C): reading the left context backwards keeps document order
    assert concordance.concordance(TEXTS, "党员委员", window=3, sort="left")["start"].tolist() == [6, 18]
    # 参 (U+53C2) comes before 编 (U+7F16): the second line sorts first by its right context
    assert concordance.concordance(TEXTS, "党员委员", window=3, sort="right")["start"].tolist() == [18, 6]


def test_left_sort_groups_by_the_nearest_character() -> None:
    texts = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": ["全县72名党员委员。", "我县的党员委员。", "共有30名党员委员。"],
        }
    )
    lines = concordance.concordance(texts, "党员委员", window=3, sort="left")
    # read backwards: 名27, 的县, 名03 -> the two 名 lines together (名03 before 名27), then 的
    assert lines["doc_id"].tolist() == ["c", "a", "b"]


def test_line_breaks_show_as_spaces_and_nothing_found() -> None:
    texts = pd.DataFrame({"doc_id": ["x"], "text": ["界别党支部\n\n临时党支部"]})
    # the four characters before 临时 are 支部\n\n; the two breaks show as one space
    lines = concordance.concordance(texts, "临时", window=4)
    assert lines["left"].tolist() == ["支部 "]
    assert concordance.concordance(texts, "全覆盖").empty
    assert concordance.concordance(texts, "  ").empty
    assert concordance.concordance(texts.iloc[0:0], "党").empty
    with pytest.raises(ValueError):
        concordance.concordance(texts, "党", sort="middle")


def test_limit_and_query_as_written() -> None:
    texts = pd.DataFrame({"doc_id": ["x"], "text": ["委员(党员)委员(党员)"]})
    # parentheses are matched literally, not as a pattern group
    assert len(concordance.concordance(texts, "(党员)", window=1)) == 2
    assert len(concordance.concordance(texts, "(党员)", window=1, limit=1)) == 1
