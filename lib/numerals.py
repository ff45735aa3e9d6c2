"""Numbers as written in Chinese official prose: Arabic, Chinese and mixed forms.

``chinese_value`` reads a run of Chinese numeral characters (一百二十三, 两千, 三万五千,
一千零八, 廿, 二〇一八, 壹佰); ``chinese_range`` reads the two-digit approximations
(两三, 三五, 七八); ``magnitude`` reads the multiplier suffix (万, 亿, 万亿, 千万);
``arabic_value`` reads 31,534 / 2.59 / full-width digits. All return ``None`` for a
string that is not a number, never raise.
"""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
# small units inside a section (below 万)
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# section units
BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
# 廿 = twenty, 卅 = thirty, 卌 = forty (a tens word on its own)
TENS_WORDS: dict[str, int] = {"廿": 20, "卅": 30, "卌": 40}

CHINESE_NUMERAL_CHARS = "".join([*DIGITS, *SMALL_UNITS, *BIG_UNITS, *TENS_WORDS])
MAGNITUDE_CHARS = "十百千万亿"


def _section(text: str) -> int | None:
    """Value of a numeral below 万 (一千零八, 二十, 十二, 廿三); None if malformed."""
    if not text:
        return None
    total = 0
    digit: int | None = None
    last_unit = 10_000  # units must decrease: 三千五百 but not 五百三千
    for ch in text:
        if ch in DIGITS:
            if digit is not None and digit != 0 and DIGITS[ch] != 0:
                return None  # two digits in a row without a unit: 十四五
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            if digit is None:
                if total:  # bare 十/百/千 (ten, a hundred, a thousand) only at the start
                    return None
                digit = 1
            total += digit * unit
            digit = None
            last_unit = unit
        elif ch in TENS_WORDS:
            if total or digit is not None:
                return None
            total = TENS_WORDS[ch]
            last_unit = 10
        else:
            return None
    if digit is not None:
        total += digit
    return total


def _digit_string(text: str) -> int | None:
    """二〇一八 → 2018: digits written one after another, as in years and codes."""
    if len(text) < 2 or any(ch not in DIGITS for ch in text):
        return None
    return int("".join(str(DIGITS[ch]) for ch in text))


def chinese_value(text: str) -> int | None:
    """Value of a Chinese numeral: 一百二十三 → 123, 三万五千 → 35000, 两亿 → 200000000.

    A string of plain digits without units (二〇一八) is read digit by digit only when it
    contains a zero digit or is longer than two characters; two adjacent digits such as
    三五 are an approximate range, see ``chinese_range``.
    """
    if not text:
        return None
    if all(ch in DIGITS for ch in text):
        if len(text) == 1:
            return DIGITS[text]
        if len(text) > 2 or any(DIGITS[ch] == 0 for ch in text):
            return _digit_string(text)
        return None
    total = 0
    rest = text
    for big_char, big in (("亿", 100_000_000), ("億", 100_000_000), ("万", 10_000), ("萬", 10_000)):
        if big_char in rest:
            head, _, rest = rest.partition(big_char)
            if big_char in rest or (big == 10_000 and ("亿" in rest or "億" in rest)):
                return None
            head_value = 1 if head == "" else chinese_value(head) if big_char in "亿億" else _section(head)
            if head_value is None:
                return None
            total += head_value * big
    if rest:
        if rest[0] in "零〇○":
            rest = rest.lstrip("零〇○")
            if not rest:
                return total
        elif total and len(rest) == 1 and rest in DIGITS:
            # 三万五 = 35000, 两千五 handled in _section; here the digit follows a big unit
            previous = 100_000_000 if ("亿" in text or "億" in text) and "万" not in text else 10_000
            return total + DIGITS[rest] * previous // 10
        section = _section(rest)
        if section is None:
            return None
        total += section
    return total


def chinese_range(text: str) -> tuple[int, int] | None:
    """Two adjacent digits read as an approximate range: 两三 → (2, 3), 三五 → (3, 5)."""
    if len(text) != 2 or any(ch not in DIGITS for ch in text):
        return None
    low, high = DIGITS[text[0]], DIGITS[text[1]]
    if low == 0 or not (0 < high - low <= 2):
        return None
    return low, high


def magnitude(text: str) -> float | None:
    """Multiplier written after a number: 万 → 1e4, 万亿 → 1e12, 千万 → 1e7; '' → 1."""
    value = 1.0
    for ch in text:
        if ch in SMALL_UNITS:
            value *= SMALL_UNITS[ch]
        elif ch in BIG_UNITS:
            value *= BIG_UNITS[ch]
        else:
            return None
    return value


def arabic_value(text: str) -> float | None:
    """31,534 → 31534.0, 2.59 → 2.59, full-width digits accepted; None if not a number."""
    if text.isascii() and text.isdigit():
        return float(text)  # the common case, without the clean-up below
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").replace("．", ".")
    if not cleaned or cleaned.startswith(".") or cleaned.endswith("."):
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def number_value(text: str) -> float | None:
    """Arabic or Chinese numeral, with an optional magnitude suffix: 2.59万 → 25900.0."""
    text = text.strip()
    if not text:
        return None
    arabic = arabic_value(text)
    if arabic is not None:
        return arabic
    split = len(text)
    while split > 0 and text[split - 1] in MAGNITUDE_CHARS:
        split -= 1
    if split < len(text) and split > 0:
        head = arabic_value(text[:split])
        mult = magnitude(text[split:])
        if head is not None and mult is not None:
            return head * mult
    chinese = chinese_value(text)
    return float(chinese) if chinese is not None else None
