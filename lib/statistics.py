"""Statistics: quantities stated as facts about the work, with value, unit and subject.

One compiled pattern finds every number followed by a unit (or a magnitude such as 万),
Arabic, Chinese or placeholder (X名, xx个, *%); context rules then drop what is not a
statistic: dates and years, ordinals (第一), session numbers (十二届二次会议),
anniversaries (70周年), numbered slogans and idioms (四个意识, 千家万户), numbers inside short
quotations and 《》 titles, and counts of aspects (六个方面). The counted noun (subject) is
read after the unit (230名政协委员) or, when nothing nominal follows, before the number
(提案142件, 满意率均达到100%). Units, categories, qualifiers, subject words and the excluded
phrases are data files in data/statistics/.
"""

from __future__ import annotations

import bisect
import csv
import math
import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from lib import numerals, schema, segment
from lib.resources import DATA, read_lines

Tokenizer = Any  # an rjieba.Jieba instance from lib.segment (untyped extension module)

STATISTICS_DATA = DATA / "statistics"

# number grammar --------------------------------------------------------------------------
_SPACE_CHARS = " \t\u3000"
_SPACE = rf"[{_SPACE_CHARS}]?"
_ARABIC = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
# 千 in 千瓦/千米/千克 and 百 in 百分点/百分之 belong to the unit, not to the number
_NOT_UNIT_HEAD = r"(?![瓦米克]|公顷|分点|分之|分比)"
# financial numerals (壹贰…陆…) are left out: 陆家嘴, 伍 are names far more often than numbers
_CHINESE_CHARS = "零〇○一二三四五六七八九十百千万亿两廿卅"
_CHINESE = rf"(?:[{_CHINESE_CHARS}]{_NOT_UNIT_HEAD})+"
_PLACEHOLDER = r"[Xx×*＊Ｘｘ]+(?:[.．][Xxｘ]+)?"
_MAGNITUDE_CHARS = "十百千万亿"
_MAGNITUDE = rf"(?:[{_MAGNITUDE_CHARS}]{_NOT_UNIT_HEAD})+"
_DASH = r"(?:——|--|[-—–~～－]|至|到)"
_DASH_START = "—-–~～－至到"
_MAGNITUDE_VALUES = frozenset({"万", "亿", "万亿", "千万", "百万", "十万", "亿万"})
_BARE_MAGNITUDES = frozenset("百千万亿")
_LEADING_ONLY = frozenset({"上", "数", "几"})  # 上百, 数十, 几十: only before a bare magnitude
_PERCENT_WORD = "百分之"
_PLACEHOLDER_CHARS = frozenset("Xx×*＊Ｘｘ")
# the first character of any number the grammar above reads (Arabic, Chinese, placeholder)
_NUMBER_START = frozenset("0123456789０１２３４５６７８９" + _CHINESE_CHARS) | _PLACEHOLDER_CHARS

