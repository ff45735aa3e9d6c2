"""Clean: extracted text in, normalised text out, one paragraph per line.

The steps, in order:

1. Unicode NFKC (full-width digits, letters and ``，：；！？（）`` become ASCII), one kind of
   line break, no control or zero-width characters; HTML entity residue (``ldquo;``,
   ``&nbsp;``) becomes the character it names.
2. Traditional characters become simplified (不斷 → 不断). Characters that are also
   simplified (乾, 於, 瞭 …) are converted only on a line that holds unambiguous
   traditional characters, and then by OpenCC's phrase-aware conversion.
3. Site boilerplate, page headers and OCR debris are deleted: the patterns are the lines of
   the resource file ``boilerplate.txt``.
4. Lines broken in the middle of a sentence are joined; paragraphs, headings (``#``),
   numbered articles (``篇一:``), section headings (``一、``), speaker lines
   (``唐山市政协主席、党组书记 胡国辉``), date/source lines and table rows stay lines of
   their own. Blank lines go.
5. Spaces: removed between Chinese characters, between Chinese and Latin letters or
   digits and around punctuation next to Chinese; OCR splits in numbers are closed
   (``2 018 年`` → ``2018年``); Latin words keep one space. Headings, speaker and
   date/source lines keep their spaces (they separate title and name, date and source).

Placeholders (``X县``, ``XX名``, ``×同志``, ``***``, ``201X年``) are kept in the text;
``placeholders`` finds them and ``is_template`` tells whether they show a template or an
anonymised copy. ``clean_text`` is idempotent.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from pathlib import Path

import opencc

from lib import split
from lib.boilerplate import boilerplate
from lib.resources import Resources

# --- character classes ------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f"
# Chinese punctuation and symbols that survive NFKC (、。“”《》【】…—·□ …)
CJK_PUNCT = (
    "\u3001-\u3003\u3008-\u3011\u3014-\u301f\u2018\u2019\u201c\u201d\u2014\u2015\u00b7\u2022\u25a0-\u25ff\u2605\u2606"
)
# ASCII punctuation that stands for Chinese punctuation after NFKC
ASCII_PUNCT = r",.;:!?()\[\]%\"'"
LATIN = "A-Za-z0-9"

_H = f"[{HAN}]"
_HP = f"[{HAN}{CJK_PUNCT}]"

# --- step 1: characters --------------------------------------------------------------------

_BREAKS = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0/C1 controls except tab and newline, zero-width characters, soft hyphen, lone surrogates
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]"
)
# HTML entities ("&nbsp;", "&#8220;") and the residue of badly converted pages ("ldquo;")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
_RESIDUE_NAMES = (
    "ldquo",
    "rdquo",
    "lsquo",
    "rsquo",
    "nbsp",
    "mdash",
    "ndash",
    "hellip",
    "middot",
    "bull",
    "emsp",
    "ensp",
    "laquo",
    "raquo",
)
_RESIDUE = re.compile(r"(?<![A-Za-z&])(?:" + "|".join(_RESIDUE_NAMES) + ");")
_RESIDUE_NAME = re.compile("(?:" + "|".join(_RESIDUE_NAMES) + ");")  # found fast: starts with a letter
# Full-width forms, the bulk of what NFKC changes in Chinese text, mapped in one pass; then
# NFKC runs only on stretches that are not plainly stable (ASCII, Han, common punctuation)
# together with the character before each stretch, which a combining mark may join.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_HALF_WIDTH = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000)}
_NOT_NFKC_STABLE = re.compile(
    "[^\\x00-\\x7f\u4e00-\u9fff\u3001\u3002\u3007-\u3011\u3014-\u301b"
    "\u00b7\u00d7\u2014\u2015\u2018\u2019\u201c\u201d\u25a1\u25cb]+"
)


def _half_width(text: str) -> str:
    """Full-width forms as ASCII: each distinct one replaced throughout at once."""
    for char in set(_FULL_WIDTH.findall(text)):
        text = text.replace(char, _HALF_WIDTH[char])
    return text


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, normalising only the stretches that may change."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    out: list[str] = []
    pos = 0
    for match in _NOT_NFKC_STABLE.finditer(text):
        start, end = match.span()
        start = max(pos, start - 1)  # the character before may combine with a mark
        out += (text[pos:start], unicodedata.normalize("NFKC", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


_ESCAPED_ENTITY = re.compile(r"&amp;(?=(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});)")


def _entity_char(match: re.Match[str]) -> str:
    raw = match.group(0)
    name = raw if raw.startswith("&") else "&" + raw
    out = html.unescape(name)
    if out == name:  # not an entity
        return raw
    out = unicodedata.normalize("NFKC", out)
    return "" if _INVISIBLE.fullmatch(out) else out


def normalise_characters(text: str) -> str:
    """NFKC, ``\\n`` line breaks, no invisible characters, entity residue resolved."""
    text = _BREAKS.sub("\n", text.replace("\r\n", "\n"))
    text = nfkc(_half_width(_INVISIBLE.sub("", text)))
    for _ in range(4):  # "&amp;nbsp;" is "&nbsp;" escaped once more
        resolved = text
        if "&" in resolved:
            resolved = _ENTITY.sub(_entity_char, _ESCAPED_ENTITY.sub("&", resolved))
        if _RESIDUE_NAME.search(resolved):
            resolved = _RESIDUE.sub(_entity_char, resolved)
        if resolved == text:
            break
        text = resolved
    return text


# --- step 2: traditional -> simplified ----------------------------------------------------


def _opencc_dictionary(name: str) -> dict[str, list[str]]:
    path = Path(opencc.__file__).resolve().parent / "dictionary" / name
    table: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values:
            table[key] = values.split(" ")
    return table


@lru_cache(maxsize=1)
def _traditional() -> tuple[frozenset[str], dict[str, str], re.Pattern[str]]:
    """(every character OpenCC converts, the unambiguously traditional ones -> simplified, a
    pattern finding them)."""
    chars = _opencc_dictionary("TSCharacters.txt")
    phrases = _opencc_dictionary("TSPhrases.txt")
    simplified_forms = {c for values in chars.values() for c in values}
    simplified_forms |= {c for values in phrases.values() for c in values[0]}
    simplified_forms |= set(_opencc_dictionary("STCharacters.txt"))
    only_traditional = {
        key: values[0]
        for key, values in chars.items()
        if len(key) == 1 and key not in values and key not in simplified_forms
    }
    # a class of BMP characters is fast to search, one with characters beyond it is not
    bmp = "".join(sorted(c for c in only_traditional if ord(c) <= 0xFFFF))
    return frozenset(chars), only_traditional, re.compile(f"[{re.escape(bmp)}]")


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def _has_traditional(text: str) -> bool:
    _, char_map, found = _traditional()
    if found.search(text):
        return True
    return bool(_BEYOND_BMP.search(text)) and not char_map.keys().isdisjoint(text)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones; text without them is returned unchanged."""
    if not _has_traditional(text):
        return text
    convertible, char_map, _ = _traditional()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _has_traditional(line):
            continue
        converted = _t2s().convert(line)
        if len(converted) == len(line):
            lines[i] = "".join(new if old in convertible else old for old, new in zip(line, converted, strict=True))
        else:
            lines[i] = "".join(char_map.get(c, c) for c in line)
    return "\n".join(lines)


