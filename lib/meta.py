"""Meta: title, date, source, author and type of one document.

Everything is read from where such facts are written: the title and dateline at the top
of a document, reporter and editor lines at its end, and, for the parts of a compilation,
the compilation's header (its date and source line). A date merely mentioned in a
paragraph ("2018 年, 中办印发…") is not the document's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lib.regex_literals import Clause, may_match, required_literals
from lib.resources import BUNDLED, DATA, read_lines
from lib.split import HAN, Part, speaker

DOC_TYPES_FILE = DATA / "doc_types.tsv"
SURNAMES_FILE = BUNDLED / "surnames.txt"
DOC_TYPES = ("经验材料", "讲话", "工作报告", "述职报告", "调研报告", "新闻报道", "理论文章", "工作要点", "其他")
OTHER = "其他"
WHERE = ("title", "opening", "tail", "header", "body")

HEAD_LINES = 8  # lines at the top of a document searched for title, dateline, source, byline
TAIL_LINES = 12  # lines at its end searched for signature dates, sources, reporters
TAIL_CHARS = 3000  # the tail lines are looked for in this many last characters
BODY_MIN_HITS = 2  # body cues decide the type only with at least this many hits
EDGE_CHARS = 200  # characters of opening and tail matched against the type cues
TITLE_MAX = 60  # longest title taken from a first line
DATELINE_REST = 30  # a line with a date and at most this many other characters is a dateline
DATELINE_SOURCE_MAX = 60  # a line this short with a date and a source label is a dateline

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGIT |= {"八": 8, "九": 9}
_CN_YEAR = "〇零○O一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[ \t]*[-/.][ \t]*(?P<m>\d{1,2})[ \t]*[-/.][ \t]*(?P<d>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})[ \t]*年[ \t]*(?P<m2>\d{1,2})[ \t]*月(?:[ \t]*(?P<d2>\d{1,2})[ \t]*[日号])?"
    rf"|(?P<y3>[二一][{_CN_YEAR}]{{3}})[ \t]*年[ \t]*(?P<m3>[{_CN_SMALL}]{{1,2}})[ \t]*月"
    rf"(?:[ \t]*(?P<d3>[{_CN_SMALL}]{{1,3}})[ \t]*[日号])?"
)
_NOT_DATELINE_AFTER = re.compile(r"[ \t]*(?:以来|至|到|—|-|~|起|前|后|期间|底|初|中旬|下旬|上旬)")
_DATE_LABEL = re.compile(r"(?:时间|日期|发布|发表|印发|成文)[ \t]*[::]?[ \t]*$")
_CLAUSE_AFTER = re.compile(r"[ \t]*[,,、;;]")
_LEADER = re.compile(r"^[\s\-—–(()]*")
_SOURCE = re.compile(
    r"(?:来源|稿源|出处|转自|来自|文章来源|信息来源)[ \t]*[::][ \t]*(?P<src>[^\s()()\[\]【】<>《》|/,,;;。]{2,24})"
)
_SOURCE_CUE = re.compile(
    rf"(?P<src>[{HAN}]{{2,10}}?(?:日报|晚报|时报|报|网|新闻社|通讯社|社|电视台|电台))(?:讯|[ \t]*[((]?记者|[{HAN}]{{2,4}}\d{{1,2}}月\d{{1,2}}日电)"
)
_AUTHOR = re.compile(rf"(?:作者|撰稿|撰文|执笔)[ \t]*[::][ \t]*(?P<name>[{HAN}]{{2,4}})")
_REPORTER = re.compile(rf"[((]?(?P<title>记者|通讯员)[ \t]*(?P<name>[{HAN}]{{2,3}})(?=[)) \t、,,]|$)", re.MULTILINE)
_TITLE_STOP = re.compile(r"[。!?;:!?;:□■]|[,,](?=.{8})")
_TITLE_JUNK = re.compile(r">|当前位置|您的位置|首页|欢迎|登录|注册|^.{0,12}[::]$")
_TITLE_DATED = re.compile(rf"^(?P<title>.*?[^ \t])(?:[ \t]+(?P<name>[{HAN}]{{2,3}}))?[ \t]*(?:{_DATE.pattern})[ \t]*$")
_DATELINE_CUE = re.compile(r"^[ \t(（]*(?:时间|日期|发布时间|发布日期|来源|稿源|发表时间)[ \t]*[:：]")
_SENTENCE_END = re.compile(r"[。!?]")
_PHOTO = re.compile(r"[ \t]*摄")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+")
_YEAR_LINE = re.compile(r"^[\W_]*(?P<y>(?:19|20)\d{2})[ \t]*年?[\W_]*$")
_BYLINE_MARK = re.compile(r"[□■]")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_HAN_NAME = re.compile(rf"[{HAN}]{{2,3}}")
_HAN_RUN = re.compile(rf"[{HAN}]")
_SPACED = re.compile(rf"^(?:[{HAN}][ \t\u3000]+)+[{HAN}]$")
_WS = re.compile(r"[ \t\u3000]+")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class _TypeCue:
    doc_type: str
    where: str
    pattern: re.Pattern[str]
    needs: tuple[Clause, ...] = ()  # a text holding no word of these has no match (looked up before a scan)


def document_metadata(part: Part, *, file_text: str) -> dict[str, Any]:
    """Metadata columns of ``documents`` for one part of a file.

    ``file_text`` is the whole cleaned file; its header (before ``part.header_end``) gives
    a compilation's date and source to parts that carry none of their own.
    """
    head, tail = _edge_lines(part.text)
    header = _edge_lines(file_text[: part.header_end])[0] if part.header_end > 0 else []
    title, dated_name = (_clean_title(part.title), "") if part.title else _title_from(head)
    date = document_date(head, tail, header)
    author, author_title = part.author, part.author_title
    if not author:
        author, author_title = _byline(head, tail)
    if not author and dated_name:
        author = dated_name
    return {
        "title": title,
        "date": date,
        "year": int(date[:4]) if date else None,
        "source": _first_source(head + tail) or _first_source(header) or _source_cue(part.text[:EDGE_CHARS]),
        "author": author,
        "author_title": author_title,
        "doc_type": document_type(
            title=title, text=part.text, header="\n".join(header), opening=_opening(part.text, title)
        ),
    }


# --- dates ----------------------------------------------------------------------------------


def parse_date(text: str) -> str:
    """The first date written in ``text`` as ISO (yyyy-mm-dd, or yyyy-mm), "" if there is none."""
    for m in _DATE.finditer(text):
        iso = _iso(m)
        if iso:
            return iso
    return ""


def document_date(head: list[str], tail: list[str], header: list[str]) -> str:
    """The first dateline date among the document's top lines, its last lines, the file header."""
    for lines, strict in ((head, False), (tail, True), (header, False)):
        for line in lines:
            found = _dateline_date(line, strict=strict)
            if found:
                return found
    return ""


