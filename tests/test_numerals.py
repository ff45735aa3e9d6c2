"""Chinese and Arabic number reading."""

from __future__ import annotations

import pytest

from lib import numerals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一百二十三", 123),
        ("两千", 2000),
        ("十二", 12),
        ("十", 10),
        ("二十", 20),
        ("三万五千", 35000),
        ("三万五", 35000),
        ("一千零八", 1008),
        ("一万零五百", 10500),
        ("〇", 0),
        ("零", 0),
        ("两", 2),
        ("廿", 20),
        ("廿三", 23),
        ("百", 100),
        ("一百一十", 110),
        ("两亿", 200_000_000),
        ("一亿二千万", 120_000_000),
        ("一万亿", 1_000_000_000_000),
        ("百万", 1_000_000),
        ("壹佰贰拾", 120),
        ("二〇一八", 2018),
    ],
)
def test_chinese_value(text: str, expected: int) -> None:
    assert numerals.chinese_value(text) == expected


@pytest.mark.parametrize("text", ["十四五", "五百三千", "", "万万", "三亿五亿", "十十", "abc", "两三"])
def test_not_a_chinese_number(text: str) -> None:
    assert numerals.chinese_value(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("两三", (2, 3)), ("三五", (3, 5)), ("七八", (7, 8)), ("一两", (1, 2)), ("三三", None), ("五一", None)],
)
def test_chinese_range(text: str, expected: tuple[int, int] | None) -> None:
    assert numerals.chinese_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.59万", 25_900.0),
        ("1.6亿", 160_000_000.0),
        ("1.2万亿", 1_200_000_000_000.0),
        ("31,534", 31_534.0),
        ("１２", 12.0),
        ("8000万", 80_000_000.0),
        ("三万五千", 35_000.0),
        ("230", 230.0),
        ("", None),
        ("2.", None),
        ("万", 10_000.0),
    ],
)
def test_number_value(text: str, expected: float | None) -> None:
    assert numerals.number_value(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("万", 1e4), ("万亿", 1e12), ("千万", 1e7), ("", 1.0), ("元", None)])
def test_magnitude(text: str, expected: float | None) -> None:
    assert numerals.magnitude(text) == expected