# --- step 3: boilerplate --------------------------------------------------------------------


def remove_boilerplate(text: str, *, resources: Resources | None = None) -> str:
    """``text`` with every match of the patterns of ``boilerplate.txt`` deleted."""
    return boilerplate(resources).remove(text)


# --- step 4 and 5: lines and spaces ---------------------------------------------------------

_WS = re.compile(r"[^\S\n\t]+")
# white space but space, tab and line break: the characters for which str.isspace() is true,
# listed (not a negated \s) so that the engine scans for them fast
_OTHER_WS = re.compile("[\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_TABS = re.compile(r" ?\t[\t ]*")

# A space is dropped between Chinese characters or punctuation, between Chinese and Latin
# letters or digits, around ASCII punctuation next to Chinese, between a closing quote or
# bracket and punctuation, and before "%". Every alternative starts with the space, so the
# search only stops at spaces; spaces are single here, so one pass does them all.
_SPACE = re.compile(
    f" (?:(?<={_HP} )(?=[{HAN}{CJK_PUNCT}{LATIN}{ASCII_PUNCT}])|(?<=[{LATIN}{ASCII_PUNCT}] )(?={_HP})"
    r"|(?<=[)\]\"”’] )(?=[,.;:!?、。])|(?<=\d )(?=%))"
)
# headings, date/source and speaker lines keep their spaces except around punctuation
_GENTLE_SPACE = re.compile(
    rf' (?:(?<={_HP} )(?=[{ASCII_PUNCT}])|(?<=[{ASCII_PUNCT}] )(?={_HP})|(?<=[)\]"”’] )(?=[,.;:!?、。]))'
)
# OCR splits in years ("2 018年", "20 18 年", "2 0 1 8 年") and thousands before a unit
# ("1 000人", "12 345 元")
_YEAR = re.compile(r"(?<![\d.])([12]) ?([09]) ?(\d) ?(\d) ?(?=年)")
_THOUSANDS = re.compile(f"(?<![\\d.,])\\d{{1,3}}(?: \\d{{3}})+(?![\\d.,])(?= ?[{HAN}%])")
_DIGIT_SPACE = re.compile(r"\d ")


def _canonical(line: str) -> str:
    line = _WS.sub(" ", line)
    if "\t" in line:
        line = _TABS.sub("\t", line)
    return line.strip(" \t")


def _close_spaces(line: str, *, gentle: bool) -> str:
    if " " not in line:
        return line
    if gentle:
        return _GENTLE_SPACE.sub("", line)
    if _DIGIT_SPACE.search(line):
        if "年" in line:
            line = _YEAR.sub(r"\1\2\3\4", line)
        line = _THOUSANDS.sub(lambda m: m.group(0).replace(" ", ""), line)
    return _SPACE.sub("", line)


_TERMINAL = re.compile(r"(?:[。!?;:…|]|\.)[\"”’)\]』」》]*$")
# a space before a Chinese punctuation mark, or after one before a Chinese character
_OCR_SPACING = re.compile(f" [,、。;:!?“”]|[,、。;:“”] (?={_H})")
_OPENS_WITH_PUNCT = re.compile(r"[。,、;:!?)”’]")
_SENTENCE_END = re.compile(r"[。!?;]")
_CONTINUES = re.compile(r"[,、(\[“‘《—]$")
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_PIAN = re.compile(f"(?:{split.ARTICLE_MARKER})")  # matched at the start of a line
_SECTION = re.compile(
    r"^(?:第?[一二三四五六七八九十百]{1,3} ?[、.]|[(] ?[一二三四五六七八九十百\d]{1,3} ?[)]"
    r"|\d{1,2} ?[、.](?!\d)|第 ?[一二三四五六七八九十百\d]{1,3} ?[章节部分条编])"
)
_BULLET = re.compile(r"^(?:[-*+•●■◆▲★☆◇○] |\|)")
_META_START = re.compile(r"(?:来源|时间|发布时间|日期|作者|发布日期) ?:|\d{4}-\d{1,2}-\d{1,2}")
_SOURCE = re.compile(r"(?:^|\s)来源 ?:")
_DATE_END = re.compile(r"\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日$")
_SPEAKER = re.compile(f"^[{HAN}、·()]{{1,40}}[长席记任员委表事监理师授者书官] [{HAN}·]{{2,4}}$")
_LONG_LINE = 40  # a line at least this long that stops mid-sentence is a broken paragraph
_WRAPPED_LINE = 50  # OCR lines wrapped at the page width are shorter than this
_TITLE_LINE = 50  # a title (first line, line under a heading) is at most this long


def _kind(line: str) -> str:
    """heading / pian / meta / speaker / table / text for a canonical line."""
    first = line[:1]
    if first == "#" and _HEADING.match(line):
        return "heading"
    if first and first in split.ARTICLE_MARKER_STARTS and _PIAN.match(line):
        return "pian"
    if "\t" in line or (first == "|" and line.endswith("|")):
        return "table"
    if len(line) <= 80 and (
        _META_START.match(line)
        or ("来源" in line and _SOURCE.search(line))
        or (line.endswith("日") and _DATE_END.search(line))
    ):
        return "meta"
    if " " in line and len(line) <= 50 and _speaker_shape(line) and _SPEAKER.match(line):
        return "speaker"
    return "text"


def _speaker_shape(line: str) -> bool:
    """What _SPEAKER needs, cheaply: one space, and two to four characters after it."""
    space = line.find(" ")
    return 2 <= len(line) - space - 1 <= 4 and line.count(" ") == 1


class _Line:
    __slots__ = ("indented", "kind", "squeezed", "text")

    def __init__(self, text: str, *, indented: bool) -> None:
        self.text = text
        self.indented = indented
        self.kind = _kind(text)
        self.squeezed = text.replace(" ", "")


def _starts_block(line: _Line) -> bool:
    """A line that never continues the line before it."""
    return line.kind != "text" or bool(_SECTION.match(line.squeezed) or _BULLET.match(line.text))


class _Paragraph:
    """Lines being joined into one paragraph, with what the joining rules look at."""

    __slots__ = ("ended_sentence", "length", "parts")

    def __init__(self, line: _Line) -> None:
        self.parts = [line]
        self.length = len(line.squeezed)
        self.ended_sentence = bool(_SENTENCE_END.search(line.squeezed))

    def add(self, line: _Line) -> None:
        self.parts.append(line)
        self.length += len(line.squeezed)
        self.ended_sentence = self.ended_sentence or bool(_SENTENCE_END.search(line.squeezed))

    def continues_with(self, nxt: _Line, *, title: bool, ocr_spaced: Callable[[], bool]) -> bool:
        """Whether ``nxt`` continues this paragraph (a decision on the whole paragraph so far)."""
        first, last = self.parts[0], self.parts[-1]
        if _starts_block(nxt) or first.kind != "text" or last.kind != "text":
            return False
        tail = last.squeezed
        if _OPENS_WITH_PUNCT.match(nxt.squeezed):
            return True  # "。" or ", 以及" cannot start a paragraph
        if _TERMINAL.search(tail):
            return False
        if _CONTINUES.search(tail):
            return True
        if len(self.parts) == 1 and _SECTION.fullmatch(tail):
            return True  # "一、" or "(一)" alone on its line: the heading text follows
        if self.ended_sentence:
            return True  # a sentence ended in this paragraph and the last one is cut off
        if _SECTION.match(first.squeezed) and self.length < _LONG_LINE:
            return False  # a short section heading
        if title and self.length <= _TITLE_LINE and not first.indented:
            return False  # a title: the first line, or the line under a heading
        if self.length >= _LONG_LINE:
            return True
        # OCR layout: both lines indented, the next one no longer than a wrapped line, among
        # lines whose punctuation OCR has spaced out
        return last.indented and nxt.indented and len(nxt.squeezed) < _WRAPPED_LINE and ocr_spaced()


_TERMINAL_MARKS = frozenset("。!?;:…|.")  # the last character of a line that _TERMINAL finds
_CLOSING_MARKS = frozenset('"”’)]』」》')  # may follow the terminal mark
_OPENING_PUNCT = frozenset("。,、;:!?)”’")  # what _OPENS_WITH_PUNCT matches
_GENTLE_KINDS = ("heading", "meta", "speaker")
_TITLE_KINDS = ("heading", "pian")


def _ends_paragraph(line: str, nxt: str) -> bool:
    """Whether ``nxt`` surely starts a new paragraph after ``line`` (canonical lines): ``line``
    ends a sentence and ``nxt`` does not open with punctuation, so that
    ``_Paragraph.continues_with`` is False whatever the paragraph before."""
    if nxt[0] in _OPENING_PUNCT:
        return False
    last = line[-1]
    if last in _TERMINAL_MARKS:
        return True
    return last in _CLOSING_MARKS and _TERMINAL.search(line.replace(" ", "")) is not None


def _gentle(line: str) -> bool:
    """Whether a line keeps its spaces (heading, meta or speaker line): ``_kind`` without its
    checks where they cannot succeed (meta and speaker lines are at most 80 characters)."""
    if len(line) > 80 and line[0] != "#":
        return False
    return _kind(line) in _GENTLE_KINDS


def _layout(text: str) -> str:
    # _canonical on the whole text at once: its patterns never cross a line break
    if "  " in text or _OTHER_WS.search(text):  # else _WS changes nothing
        text = _WS.sub(" ", text)
    if "\t" in text:
        text = _TABS.sub("\t", text)
    lines: list[str] = []
    indented: list[bool] = []
    for raw in text.split("\n"):
        canonical = raw.strip(" \t")
        if canonical:
            lines.append(canonical)
            indented.append(raw[0] in " \t")
    spaced = _SpacedLines(lines)
    # Runs of lines that may join are laid out one paragraph at a time; a line that surely
    # stands alone (after a sentence end, before no punctuation) is a paragraph of its own.
    out: list[str] = []
    to_close: list[int] = []  # lines in ``out`` whose spaces are closed together at the end
    n = len(lines)
    title_line: str | None = None  # first line of the paragraph before (None: at the top)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and not _ends_paragraph(lines[j], lines[j + 1]):
            j += 1
        if i == j:
            line = title_line = lines[i]
            if " " in line and _gentle(line):
                line = _close_spaces(line, gentle=True)
            elif " " in line:
                to_close.append(len(out))
            out.append(line)
        else:
            title = title_line is None or _kind(title_line) in _TITLE_KINDS
            run = [_Line(lines[k], indented=indented[k]) for k in range(i, j + 1)]
            title_line = _run_paragraphs(run, i, title=title, spaced=spaced, out=out)
        i = j + 1
    if to_close:
        # _close_spaces line by line is the same on the lines joined: its patterns never cross
        # a line break, and a line has no space at either end
        closed = _close_spaces("\n".join(out[k] for k in to_close), gentle=False).split("\n")
        for k, line in zip(to_close, closed, strict=True):
            out[k] = line
    return "\n".join(out)


def _run_paragraphs(lines: list[_Line], offset: int, *, title: bool, spaced: _SpacedLines, out: list[str]) -> str:
    """Append the paragraphs of a run of lines starting at line ``offset`` to ``out``; return the
    first line of the last one. ``title``: whether the run starts under a heading or at the top."""
    paragraph = _Paragraph(lines[0])
    for i, line in enumerate(lines[1:], start=offset + 1):
        if paragraph.continues_with(line, title=title, ocr_spaced=partial(spaced.around, i)):
            paragraph.add(line)
        else:
            out.append(_emit(paragraph.parts))
            title = paragraph.parts[0].kind in _TITLE_KINDS
            paragraph = _Paragraph(line)
    out.append(_emit(paragraph.parts))
    return paragraph.parts[0].text


class _SpacedLines:
    """Which lines have OCR-spaced punctuation, counted when first asked."""

    __slots__ = ("counts", "lines")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.counts: list[int] = []  # running count of lines with OCR-spaced punctuation

    def around(self, i: int, *, around: int = 10) -> bool:
        """Whether at least a quarter of the lines around line ``i`` have OCR-spaced punctuation."""
        if not self.counts:
            self.counts = [0]
            for line in self.lines:
                self.counts.append(self.counts[-1] + (1 if _OCR_SPACING.search(line) else 0))
        spaced = self.counts
        lo, hi = max(0, i - around), min(len(spaced) - 1, i + around + 1)
        return (spaced[hi] - spaced[lo]) * 4 >= hi - lo


def _emit(parts: list[_Line]) -> str:
    if len(parts) == 1:
        line, kind = parts[0].text, parts[0].kind
    else:
        line = _canonical(" ".join(part.text for part in parts))
        kind = _kind(line)
    return _close_spaces(line, gentle=kind in _GENTLE_KINDS)


# --- the cleaner ------------------------------------------------------------------------------


def clean_text(text: str, *, resources: Resources | None = None) -> str:
    """Cleaned text: one paragraph per line, no blank lines; idempotent."""
    rules = boilerplate(resources)
    text = to_simplified(normalise_characters(text))
    text = _layout(rules.remove(text))
    for _ in range(4):  # joined lines can complete a pattern or a composed character
        again = nfkc(rules.remove(text))
        if again == text:
            break
        text = _layout(again)
    return text


# --- placeholders -------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    # a year with masked digits: 201X年, 20XX年, 20**年
    r"(?<![0-9A-Za-z])(?:19|20)(?:\d[Xx*×]|[Xx*×]{2})(?=年)"
    # X, XX, xx standing alone next to Chinese (not 6+X, not X光)
    rf"|(?<![A-Za-z0-9+_/\-])(?:(?<={_HP}|[%《(“])[Xx]{{1,4}}|[Xx]{{1,4}}(?={_HP}|%))"
    r"(?![A-Za-z0-9+_])(?!光|射线|线|轴|型)"
    # ×同志, ×在 (not 3×4)
    r"|(?<![0-9A-Za-z×])×{1,4}(?![0-9A-Za-z×])"
    # *** (any run of three or more), *政协, **县, **名
    r"|\*{3,}"
    rf"|(?<![*0-9A-Za-z])\*{{1,2}}(?=[{HAN}])"
)
# The same matches, found faster: a class of their first characters (which the regex engine
# scans for quickly), then the pattern from that character on, as group "p".
_PLACEHOLDER_AT = re.compile(f"[12Xx×*](?<=(?=(?P<p>{_PLACEHOLDER.pattern})).)")
_EMPHASIS = re.compile(
    rf"(?:^|(?<=[\s{CJK_PUNCT}{ASCII_PUNCT}]))\*\*[^*\s][^*\n]{{0,60}}?[^*\s]\*\*(?![{HAN}0-9A-Za-z])"
)
# a placeholder followed by one of these stands for a place, an organisation or a person
_NAMED = re.compile(r"[省市州盟县区旗镇乡村]|政协|同志|党组|县委|市委|区委|省委")