def _dateline_date(line: str, *, strict: bool = False) -> str:
    """The date of a dateline: a short line, a labelled date ("时间:2022-09-12"), a date beside
    a source label, or a full date opening the line that does not open a sentence
    ("——2012年2月29日在…会议上", but not "2018年6月,全国政协召开…").

    With ``strict`` only a short line counts (a signature date at the end of a text).
    """
    stripped = line.strip()
    year_only = _YEAR_LINE.match(stripped)
    if year_only:
        return year_only.group("y")
    lead = len(_LEADER.match(stripped).group())  # type: ignore[union-attr]
    for m in _DATE.finditer(stripped):
        iso = _iso(m)
        if not iso or _NOT_DATELINE_AFTER.match(stripped, m.end()):
            continue
        if len(stripped) - (m.end() - m.start()) <= DATELINE_REST:
            return iso
        if strict:
            continue
        labelled = _DATE_LABEL.search(stripped, max(0, m.start() - 8), m.start())
        beside_source = len(stripped) <= DATELINE_SOURCE_MAX and _SOURCE.search(stripped)
        opening = m.start() <= lead and len(iso) == 10 and not _CLAUSE_AFTER.match(stripped, m.end())
        if labelled or beside_source or opening:
            return iso
    return ""


def _iso(m: re.Match[str]) -> str:
    if m.group("y"):
        year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    elif m.group("y2"):
        year, month, day = int(m.group("y2")), int(m.group("m2")), int(m.group("d2") or 0)
    else:
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group("y3")))
        month, day = _cn_small(m.group("m3")), _cn_small(m.group("d3") or "")
    if not 1 <= month <= 12 or not 0 <= day <= 31:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"


