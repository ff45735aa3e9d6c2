"""Large counts written short for the metric tiles, in Chinese and English units."""

from __future__ import annotations

from lib.number_format import compact, exact


def test_small_counts_are_exact() -> None:
    assert compact(0) == "0"
    assert compact(7) == "7"
    assert compact(51_300) == "51,300"
    assert compact(99_999, lang="en") == "99,999"


def test_chinese_units() -> None:
    # 310,504,321 characters: 3 亿 1050 万 → 3.1亿
    assert compact(310_504_321) == "3.1亿"
    assert compact(100_000) == "10万"
    assert compact(20_463_000) == "2,046万"  # 2046 万: no decimal above a thousand
    assert compact(99_999_999) == "1亿"  # 0.99999999 亿 rounds up to the next unit
    assert compact(-310_504_321) == "-3.1亿"


def test_english_units() -> None:
    assert compact(310_504_321, lang="en") == "310.5M"
    assert compact(100_000, lang="en") == "100K"
    assert compact(999_960, lang="en") == "1M"  # not 1,000K
    assert compact(123_456_789_012, lang="en") == "123.5B"
    assert compact(2_000_000_000_000, lang="en") == "2,000B"


def test_unknown_language_uses_chinese_units() -> None:
    assert compact(310_504_321, lang="fr") == "3.1亿"


def test_exact() -> None:
    assert exact(310_504_321) == "310,504,321"
