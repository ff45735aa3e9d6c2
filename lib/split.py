"""Split: a cleaned file text into its documents.

A compilation is recognised by one of two kinds of markers at the start of a line:

* numbered articles: ``篇一:`` / ``篇1`` / ``第一篇`` / ``【一】`` / ``【篇一】`` / ``范文一:``,
  also written as a Markdown heading or in bold. Only a run that counts up from one is
  followed, so a list nested inside an article (``篇十`` holding its own ``篇一:``) stays
  inside that article instead of restarting the numbering;
* Markdown headings (``### 标题``) at the shallowest level that occurs more than once,
  when the file header calls itself a compilation (发言摘登, 汇编, …) or most headings
  carry a speaker line (``唐山市政协主席、党组书记 胡国辉``). Numbered section headings
  (一、 / (一) / 第一章) are sections of one document, not documents.

The text before the first marker is the file header (site banner, compilation title); it
is not a document, but ``lib.meta`` reads it for the date and source of every part. A text
without markers is one document. Every part's text is a slice of the file text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lib.regex_literals import Clause, may_match, required_literals
from lib.resources import DATA, read_lines

CUES_FILE = DATA / "split_cues.tsv"

HAN = "\u4e00-\u9fff"
CN_DIGITS = "〇零一二三四五六七八九十百两"
_NUMBER = rf"[{CN_DIGITS}]{{1,4}}|\d{{1,3}}"
# A numbered article marker (篇一 / 范文3 / 第二篇 / 【三】 / 【篇四】), one alternative per
# numbering style; the group name says which. ``lib.clean`` keeps such a line on its own.
ARTICLE_MARKER = (
    rf"(?:篇|范文)[ \t]*(?P<pian>{_NUMBER})(?=[::、.*_]|\s|$)"
    rf"|第[ \t]*(?P<di>{_NUMBER})[ \t]*篇(?=[::、.*_]|\s|$)"
    rf"|【[ \t]*(?:篇|第|范文)?[ \t]*(?P<bracket>{_NUMBER})[ \t]*篇?[ \t]*】"
)
ARTICLE_MARKER_STARTS = "篇范第【"  # the first character of every marker
_NUMBERED = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]+)?[*_]{{0,2}}[ \t]*(?:{ARTICLE_MARKER})"
    r"[*_]{0,2}[ \t]*[::、.]?[ \t]*(?P<label>[^\n]*?)[ \t]*$",
    re.MULTILINE,
)
NUMBERED_STYLES = ("pian", "di", "bracket")
_HEADING = re.compile(r"^[ \t]*(?P<hashes>#{1,6})[ \t]+(?P<label>[^\n]*?)[ \t#]*$", re.MULTILINE)
_SECTION = re.compile(
    rf"^(?:[{CN_DIGITS}]+[、.]|[((][{CN_DIGITS}\d]+[))]|第[{CN_DIGITS}\d]+[章节部分条编]|\d+(?:\.\d+)*[、.\s])"
)
_SENTENCE_PUNCT = re.compile(r"[。,;:!?;,:!?“”\"]")
_HAN_SPACE = re.compile(rf"(?<=[{HAN}])[ \t\u3000]+(?=[{HAN}])")
_CN_DIGIT_VALUES = dict(zip("〇零一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_SPEAKER_LINES = 3  # a speaker line is looked for among the first lines of a document


@dataclass(frozen=True)
class Part:
    """One document of a file: its number, its text (a slice of the file text) and byline."""

    part: int
    text: str
    title: str = ""
    author: str = ""
    author_title: str = ""
    start: int = 0  # offset of ``text`` in the file text
    header_end: int = 0  # end of the compilation header in the file text; 0 for a stand-alone text


@dataclass(frozen=True)
class _Marker:
    line_start: int  # where the marker line starts
    body_start: int  # where the document text starts (its label, or the next line)
    label: str


def split_documents(text: str) -> list[Part]:
    """The documents in a cleaned file text (none if it is blank)."""
    if not text.strip():
        return []
    markers = _numbered_markers(text) or _heading_markers(text)
    parts: list[Part] = []
    for i, marker in enumerate(markers):
        end = markers[i + 1].line_start if i + 1 < len(markers) else len(text)
        span = _strip_span(text, marker.body_start, end)
        if span:
            parts.append(_part(len(parts) + 1, text, span, title=marker.label, header_end=markers[0].line_start))
    if parts:
        return parts
    # No markers, or markers with nothing under them: the whole text is one document.
    span = _strip_span(text, 0, len(text))
    return [_part(1, text, span, title="", header_end=0)] if span else []


def speaker(line: str) -> tuple[str, str] | None:
    """``(author, author_title)`` when ``line`` is a byline such as "省政协办公厅秘书处处长 王炜娜"."""
    line = line.strip().strip("—-– \t")
    if not line or len(line) > 48 or _SENTENCE_PUNCT.search(line):
        return None
    m = _speaker_pattern().match(line)
    if not m or any(ch.isdigit() for ch in m.group("title")):
        return None
    return m.group("name"), m.group("title").strip()


def cn_number(numeral: str) -> int:
    """The value of a numeral such as "3", "十", "二十一", "一百零五" (0 if it is none)."""
    if numeral.isdecimal():
        return int(numeral)
    digits = _CN_DIGIT_VALUES
    total, current = 0, 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return 0
    return total + current


# --- markers ------------------------------------------------------------------------------


def _numbered_markers(text: str) -> list[_Marker]:
    """Markers of the numbering style with the longest run counting up from one (>= 2)."""
    found: dict[str, list[re.Match[str]]] = {style: [] for style in NUMBERED_STYLES}
    if not may_match(_needs(_NUMBERED), text):  # no 篇, 范文 or 【: no marker (saves a scan)
        return []
    for m in _NUMBERED.finditer(text):
        style = next(s for s in NUMBERED_STYLES if m.group(s) is not None)
        found[style].append(m)
    best: list[re.Match[str]] = []
    for style in NUMBERED_STYLES:
        run: list[re.Match[str]] = []
        for m in found[style]:
            if cn_number(m.group(style)) == len(run) + 1:
                run.append(m)
        if len(run) >= 2 and len(run) > len(best):
            best = run
    if not best:
        return []
    labels = [_label(m.group("label")) for m in best]
    generic = len({_tidy(label) for label in labels}) == 1  # one label on every article names the compilation
    out = []
    for m, label in zip(best, labels, strict=True):
        if generic or not label:
            out.append(_Marker(m.start(), _next_line(text, m.end()), ""))
        else:
            out.append(_Marker(m.start(), m.start("label"), label))
    return out


def _heading_markers(text: str) -> list[_Marker]:
    """Markdown headings that start documents, or [] when the headings are sections."""
    headings = list(_HEADING.finditer(text)) if may_match(_needs(_HEADING), text) else []
    levels = sorted({len(m.group("hashes")) for m in headings})
    for level in levels:
        same = [m for m in headings if len(m.group("hashes")) == level]
        if len(same) < 2:
            continue
        labels = [_label(m.group("label")) for m in same]
        if sum(bool(_SECTION.match(label)) for label in labels) * 2 >= len(labels):
            return []  # numbered sections of one document
        above = " ".join(_tidy(m.group("label")) for m in headings if len(m.group("hashes")) < level)
        with_speaker = sum(_has_speaker(text, m.end()) for m in same)
        if with_speaker * 2 >= len(same) or _compilation_pattern().search(above):
            return [_Marker(m.start(), m.start("label"), label) for m, label in zip(same, labels, strict=True)]
        return []
    return []


def _has_speaker(text: str, pos: int) -> bool:
    nxt = _LINE.search(text, pos + 1) if pos < len(text) else None
    return nxt is not None and speaker(nxt.group()) is not None


# --- parts ----------------------------------------------------------------------------------


def _part(number: int, text: str, span: tuple[int, int], *, title: str, header_end: int) -> Part:
    start, end = span
    body = text[start:end]
    author, author_title = "", ""
    for line in _first_lines(body, _SPEAKER_LINES + 1)[1:]:
        found = speaker(line)
        if found:
            author, author_title = found
            break
    return Part(number, body, title, author, author_title, start, header_end)


def _first_lines(text: str, n: int) -> list[str]:
    out = []
    for m in _LINE.finditer(text):
        if m.group().strip():
            out.append(m.group())
            if len(out) == n:
                break
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` narrowed to leave out surrounding whitespace; None if nothing is left."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    return (start + left, start + right) if right > left else None


def _next_line(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl + 1


def _label(label: str) -> str:
    """A heading label as a title: emphasis marks dropped, runs of spaces collapsed."""
    return " ".join(label.strip("*_ \t").split())


def _tidy(label: str) -> str:
    """A heading label with OCR spaces between Chinese characters removed."""
    return _HAN_SPACE.sub("", label.strip())


# --- cue files ------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _needs(pattern: re.Pattern[str]) -> tuple[Clause, ...]:
    return required_literals(pattern.pattern, pattern.flags)


@lru_cache(maxsize=1)
def _cues() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in read_lines(CUES_FILE):
        kind, _, word = line.partition("\t")
        if word.strip():
            out.setdefault(kind.strip(), []).append(word.strip())
    return out


@lru_cache(maxsize=1)
def _speaker_pattern() -> re.Pattern[str]:
    positions = sorted(_cues().get("position", []), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, positions))
    name = rf"[{HAN}]{{2,3}}|[{HAN}]{{1,8}}·[{HAN}]{{1,8}}"
    return re.compile(rf"^(?P<title>[^\s].{{0,36}}(?:{alternatives}))[ \t\u3000]*(?P<name>{name})$")


@lru_cache(maxsize=1)
def _compilation_pattern() -> re.Pattern[str]:
    words = _cues().get("compilation", [])
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")