def _cn_small(numeral: str) -> int:
    """Value of a numeral up to 三十一 written with 一…九 and 十 (0 if empty or malformed)."""
    if not numeral:
        return 0
    tens, _, ones = numeral.partition("十")
    if "十" not in numeral:
        return _CN_DIGIT.get(numeral, 0) if len(numeral) == 1 else 0
    if len(tens) > 1 or len(ones) > 1:
        return 0
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


# --- title, source, author ------------------------------------------------------------------


def _title_from(head: list[str]) -> tuple[str, str]:
    """The first line that reads as a title, and a name written after it before a date.

    A long first paragraph is cut where its title ends.
    """
    for line in head:
        text = _MD_HEADING.sub("", line.strip()).strip("*_ ")
        if not text or _TITLE_JUNK.search(text) or speaker(text) or _is_dateline(text):
            continue
        m = _TITLE_DATED.match(text)
        if m:
            title, name = m.group("title"), m.group("name") or ""
            if not name:
                title, name = _glued_name(title)
            return _clean_title(_cut_title(title)), name
        return _clean_title(_cut_title(text)), ""
    return "", ""


def _glued_name(title: str) -> tuple[str, str]:
    """Split "…提质增效朱冬" into title and author when its end reads as a surname and name."""
    if _title_end_at_end().search(title):
        return title, ""  # "…会议纪要": a title that ends with its genre has no name glued on
    surnames = _surnames()
    for size in (3, 2):
        name = title[-size:]
        if len(title) - size >= 4 and _HAN_NAME.fullmatch(name) and name[0] in surnames:
            return title[:-size], name
    return title, ""


def _cut_title(line: str) -> str:
    line = _BYLINE_MARK.split(line, maxsplit=1)[0].rstrip()  # "…夯基固本□刘伟…": □ opens the byline
    if len(line) <= TITLE_MAX:
        end = _SENTENCE_END.search(line)
        return line[: end.start()] if end and end.start() >= 4 else line
    stop = _TITLE_STOP.search(line)
    cut = line[: stop.start()] if stop else line
    end = _title_end().search(cut)
    if end and len(cut) > TITLE_MAX // 2:
        cut = cut[: end.end()]
    return cut[:TITLE_MAX]


def _clean_title(title: str) -> str:
    title = title.strip()
    if _SPACED.match(title):
        title = _WS.sub("", title)
    return _WS.sub(" ", title).strip()


def _is_dateline(line: str) -> bool:
    """True for a line that only gives a date, time or source ("2018-11-23 10:40:00 来源:河北新闻网")."""
    if _DATELINE_CUE.match(line) or _DATE.match(line, len(_LEADER.match(line).group())):  # type: ignore[union-attr]
        return True
    rest = _SOURCE.sub("", _TIME.sub("", _DATE.sub("", line)))
    return rest != line and len(_HAN_RUN.findall(rest)) < 4


def _first_source(lines: list[str]) -> str:
    for line in lines:
        m = _SOURCE.search(line)
        if m:
            return m.group("src")
    return ""


def _source_cue(opening: str) -> str:
    m = _SOURCE_CUE.search(opening)
    return m.group("src") if m else ""