# context -----------------------------------------------------------------------------------
_ORDINAL_BEFORE = frozenset("第届")
_CODE_CHARS = re.compile(r"[A-Za-z0-9０-９.．+＋#/@_]")
_DEMONSTRATIVES = frozenset("这那此该")
_RANK_UNITS = frozenset({"位", "名"})
_SESSION_BEFORE = ("届", "人大", "大会", "党代会")
_SESSION_AFTER = ("会议", "全体会议", "常委会")
_SESSION_ALWAYS_AFTER = ("全会", "党代会", "代表大会", "党员代表大会")
_ONCE_BLOCKERS = frozenset("再又每这那上下同首")
_ZEROS = frozenset({"零", "〇", "○"})
_TIME_FRAME_BEFORE = ("过去", "今后", "未来", "最近", "以后", "此后", "这", "前", "后")
_YEAR_MIN, _YEAR_MAX = 1900, 2100
_FIXED_CATEGORIES = frozenset({"money", "share", "time", "other"})  # not changed by the counted noun
_CLASS_AFTER = ("级",)
_LOWER_BOUNDS = frozenset({"以上"})
_THRESHOLD_BEFORE = frozenset({"超", "超过", "逾"})
_THRESHOLD_AFTER = frozenset({"以上", "以下"})
_SHARE_UNITS = frozenset({"%", "％", "‰", "成", "个百分点", "百分点", "倍"})
_NOMINAL_POS = ("n", "j", "a", "b")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_MAX_LISTED = 12
_MAX_LINK_GAP = 8
_LINK_PUNCTUATION = "、，,： \t"
_LIST_SEPARATORS = ("、", "和", "及", "与")
_CLAUSE_WINDOW = 120
_CLAUSE_MARK = re.compile(r"[，。；：！？,;:!?\n]")
_UPPER_BOUNDS = frozenset({"以下", "以内"})
_TIME_UNITS = frozenset({"年", "个月", "天", "周", "小时", "分钟", "个季度", "个工作日"})
# short quotations and 《》 titles; the opening mark is read first, so the engine skips to the marks
_SHORT_QUOTE = re.compile(
    r"[“”\"「‘《](?:(?<=[“”])[^“”\n]{1,10}”|(?<=\")[^\"\n]{1,10}\"|(?<=「)[^」\n]{1,10}」|(?<=‘)[^‘’\n]{1,10}’"
    r"|(?<=《)[^《》\n]{1,80}》)"
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_SUBJECT_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_BEFORE_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z《》“”]+$")
_SUBJECT_BREAK_POS = ("p", "c", "u", "x", "m", "q", "r", "f", "d", "w", "e", "y", "o", "t")
_MAX_SUBJECT = 10
_WINDOW = 16
_PHRASE_WINDOW = 12
_DEMOTE_AFTER_UNITS = frozenset({"share", "money"})  # subject usually before the number


# the pattern's named groups, in order (``_read`` unpacks ``match.groups()``)
_GROUPS = (
    "pct",
    "pnum",
    "ppost",
    "pre",
    "num",
    "app1",
    "mult1",
    "dash",
    "num2",
    "mult2",
    "app2",
    "mult3",
    "unit",
    "post",
)
_NUMBER_ONLY = _GROUPS.index("num") + 1  # match.lastindex when no group after the number matched


