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
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import opencc

from lib.resources import Resources, read_lines

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

_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0/C1 controls except tab and newline, zero-width characters, soft hyphen, lone surrogates
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]"
)
# Entity names seen as residue of badly converted web pages: "ldquo;" or "&ldquo;"
_ENTITY = re.compile(
    r"&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});"
    r"|(?<![A-Za-z&])(?:ldquo|rdquo|lsquo|rsquo|nbsp|mdash|ndash|hellip|middot|bull|emsp|ensp|laquo|raquo);"
)


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
    text = _INVISIBLE.sub("", _BREAKS.sub("\n", text))
    text = unicodedata.normalize("NFKC", text)
    for _ in range(4):  # "&amp;nbsp;" is "&nbsp;" escaped once more
        resolved = _ENTITY.sub(_entity_char, _ESCAPED_ENTITY.sub("&", text))
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
def _traditional() -> tuple[frozenset[str], dict[str, str]]:
    """(every character OpenCC converts, the unambiguously traditional ones -> simplified)."""
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
    return frozenset(chars), only_traditional


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones; text without them is returned unchanged."""
    convertible, char_map = _traditional()
    if char_map.keys().isdisjoint(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if char_map.keys().isdisjoint(line):
            continue
        converted = _t2s().convert(line)
        if len(converted) == len(line):
            lines[i] = "".join(new if old in convertible else old for old, new in zip(line, converted, strict=True))
        else:
            lines[i] = "".join(char_map.get(c, c) for c in line)
    return "\n".join(lines)


# --- step 3: boilerplate --------------------------------------------------------------------


@lru_cache(maxsize=8)
def _compiled_boilerplate(path: str, digest: str) -> tuple[re.Pattern[str], ...]:
    del digest  # part of the cache key: an edited file is compiled again
    patterns = []
    for line in read_lines(Path(path)):
        try:
            patterns.append(re.compile(line, re.MULTILINE))
        except re.error as exc:
            raise ValueError(f"boilerplate.txt: bad pattern {line!r}: {exc}") from exc
    return tuple(patterns)


def boilerplate_patterns(resources: Resources | None = None) -> tuple[re.Pattern[str], ...]:
    """The compiled patterns of ``boilerplate.txt`` (compiled once per file content)."""
    res = resources or Resources()
    return _compiled_boilerplate(str(res.path("boilerplate.txt")), res.digest("boilerplate.txt"))


def remove_boilerplate(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    """``text`` with every match of ``patterns`` deleted."""
    for pattern in patterns:
        text = pattern.sub("", text)
    return text


# --- step 4 and 5: lines and spaces ---------------------------------------------------------

_WS = re.compile(r"[^\S\n\t]+")
_TABS = re.compile(r" ?\t[\t ]*")

_SPACE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # between Chinese characters or punctuation
    (re.compile(f"(?<={_HP}) (?={_HP})"), ""),
    # between Chinese and Latin letters or digits
    (re.compile(f"(?<={_HP}) (?=[{LATIN}])|(?<=[{LATIN}]) (?={_HP})"), ""),
    # around ASCII punctuation next to Chinese
    (re.compile(f"(?<={_HP}) (?=[{ASCII_PUNCT}])|(?<=[{ASCII_PUNCT}]) (?={_HP})"), ""),
    (re.compile(r"(?<=[)\]\"”’]) (?=[,.;:!?、。])"), ""),
    (re.compile(r"(?<=\d) (?=%)"), ""),
    # OCR splits in years: "2 018年", "20 18 年", "2 0 1 8 年"
    (
        re.compile(r"(?<![\d.])([12]) ?([09]) ?(\d) ?(\d)(?= ?年)"),
        r"\1\2\3\4",
    ),
    (re.compile(r"(?<=\d) (?=年)"), ""),
)
# thousands split by OCR before a unit: "1 000人", "12 345 元"
_THOUSANDS = re.compile(f"(?<![\\d.,])\\d{{1,3}}(?: \\d{{3}})+(?![\\d.,])(?= ?[{HAN}%])")
_GENTLE_RULES = _SPACE_RULES[2:4]


def _canonical(line: str) -> str:
    line = _WS.sub(" ", line)
    if "\t" in line:
        line = _TABS.sub("\t", line)
    return line.strip(" \t")


def _close_spaces(line: str, *, gentle: bool) -> str:
    if " " not in line:
        return line
    if gentle:
        for pattern, repl in _GENTLE_RULES:
            line = pattern.sub(repl, line)
        return line
    for pattern, repl in _SPACE_RULES:
        line = pattern.sub(repl, line)
    return _THOUSANDS.sub(lambda m: m.group(0).replace(" ", ""), line)


_TERMINAL = re.compile(r"(?:[。!?;:…]|\.)[\"”’)\]』」》]*$")
_OPENS_WITH_PUNCT = re.compile(r"[。,、;:!?)”’]")
_SENTENCE_END = re.compile(r"[。!?;]")
_CONTINUES = re.compile(r"[,、(\[“‘《—]$")
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_PIAN = re.compile(
    r"^(?:篇 ?[一二三四五六七八九十百\d]{1,4}|第 ?[一二三四五六七八九十百\d]{1,4} ?篇|【 ?[一二三四五六七八九十百\d]{1,4} ?】)"
)
_SECTION = re.compile(
    r"^(?:第?[一二三四五六七八九十百]{1,3} ?[、.]|[(] ?[一二三四五六七八九十百\d]{1,3} ?[)]"
    r"|\d{1,2} ?[、.](?!\d)|第 ?[一二三四五六七八九十百\d]{1,3} ?[章节部分条编])"
)
_BULLET = re.compile(r"^[-*+•●■◆▲★☆◇○] ")
_META = re.compile(
    r"(?:^|\s)来源 ?:|^(?:时间|发布时间|日期|作者|发布日期) ?:|^\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日$"
)
_SPEAKER = re.compile(f"^[{HAN}、·()]{{1,40}}[长席记任员委表事监理师授] [{HAN}·]{{2,4}}$")
_LONG_LINE = 40  # a line at least this long that stops mid-sentence is a broken paragraph
_WRAPPED_LINE = 50  # OCR lines wrapped at the page width are shorter than this
_TITLE_LINE = 50  # a title (first line, line under a heading) is at most this long


def _kind(line: str) -> str:
    """heading / pian / meta / speaker / table / text for a canonical line."""
    if _HEADING.match(line):
        return "heading"
    if _PIAN.match(line):
        return "pian"
    if "\t" in line:
        return "table"
    if len(line) <= 80 and _META.search(line):
        return "meta"
    if _SPEAKER.match(line):
        return "speaker"
    return "text"


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

    def continues_with(self, nxt: _Line, *, title: bool) -> bool:
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
        # OCR layout: both lines indented, the next one no longer than a wrapped line
        return last.indented and nxt.indented and len(nxt.squeezed) < _WRAPPED_LINE


def _paragraphs(text: str) -> Iterator[str]:
    lines = []
    for raw in text.split("\n"):
        canonical = _canonical(raw)
        if canonical:
            lines.append(_Line(canonical, indented=raw[:1].isspace()))
    paragraph: _Paragraph | None = None
    title = True  # the first line and the line under a heading are titles
    for line in lines:
        if paragraph is None:
            paragraph = _Paragraph(line)
        elif paragraph.continues_with(line, title=title):
            paragraph.add(line)
        else:
            yield _emit(paragraph.parts)
            title = paragraph.parts[0].kind in ("heading", "pian")
            paragraph = _Paragraph(line)
    if paragraph is not None:
        yield _emit(paragraph.parts)


def _emit(parts: list[_Line]) -> str:
    if len(parts) == 1:
        line, kind = parts[0].text, parts[0].kind
    else:
        line = _canonical(" ".join(part.text for part in parts))
        kind = _kind(line)
    return _close_spaces(line, gentle=kind in ("heading", "meta", "speaker"))


def _layout(text: str) -> str:
    return "\n".join(_paragraphs(text))


# --- the cleaner ------------------------------------------------------------------------------


def clean_text(text: str, *, resources: Resources | None = None) -> str:
    """Cleaned text: one paragraph per line, no blank lines; idempotent."""
    patterns = boilerplate_patterns(resources)
    text = to_simplified(normalise_characters(text))
    text = _layout(remove_boilerplate(text, patterns))
    for _ in range(4):  # joined lines can complete a pattern or a composed character
        again = remove_boilerplate(text, patterns)
        if not unicodedata.is_normalized("NFKC", again):
            again = unicodedata.normalize("NFKC", again)
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
    for match in _PLACEHOLDER.finditer(text):
        start, end = match.span()
        if emphasis and text[start] == "*" and any(s == start or e == end for s, e in emphasis):
            continue
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


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