def _byline(head: list[str], tail: list[str]) -> tuple[str, str]:
    for line in head:
        m = _AUTHOR.search(line)
        if m:
            return m.group("name"), ""
    for line in head + tail:
        found = speaker(line)
        if found:
            return found
        for m in _REPORTER.finditer(line):
            if not m.group("name").endswith("摄") and not _PHOTO.match(line, m.end()):
                return m.group("name"), m.group("title")
    return "", ""


# --- type -----------------------------------------------------------------------------------


def document_type(*, title: str, text: str, header: str = "", opening: str = "") -> str:
    """One of ``DOC_TYPES`` from the cues of data/doc_types.tsv (strongest place first)."""
    fields = {
        "title": title,
        "opening": opening or text[:EDGE_CHARS],
        "tail": text[-EDGE_CHARS:],
        "header": header,
    }
    cues = _type_cues()
    for where in WHERE[:-1]:
        value = fields[where]
        if not value:
            continue
        for cue in cues:
            if cue.where == where and cue.pattern.search(value):
                return cue.doc_type
    hits: dict[str, int] = {}
    for cue in cues:
        if cue.where == "body":
            found = len(cue.pattern.findall(text)) if may_match(cue.needs, text) else 0
            hits[cue.doc_type] = hits.get(cue.doc_type, 0) + found
    best = max(hits, key=lambda t: (hits[t], -DOC_TYPES.index(t)), default=OTHER)
    return best if hits.get(best, 0) >= BODY_MIN_HITS else OTHER


def _opening(text: str, title: str) -> str:
    """The first characters after the title line."""
    start = text.find("\n") + 1 if title and text.lstrip().startswith(title[:8]) else 0
    return text[start : start + EDGE_CHARS] if start > 0 else text[:EDGE_CHARS]


def _edge_lines(text: str) -> tuple[list[str], list[str]]:
    """The first ``HEAD_LINES`` and, after them, the last ``TAIL_LINES`` non-blank lines."""
    head: list[str] = []
    head_end = 0
    for m in _LINE.finditer(text):
        line = m.group().strip()
        if line:
            head.append(line)
            head_end = m.end()
            if len(head) == HEAD_LINES:
                break
    rest = text[max(head_end, len(text) - TAIL_CHARS) :]
    tail = [line.strip() for line in rest.splitlines() if line.strip()][-TAIL_LINES:]
    return head, tail


@lru_cache(maxsize=1)
def _type_cues() -> tuple[_TypeCue, ...]:
    out = []
    for line in read_lines(DOC_TYPES_FILE):
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{DOC_TYPES_FILE.name}: expected TYPE<TAB>WHERE<TAB>PATTERN, got {line!r}")
        doc_type, where, pattern = (f.strip() for f in fields)
        if where == "title_end":
            continue
        if doc_type not in DOC_TYPES or where not in WHERE:
            raise ValueError(f"{DOC_TYPES_FILE.name}: unknown type or place in {line!r}")
        compiled = re.compile(pattern, re.MULTILINE)
        out.append(_TypeCue(doc_type, where, compiled, _cheap_needs(compiled)))
    return tuple(out)


def _cheap_needs(pattern: re.Pattern[str]) -> tuple[Clause, ...]:
    """The sharpest clause of required words of ``pattern`` when it has few words (looking up
    many words in a long text costs more than the scan it would save), else none."""
    needs = required_literals(pattern.pattern, pattern.flags)[:1]
    return needs if needs and len(needs[0]) <= 4 else ()


@lru_cache(maxsize=1)
def _title_end() -> re.Pattern[str]:
    words = [f.split("\t")[2].strip() for f in read_lines(DOC_TYPES_FILE) if f.split("\t")[1:2] == ["title_end"]]
    return re.compile("|".join(f"(?:{w})" for w in words) or r"(?!)")


@lru_cache(maxsize=1)
def _title_end_at_end() -> re.Pattern[str]:
    return re.compile(f"(?:{_title_end().pattern})$")


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """Single-character surnames (the bylines this module reads carry no compound ones)."""
    return frozenset(w for line in read_lines(SURNAMES_FILE) for w in line.split() if len(w) == 1)