@dataclass(frozen=True)
class Unit:
    """A unit from units.csv."""

    unit: str
    category: str
    not_followed_by: tuple[str, ...]
    same_as: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor reads from data/statistics/, loaded once per process."""

    pattern: re.Pattern[str]
    units: dict[str, Unit]
    qualifier_not_after: dict[str, frozenset[str]]
    qualifiers_after_number: tuple[str, ...]
    excluded_phrases: re.Pattern[str] | None
    abstract_subjects: tuple[str, ...]
    subject_stops: frozenset[str]
    subject_links: frozenset[str]
    subject_categories: dict[str, str]
    quantity_nouns: frozenset[str]
    directory: str  # where it was read from (part of the key of the per-window caches)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _by_first_character(words: list[str]) -> str:
    """``_alternation(words)`` with the words grouped by their first character: the same matches,
    but the engine tries only the words that start with the character at hand."""
    groups: dict[str, list[str]] = {}
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())


@lru_cache(maxsize=4)
def lexicon(directory: str = str(STATISTICS_DATA)) -> Lexicon:
    """Units, qualifiers, subject words and exclusions of ``directory`` and the compiled pattern."""
    folder = Path(directory)
    units = {
        row["unit"]: Unit(
            row["unit"],
            row["category"],
            tuple(w for w in row["not_followed_by"].split("|") if w),
            row.get("same_as", ""),
        )
        for row in _csv_rows(folder / "units.csv")
    }
    unit_parts = []
    for unit in sorted(units.values(), key=lambda u: (-len(u.unit), u.unit)):
        guard = f"(?!{_alternation(list(unit.not_followed_by))})" if unit.not_followed_by else ""
        unit_parts.append(re.escape(unit.unit) + guard)
    qualifiers = _csv_rows(folder / "qualifiers.csv")
    before = [q["qualifier"] for q in qualifiers if q["position"] == "before"]
    after_number = [q["qualifier"] for q in qualifiers if q["position"] == "after_number"]
    after_unit = [q["qualifier"] for q in qualifiers if q["position"] == "after_unit"]
    number = rf"(?:{_ARABIC}|{_CHINESE}|{_PLACEHOLDER})"
    tail_chars = {
        *_SPACE_CHARS,
        *_MAGNITUDE_CHARS,
        *_DASH_START,
        *(w[0] for w in after_number + after_unit + list(units)),
    }
    tail_start = "[" + re.escape("".join(sorted(tail_chars))) + "]"
    pattern = (
        rf"(?P<pct>{_PERCENT_WORD})(?P<pnum>{_ARABIC}|{_CHINESE})"
        rf"(?:{_SPACE}(?P<ppost>{_by_first_character(after_unit)}))?"
        "|"
        rf"(?:(?P<pre>{_by_first_character(before)}){_SPACE})?"
        rf"(?P<num>{number})"
        # what may follow the number, all optional; tried only when the next character can start it
        rf"(?:(?={tail_start})"
        rf"(?:{_SPACE}(?P<app1>{_by_first_character(after_number)}))?"
        rf"(?:{_SPACE}(?P<mult1>{_MAGNITUDE}))?"
        rf"(?:{_SPACE}(?P<dash>{_DASH}){_SPACE}(?P<num2>{_ARABIC}|{_CHINESE})(?:{_SPACE}(?P<mult2>{_MAGNITUDE}))?)?"
        rf"(?:{_SPACE}(?P<app2>{_by_first_character(after_number)}))?"
        rf"(?:{_SPACE}(?P<mult3>{_MAGNITUDE}))?"
        rf"(?:{_SPACE}(?P<unit>{'|'.join(unit_parts)}))?"
        rf"(?:{_SPACE}(?P<post>{_by_first_character(after_unit)}))?"
        ")?"
    )
    phrases = read_lines(folder / "not_statistics.txt")
    categories = {row["ending"]: row["category"] for row in _csv_rows(folder / "subjects.csv")}
    # every match starts with one of these characters: a look-ahead for them lets the engine
    # pass over the other positions without trying each branch (about three times faster)
    starts = {_PERCENT_WORD[0], *(q[0] for q in before), *_NUMBER_START}
    start_class = "[" + "".join(re.escape(c) for c in sorted(starts)) + "]"
    compiled = re.compile(f"(?={start_class})(?:{pattern})")
    if tuple(compiled.groupindex) != _GROUPS:
        raise ValueError(f"statistics pattern groups {tuple(compiled.groupindex)} != {_GROUPS}")  # _read unpacks them
    return Lexicon(
        pattern=compiled,
        units=units,
        qualifiers_after_number=tuple(after_number),
        qualifier_not_after={
            q["qualifier"]: frozenset(w for w in q.get("not_after", "").split("|") if w)
            for q in qualifiers
            if q["position"] == "before"
        },
        excluded_phrases=re.compile(_by_first_character(phrases)) if phrases else None,
        abstract_subjects=tuple(read_lines(folder / "abstract_subjects.txt")),
        subject_stops=frozenset(read_lines(folder / "subject_stops.txt")),
        subject_links=frozenset(read_lines(folder / "subject_links.txt")),
        subject_categories=categories,
        quantity_nouns=frozenset(read_lines(folder / "quantity_nouns.txt")),
        directory=directory,
    )


# public API ----------------------------------------------------------------------------


def statistics_table(documents: pd.DataFrame) -> pd.DataFrame:
    """``statistics`` rows of every row of ``documents`` (doc_id, text), in document order."""
    lex = lexicon()
    tokenizer = segment.tokenizer()
    rows: list[dict[str, Any]] = []
    for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist(), strict=True):
        rows += _document_rows(str(doc_id), str(text), lex, tokenizer)
    return _table(rows)


def extract_statistics(doc_id: str, text: str) -> pd.DataFrame:
    """``statistics`` rows for one document (empty table when there is none)."""
    return _table(_document_rows(doc_id, text, lexicon(), segment.tokenizer()))


def _document_rows(doc_id: str, text: str, lex: Lexicon, tokenizer: Tokenizer) -> list[dict[str, Any]]:
    if not text:
        return []
    quotes = _Spans([m.span() for m in _SHORT_QUOTE.finditer(text)])
    reverse = ""  # the text reversed, made for the first row: the sentence start is searched in it
    rows: list[dict[str, Any]] = []
    for match in lex.pattern.finditer(text):
        if match.lastindex == _NUMBER_ONLY:
            continue  # nothing after the number closed a group: a bare number (years, list markers)
        row = _read(match, text, lex, quotes, tokenizer)
        if row is None:
            continue
        if rows and _closes_range(rows[-1], row):
            _merge_range(rows[-1], row, text)
            continue
        if rows and not row["subject"] and _continues(rows[-1], row, text, lex, tokenizer):
            row["subject"] = rows[-1]["subject"]  # 地区生产总值31534亿元、增长3.3%
        row["doc_id"] = doc_id
        reverse = reverse or text[::-1]
        row["sentence"] = _sentence(text, reverse, int(row["start"]), int(row["end"]))
        rows.append(row)
    return rows


def _closes_range(low: dict[str, Any], high: dict[str, Any]) -> bool:
    """五百元以上三千元以下: a lower bound followed at once by an upper bound in the same unit."""
    return (
        low["_post"] in _LOWER_BOUNDS
        and high["_post"] in _UPPER_BOUNDS
        and low["end"] == high["start"]
        and low["unit"] == high["unit"]
        and not (low["placeholder"] or high["placeholder"])
        and math.isnan(low["value_max"])
    )


def _continues(previous: dict[str, Any], row: dict[str, Any], text: str, lex: Lexicon, tokenizer: Tokenizer) -> bool:
    """True when only punctuation and link words (、同比增长) stand between two quantities."""
    gap = text[previous["end"] : row["start"]]
    if len(gap) > _MAX_LINK_GAP or not gap or _SENTENCE_END.search(gap):
        return False
    words = [w for w in tokenizer.cut(gap) if w.strip(_LINK_PUNCTUATION)]
    return all(w in lex.subject_links for w in words)


def _merge_range(low: dict[str, Any], high: dict[str, Any], text: str) -> None:
    low["end"] = high["end"]
    low["surface"] = low["number_text"] = text[low["start"] : low["end"]]
    low["value_max"] = high["value"]
    low["qualifier"], low["approx"], low["_post"] = "", False, high["_post"]


@lru_cache(maxsize=1)
def _empty_table() -> pd.DataFrame:
    return schema.empty("statistics")


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The ``statistics`` table of ``rows``, typed column by column (faster than conforming)."""
    if not rows:
        return _empty_table().copy()
    spec = schema.TABLES["statistics"]
    columns = zip(*map(operator.itemgetter(*spec), rows), strict=True)  # rows to columns
    return pd.DataFrame(
        {col: pd.array(values, dtype=dtype) for (col, dtype), values in zip(spec.items(), columns, strict=True)}  # type: ignore[call-overload]
    )


