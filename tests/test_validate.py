"""Checks of the editable resource files: each faulty line with its number, nothing else."""

from __future__ import annotations

import pytest

from lib import validate
from lib.resources import BUNDLED


@pytest.mark.parametrize("name", validate.EDITABLE)
def test_bundled_resources_pass(name: str) -> None:
    assert validate.resource_errors(name, (BUNDLED / name).read_text(encoding="utf-8")) == []


def test_userdict_lines() -> None:
    text = "\n".join(
        [
            "# 用户词典",  # 1 comment
            "委员履职码 n",  # 2 word and tag
            "政协委员之家 5 nt",  # 3 word, frequency, tag
            "协商议事会",  # 4 word alone
            "",  # 5 blank
            "界别活动组 3.5 n",  # 6 fractional frequency
            "委员工作室 n nt extra",  # 7 too many fields
            "双岗建功 12 n 多余",  # 8 too many fields
            "党建联席会 五 n",  # 9 frequency not a number
            "履职档案 0",  # 10 frequency zero
            "提案办理 n1",  # 11 tag with a digit
        ]
    )
    errors = validate.userdict_errors(text)
    assert [e.line for e in errors] == [6, 7, 8, 9, 10, 11]
    messages = dict(errors)
    assert "界别活动组" in messages[6] and "whole number" in messages[6]
    assert "4 fields" in messages[7]
    assert "'五'" in messages[9]
    assert "at least 1" in messages[10]
    assert "'n1'" in messages[11]


def test_userdict_tag_without_frequency_and_frequency_alone() -> None:
    assert validate.userdict_errors("委员履职码 l\n政协委员之家 20\n") == []
    errors = validate.userdict_errors("政协委员之家 -3\n")
    assert [e.line for e in errors] == [1]
    assert "whole number" in errors[0].message


def test_stopwords_one_word_per_line() -> None:
    text = "# 停用词\n进一步\n+党\n加强 推进\n+\n全县\n"
    errors = validate.stopword_errors(text)
    assert [e.line for e in errors] == [4, 5]
    assert "'加强 推进'" in errors[0].message and "2 words" in errors[0].message
    assert "+党" in errors[1].message


def test_theme_lexicon_errors_come_from_the_parser() -> None:
    text = "[组织建设]\n党支部\nre:协商(\n[组织建设]\n[协商民主\n"
    errors = validate.theme_errors(text)
    assert [e.line for e in errors] == [3, 4, 5]  # bad regex, the theme again, header unclosed
    assert "line 1" in errors[1].message


def test_boilerplate_patterns_must_compile() -> None:
    text = "# 页眉\n^[ \\t]*当前位置[ \\t]*:[^\\n]*$\n^[ \\t]*(责任编辑[^\\n]*$\n第[0-9]+页\n[abc\n"
    errors = validate.boilerplate_errors(text)
    assert [e.line for e in errors] == [3, 5]
    assert all("regular expression" in e.message for e in errors)


def test_control_characters_are_refused() -> None:
    assert [e.line for e in validate.stopword_errors("全县\n我省\x07\n")] == [2]
    assert [e.line for e in validate.userdict_errors("委员\x00码 n\n")] == [1]


def test_unknown_resource_name() -> None:
    with pytest.raises(KeyError):
        validate.resource_errors("surnames.txt", "王\n")