def placeholders(text: str) -> list[tuple[int, int]]:
    """Character spans of placeholders in cleaned text (``X``, ``XX``, ``×``, ``***``, ``201X``).

    A span covers the placeholder mark itself (and the digits of a masked year), not the word
    it stands in front of: in ``X县`` the span is ``X``. Markdown emphasis (``**重点**``)
    is not a placeholder.
    """
    if not any(c in text for c in "Xx×*"):
        return []
    emphasis = [m.span() for m in _EMPHASIS.finditer(text)] if "**" in text else []
    spans: list[tuple[int, int]] = []
    for start, end in _placeholder_matches(text):
        if emphasis and text[start] == "*" and any(s == start or e == end for s, e in emphasis):
            continue
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


def _placeholder_matches(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_PLACEHOLDER.finditer(text)``: each match of the faster pattern that does
    not start inside the match before (where finditer would not look)."""
    last_end = 0
    for match in _PLACEHOLDER_AT.finditer(text):
        start, end = match.span("p")
        if start >= last_end:
            last_end = end
            yield start, end


def is_template(text: str) -> bool:
    """True when placeholders show ``text`` is a template or an anonymised copy.

    One placeholder standing for a place, organisation or person (``X县``, ``**县``,
    ``xx市政协``, ``*政协``, ``×同志``) is enough; other placeholders (``X名``, ``XX年``,
    ``***``) count when there are at least two.
    """
    spans = placeholders(text)
    if len(spans) >= 2:
        return True
    return any(text[s] == "×" or _NAMED.match(text, e) for s, e in spans)