# reading one match --------------------------------------------------------------------------


class _Spans:
    """Non-overlapping (start, end) spans with a fast "is position inside" test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _read(match: re.Match[str], text: str, lex: Lexicon, quotes: _Spans, tokenizer: Tokenizer) -> dict[str, Any] | None:
    pct, _, _, pre, num, app1, mult1, _, num2, mult2, app2, mult3, unit_text, post = match.groups()
    if pct:
        return _read_percent_word(match, text, lex, quotes, tokenizer)
    if not unit_text and not (mult1 or mult3):
        return None  # a bare number: years, list markers, codes
    unit_text = unit_text or ""
    num_start = match.start("num")
    if not pre and _char_before(text, num_start) in _ORDINAL_BEFORE:
        return None  # 第十条, 十二届 (checked again with the rest of the context below)
    pre = pre or ""
    start = match.start("pre") if pre else num_start
    is_placeholder = num[0] in _PLACEHOLDER_CHARS
    is_chinese = not is_placeholder and num[0] not in "0123456789０１２３４５６７８９"
    if pre and (
        (pre in _LEADING_ONLY and not (is_chinese and num[0] in "十百千万亿"))
        or _char_before(text, start) in lex.qualifier_not_after.get(pre, ())
    ):
        pre, start = "", num_start  # 签约 is not 约, 上 only in 上百
    unit = lex.units.get(unit_text)
    app = app1 or app2 or ""
    mult_a = mult1 or ""
    mult_b = mult2 or mult3 or ""
    num2 = num2 or ""
    post = post or ""
    if post in ("多", "余") and unit_text not in _TIME_UNITS and _SUBJECT_CHARS.match(text, match.end("post")):
        post = ""  # 5个多功能厅: 多 starts the next word
    # the number's groups follow one another in the pattern: the last one matched ends it
    last = "mult3" if mult3 else "app2" if app2 else "mult2" if mult2 else "num2" if num2 else "mult1" if mult1 else ""
    number_end = match.end(last or ("app1" if app1 else "num"))
    end = match.end("post") if post else match.end("unit") if unit_text else number_end

    if not _context_allows(text, start, num_start, end, quotes, lex):
        return None
    if unit is None:
        # no unit: only an Arabic amount with a magnitude is a statistic (新增技能人才74万)
        magnitude = mult_a or mult_b
        if is_chinese or is_placeholder or num2 or magnitude not in _MAGNITUDE_VALUES:
            return None
    elif unit.category == "-":
        return None
    if is_chinese and not num2 and not pre and not app:
        if num in _BARE_MAGNITUDES:
            return None  # 千家万户, 百年, 万企: a bare 百/千/万 is a number only as 百余/上百
        if all(ch in _BARE_MAGNITUDES for ch in num) and not _after_link(text, start, lex) and _HAN.match(text, end):
            return None  # 百万吨乙烯, 千万吨炼化: a size class; 突破百万辆, 新增百万户以上 are numbers
    if is_chinese and num == "一" and not (num2 or post or unit_text == "次" or (unit and unit.same_as)):
        return None  # 一个, 一批, 一项: an article, not a count (一次 is kept)
    if is_chinese and num in _ZEROS:
        return None  # 零投诉, 零部件

    # values
    value: float | None
    value_max: float | None = None
    if is_placeholder:
        if unit_text in ("年", ""):
            return None  # 20**年, 201X年: a date
        value = None
    else:
        base = _base_value(num)
        if base is None:
            return None
        if isinstance(base, tuple):  # 两三个
            low, value_max = float(base[0]), float(base[1])
        else:
            low = base
        mag_a = numerals.magnitude(mult_a) or 1.0
        mag_b = numerals.magnitude(mult_b) or 1.0
        if num2:
            high = _base_value(num2)
            if high is None or isinstance(high, tuple):
                return None
            value = _scaled(low, mag_a if mult_a else mag_b)
            value_max = _scaled(high, mag_b)
        else:
            value = _scaled(low, mag_a * mag_b)
            if value_max is not None:
                value_max = _scaled(value_max, mag_a * mag_b)
    if unit_text == "年" and not _is_duration(text, start, num, pre, value, value_max):
        return None
    if not _unit_context_allows(text, num, is_chinese, unit_text, start, end):
        return None
    if unit_text and text.startswith(_CLASS_AFTER, match.end("unit")):
        return None  # 25兆瓦级风电轴承, 百万千瓦级电站: a size class, not a quantity

    if value is not None and not num2 and _summarises_list(text, start, value, is_chinese):
        return None  # 光明、富强、友好三个园区: the count of the items just listed

    if _defines_class(text, start, end, unit_text, pre, post, lex, tokenizer):
        return None  # 预增产值过10亿元的重大增长点, 20户以上自然村: a threshold naming a class

    if unit is not None and unit.same_as:  # 两个多月 -> 个月, 多
        app = app or next((q for q in lex.qualifiers_after_number if q in unit_text), "")
        unit_text = unit.same_as
    qualifier = "、".join([q for q in (pre, app, post) if q]) if (pre or app or post) else ""
    category = unit.category if unit else ""
    subject, subject_after = _subject(text, start, end, category, lex, tokenizer)
    if (
        subject_after
        and unit_text in ("个", "种", "项", "条", "大", "类")
        and subject.startswith(lex.abstract_subjects)
    ):
        return None  # 六个方面, 四个意识: structure of the text, not a count of work
    if category not in _FIXED_CATEGORIES:
        category = _subject_category(subject, lex) or category or "other"
    return {
        "start": start,
        "end": end,
        "surface": text[start:end],
        "number_text": text[start:number_end],
        "value": math.nan if value is None else value,
        "value_max": math.nan if value_max is None else value_max,
        "unit": unit_text,
        "subject": subject,
        "qualifier": qualifier,
        "approx": bool(qualifier),
        "placeholder": is_placeholder,
        "category": category,
        "_post": post,
    }


def _read_percent_word(
    match: re.Match[str], text: str, lex: Lexicon, quotes: _Spans, tokenizer: Tokenizer
) -> dict[str, Any] | None:
    """百分之六十 → 60 %."""
    start, number_end = match.start("pct"), match.end("pnum")
    post = match.group("ppost") or ""
    end = match.end("ppost") if post else number_end
    if not _context_allows(text, start, start, end, quotes, lex):
        return None
    value = _base_value(match.group("pnum"))
    if value is None or isinstance(value, tuple):
        return None
    subject, _ = _subject(text, start, end, "share", lex, tokenizer)
    return {
        "start": start,
        "end": end,
        "surface": text[start:end],
        "number_text": text[start:number_end],
        "value": float(value),
        "value_max": math.nan,
        "unit": "%",
        "subject": subject,
        "qualifier": post,
        "approx": bool(post),
        "placeholder": False,
        "category": "share",
        "_post": post,
    }


def _scaled(value: float, magnitude: float) -> float:
    """``value * magnitude`` without binary noise: 10.2亿 is 1020000000, not 1019999999.9999999."""
    return round(value * magnitude, 6) if magnitude != 1.0 else value


def _base_value(num: str) -> float | tuple[int, int] | None:
    """Value of one number as written (Arabic or Chinese); a (low, high) pair for 两三."""
    arabic = numerals.arabic_value(num)
    if arabic is not None:
        return arabic
    chinese = numerals.chinese_value(num)
    if chinese is not None:
        return float(chinese)
    return numerals.chinese_range(num)


def _context_allows(text: str, start: int, num_start: int, end: int, quotes: _Spans, lex: Lexicon) -> bool:
    """False for ordinals, codes, formulas (1+4), quoted slogans, titles and listed phrases."""
    before = _char_before(text, start)
    if before in _ORDINAL_BEFORE or (before and _CODE_CHARS.match(before)):
        return False
    after = text[end : end + 1]
    if after in ("+", "＋") or (after and after.isascii() and after.isalnum() and text[end - 1].isascii()):
        return False
    if quotes.covers(num_start):
        return False
    if lex.excluded_phrases is not None:
        # the phrases found left to right from a few characters back, as finditer would, up to
        # the first that starts after the number
        pos, hi = max(0, num_start - _PHRASE_WINDOW), min(len(text), end + _PHRASE_WINDOW)
        while (m := lex.excluded_phrases.search(text, pos, hi)) and m.start() <= num_start:
            if num_start < m.end():
                return False
            pos = m.end()
    return True


def _summarises_list(text: str, start: int, value: float, is_chinese: bool) -> bool:
    """True when the number counts an enumeration written right before it in the same clause.

    司法、城建、交通……社保等十个重点领域 and 养老、医疗、失业、工伤四项保险 restate a list; an
    Arabic count without 等 (机关党组、机关党委、机关党支部4种党组织形态) is kept as written.
    """
    if not (2 <= value <= _MAX_LISTED and value == int(value)):
        return False
    clause = _clause_before(text, start)
    if sum(clause.count(sep) for sep in _LIST_SEPARATORS) < value - 1:
        return False
    return is_chinese or clause.endswith("等")


def _clause_before(text: str, start: int) -> str:
    """The text between the last clause mark and ``start`` (at most ``_CLAUSE_WINDOW`` characters
    back; a line break right before ``start`` is left out)."""
    lo = max(0, start - _CLAUSE_WINDOW)
    end = start - 1 if start > lo and text[start - 1] == "\n" else start
    m = _CLAUSE_MARK.search(text[lo:end][::-1])  # the last mark is the first one read backwards
    return text[end - m.start() : end] if m else text[lo:end]


def _defines_class(
    text: str, start: int, end: int, unit: str, pre: str, post: str, lex: Lexicon, tokenizer: Tokenizer
) -> bool:
    """True for a bound that qualifies the noun after it (超5亿元的项目, 1500米以上农村学校)."""
    if unit in _SHARE_UNITS:
        return False  # 超过50%的企业 is the share of a population
    if text[max(0, start - 2) : start] in _LOWER_BOUNDS:
        return False  # the upper bound of 五百元以上三千元以下罚款
    linked = text[max(0, start - 1) : start] == "过" and text.startswith("的", end)  # 产值过10亿元的
    if not (pre in _THRESHOLD_BEFORE or post in _THRESHOLD_AFTER or linked):
        return False
    m = _HAN.match(text, end + 1 if text.startswith("的", end) else end)
    if not m:
        return False
    tagged = _tags(tokenizer, m.group()[:_WINDOW])
    if not tagged:
        return False
    token, pos = tagged[0]
    nominal = pos.startswith(_NOMINAL_POS) or token in lex.subject_categories  # 重大增长点, 先进制造业集群
    return nominal and token not in lex.quantity_nouns


@lru_cache(maxsize=65536)
def _tags(tokenizer: Tokenizer, text: str) -> tuple[tuple[str, str], ...]:
    """Part-of-speech tags of a short window (cached: the same windows recur across documents)."""
    return tuple(tokenizer.tag(text))


def _after_link(text: str, start: int, lex: Lexicon) -> bool:
    """True when a link word (达到, 突破, 超过 …) stands right before ``start``."""
    before = text[max(0, start - 3) : start]
    return any(before.endswith(word) for word in lex.subject_links)


def _char_before(text: str, pos: int) -> str:
    """The character before ``pos``, skipping one OCR space."""
    if pos > 0 and text[pos - 1] in " \t\u3000":
        pos -= 1
    return text[pos - 1] if pos > 0 else ""


def _is_duration(text: str, start: int, num: str, pre: str, value: float | None, value_max: float | None) -> bool:
    """True when N年 is a length of time (8年), not a date (2018年) or a time frame (近五年)."""
    if value is None:
        return False
    for v in (value, value_max):
        if v is not None and _YEAR_MIN <= v <= _YEAR_MAX:
            return False
    if len(num) >= 3 and not num[0].isdigit():  # 二〇一八年
        return False
    if pre in ("近", "将近", "接近"):
        return False
    return not text[max(0, start - 3) : start].rstrip("的").endswith(_TIME_FRAME_BEFORE)  # 过去的五年


def _unit_context_allows(text: str, num: str, is_chinese: bool, unit: str, start: int, end: int) -> bool:
    before1 = _char_before(text, start)
    before2 = text[max(0, start - 2) : start]
    after = text[end : end + 4]
    if is_chinese and before1 in _DEMONSTRATIVES:
        return False  # 这两个
    if unit in _RANK_UNITS and before1 in ("前", "后"):
        return False  # 前三名, 排名前10位
    if unit == "次":
        if after.startswith(_SESSION_ALWAYS_AFTER) or (
            before2.endswith(_SESSION_BEFORE) and after.startswith(_SESSION_AFTER)
        ):
            return False  # 十四届人大三次会议, 九次全会, 十五次党代会
        if is_chinese and num == "一" and (before1 in _ONCE_BLOCKERS or after.startswith(("次", "又"))):
            return False  # 再一次, 一次次
    return not (unit == "期" and is_chinese)  # 二期工程: a phase, not a count


# subject and category ------------------------------------------------------------------------


def _subject(text: str, start: int, end: int, category: str, lex: Lexicon, tokenizer: Tokenizer) -> tuple[str, bool]:
    """The counted noun and whether it was read after the unit."""
    if category in _DEMOTE_AFTER_UNITS:
        before = _subject_before(text, start, lex, tokenizer, verb_names_amount=category == "money")
        if before:
            return before, False
        after = _subject_after(text, end, lex, tokenizer)
        return after, bool(after)
    after = _subject_after(text, end, lex, tokenizer)
    if after:
        return after, True
    return _subject_before(text, start, lex, tokenizer), False


def _subject_after(text: str, end: int, lex: Lexicon, tokenizer: Tokenizer) -> str:
    m = _SUBJECT_CHARS.match(text, end, min(len(text), end + _WINDOW))
    if not m or m.group()[0].isdigit():
        return ""
    return _subject_at_start(tokenizer, lex.directory, m.group())


@lru_cache(maxsize=65536)
def _subject_at_start(tokenizer: Tokenizer, directory: str, window: str) -> str:
    """The counted noun that starts ``window`` (cached: the same windows recur)."""
    lex = lexicon(directory)
    out = ""
    previous = ""
    for token, pos in _tags(tokenizer, window):
        # a verb after a noun ends the subject (委员划分到)
        known = token in lex.subject_categories  # 组织 after 非公经济 is a noun, 提案 is tagged as a verb
        verb = pos == "v" and not known and previous.startswith("n")
        stop = token in lex.subject_stops and not (out and known)
        if stop or pos.startswith(_SUBJECT_BREAK_POS) or (out and verb):
            break
        if len(out) + len(token) > _MAX_SUBJECT:
            break
        out += token
        previous = pos
    return out


def _subject_before(
    text: str, start: int, lex: Lexicon, tokenizer: Tokenizer, *, verb_names_amount: bool = False
) -> str:
    window = text[max(0, start - _WINDOW) : start].rstrip(" \t\u3000")
    m = _BEFORE_CHARS.search(window)
    if not m:
        return ""
    return _subject_at_end(tokenizer, lex.directory, m.group(), verb_names_amount)


@lru_cache(maxsize=65536)
def _subject_at_end(tokenizer: Tokenizer, directory: str, run: str, verb_names_amount: bool) -> str:
    """The counted noun that ends ``run`` (cached: the same runs recur)."""
    lex = lexicon(directory)
    tagged = list(_tags(tokenizer, run))
    while tagged and (
        tagged[-1][0] in lex.subject_links or tagged[-1][1].startswith(_SUBJECT_BREAK_POS) or tagged[-1][0] in "《》“”"
    ):
        tagged.pop()
    out = ""
    for token, pos in reversed(tagged):
        if token in "《》“”":
            if out:
                break
            continue
        if token in lex.subject_stops or pos.startswith(_SUBJECT_BREAK_POS):
            if not out and verb_names_amount and pos.startswith("v"):
                out = token  # 多渠道投入60多万元: the verb names the amount
            break
        if len(out) + len(token) > _MAX_SUBJECT:
            break
        out = token + out
    return out


def _subject_category(subject: str, lex: Lexicon) -> str:
    for size in range(len(subject), 0, -1):
        category = lex.subject_categories.get(subject[-size:])
        if category:
            return category
    return ""


def _sentence(text: str, reverse: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``: from after the last sentence end before ``start``
    (searched forwards in ``reverse``, the text reversed) to the first sentence end from ``end - 1``
    on, stripped."""
    m = _SENTENCE_END.search(reverse, len(text) - start)
    lo = len(text) - m.start() if m else 0
    m = _SENTENCE_END.search(text, end - 1)
    hi = m.end() if m else len(text)
    return text[lo:hi].strip()
