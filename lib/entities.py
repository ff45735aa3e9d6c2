"""Entities other than places: organisations, people with titles, 《》 titles, numbered slogans.

Every row is an ``entities`` row whose ``text`` is ``document_text[start:end]``; ``norm`` is
the form that counts agree on across documents:

- ``org``: ``text`` is the full name as written ("曲周县政协党组", "金瑞汽贸党支部"), ``norm`` the
  canonical organisation type from data/resources/org_types.txt ("政协党组", "党支部").
- ``person``: ``text`` and ``norm`` are the name, ``title`` the position written next to it
  ("唐山市政协主席、党组书记", "委员", "记者"); empty for "X同志". A name is taken only next to a
  title, after a byline marker, or from the short list of national leaders; no person is made
  of ordinary words or place names.
- ``doc_title``: ``text`` is the whole 《…》 (or 〈…〉), ``norm`` the title inside without
  whitespace (OCR spaces).
- ``slogan``: ``text`` is a quoted expression without its quote marks (“三抓一提升” gives
  三抓一提升), or a listed slogan or an "N+X" formula found unquoted; ``norm`` drops whitespace
  and upper-cases X/N, so “ 四个意识 ”, "四个意识" and 「四个意识」 all count as 四个意识. A
  quoted expression is a slogan when it holds a number word (一…十, 百, 千, 万, 两, 双, digits,
  "+X"), is short (at most 16 characters) and is not a sentence, a date (“七一”, “3·23”) or an
  ordinary word with a number character (“一把手”, “最后一公里”). Quoted content joined by 、
  gives one slogan per part when every part is one (“三个一流、四个之家”). “6+X支部主题党日”
  stays one slogan.
"""

from __future__ import annotations

import functools
import re
import re._parser as sre_parser  # the standard library's regex parser (no public API)
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
import rjieba

from lib import schema
from lib.resources import Resources

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_THEORY_NAME = re.compile(f"新\\s*时代|[{HAN}]{{0,4}}(?:思想|理论)")  # 习近平新时代…思想, 邓小平理论
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"[一二三四五六七八九十百千万两双0-9]|[+][XNxn]")
# dates (3·23, 7月1日), decimals and shares, one- and two-digit numbers; “132” stays a code
_DATE_OR_NUMBER = re.compile(r"\d{1,2}[·.\-/月]\d{1,2}日?|\d*[.,%:·\-/][\d.,%:·\-/]*|\d{1,2}")
_LIST_MARKER = re.compile(r"[(（]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]$")  # "五张清单[3]" in reports with notes
_YEAR_OR_ANNIVERSARY = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|周年$")
_QUANTITY = re.compile(
    "[过超近约逾]?[一二三四五六七八九十百千万亿两0-9.]+(?:小时|分钟|万亿|亿|万|元|年|天|日|周|个月|人次|人|名|岁|次|件|公里|米|亩|吨|克|斤|%)(?:以上|以内|以外|多|余)?"
)
_SENTENCE_PUNCT = re.compile(r"[。！？；，,!?;:：\n]")
# a digit first, then "no digit or point before it" (the same as a look-behind in front, but the
# engine can skip straight to digits)
_FORMULA = re.compile(r"\d(?<![\d.]\d)\d*(?:[ ]?[+][ ]?\d+)*[ ]?[+][ ]?[XNxn](?![A-Za-z])")
_DOC_TITLE = re.compile(r"《(?P<body>[^《》]{1,100})》|〈(?P<body2>[^〈〉]{1,100})〉")
_QUOTES = re.compile('[“”"「」『』‘’]')
_OPENERS = frozenset("“「『‘")
_MAX_SLOGAN = 16
_MAX_QUOTE = 40
# Characters that do not occur in the given name of a person in this genre: function words
# and the words of CPPCC organisation names (党员委员, 县政协 ...).
_NOT_IN_GIVEN_NAME = frozenset(
    "的了在与是等对将把也都就又及或并从被让给着过们个这那其所而于说党员委政协会议组界别各体级县市省区村镇乡"
)
_NOUN_TITLES = frozenset({"委员", "常委"})
_PADDED_NAME = re.compile(f"[ \u3000]([{HAN}])(?=$|[ \u3000\n\r)）])")
_TITLE_LIST = re.compile("、")
_BYLINE_LIST = re.compile("[、 \u3000]{1,3}")
_FUNCTION_TAGS = frozenset({"p", "c", "d", "u", "r"})
# a two-character given name is not a verb, adjective or function word (覆盖 in 委员全覆盖);
# numerals and time words stay possible (闫五一)
_GIVEN_NAME_NOT_TAGS = frozenset({"v", "vn", "vd", "a", "ad", "an", "d", "p", "c", "u", "r", "l"})
_COMMON_WORD_TAGS = frozenset({"v", "vn", "vd", "a", "ad", "an", "d", "p", "c", "u", "r", "m", "q", "f", "t", "s", "l"})
# Words that end the prefix of an organisation name ("已建立起|金瑞汽贸党支部").
_PREFIX_BREAK = re.compile(
    "建立起|建立了|建立|成立了|成立|设立了|设立|组建了|组建|筹建了|筹建|创建了|创建|"
    "依托|指导|推动|支持|帮助|通过|按照|联合|所在|"
    "[的了在和与及等对向由为各个是把将从让使到]"
)
_ADMIN_PREFIX = re.compile(
    f"(?:中共|全国|[{HAN}]{{0,8}}(?:省|市|县|区|州|盟|旗|乡|镇|街道)(?:级)?|[{HAN}]{{1,8}}(?:委员会|委))"
)
_PREFIX_TOKEN_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "j", "nt", "nz", "zg"})
_PROPER_NAMED = frozenset(
    {"党支部", "党总支", "党小组", "委员工作室", "委员工作站", "委员之家", "委员联络站", "协商议事室", "委员会客厅"}
)
_TITLE_BREAK = re.compile("[的由在是和与对向为请让了被把将从等]|会议上|大会上|会上|担任|兼任|兼")


_RESOURCE_FILES = (
    "org_types.txt",
    "surnames.txt",
    "person_titles.txt",
    "person_markers.txt",
    "person_boundaries.txt",
    "person_not_names.txt",
    "known_persons.txt",
    "slogans.txt",
    "slogan_exclusions.txt",
)


@dataclass(frozen=True)
class _Patterns:
    org: re.Pattern[str]  # every organisation type, in file order, without groups (faster)
    org_types: tuple[tuple[re.Pattern[str], str], ...]  # each type's own pattern and norm
    single_surnames: frozenset[str]
    compound_surnames: frozenset[str]
    title_then_name: re.Pattern[str]
    name_then_title: re.Pattern[str]
    marker_then_name: re.Pattern[str]
    known_person: re.Pattern[str]
    not_names: frozenset[str]
    boundary: re.Pattern[str]
    title_word_at_end: re.Pattern[str]
    known_slogan: re.Pattern[str]
    not_numbers: re.Pattern[str]
    not_slogans: frozenset[str]


def entities_table(documents: pd.DataFrame, *, resources: Resources | None = None) -> pd.DataFrame:
    """``entities`` rows (org, person, doc_title, slogan) of every row of ``documents`` (doc_id,
    text): document order, each document's rows ordered by offset."""
    patterns = _patterns(resources or Resources())
    rows: list[dict[str, Any]] = []
    for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist(), strict=True):
        rows += _document_rows(str(doc_id), str(text), patterns)
    return schema.from_records(rows, "entities")


def extract_entities(doc_id: str, text: str, *, resources: Resources | None = None) -> pd.DataFrame:
    """``entities`` rows (org, person, doc_title, slogan) for one document, ordered by offset."""
    if not text:
        return schema.empty("entities")
    return schema.from_records(_document_rows(doc_id, text, _patterns(resources or Resources())), "entities")


def _document_rows(doc_id: str, text: str, patterns: _Patterns) -> list[dict[str, Any]]:
    if not text:
        return []
    rows: list[dict[str, Any]] = []
    rows += _organisation_rows(text, patterns)
    rows += _person_rows(text, patterns)
    rows += _doc_title_rows(text)
    rows += _slogan_rows(text, patterns)
    rows.sort(key=lambda row: (row["start"], row["end"], row["kind"]))
    for row in rows:
        row["doc_id"] = doc_id
    return rows


# --- organisations -------------------------------------------------------------------------


def _organisation_rows(text: str, patterns: _Patterns) -> list[dict[str, Any]]:
    """Organisation mentions with their place or proper-name prefix; norm is the org type."""
    found: list[tuple[int, int, str]] = []
    for match in patterns.org.finditer(text):
        if match.end() == match.start():
            continue
        norm = _organisation_type(match, patterns)
        start = _organisation_start(text, match.start(), proper_name=norm in _PROPER_NAMED)
        found.append((start, match.end(), norm))
    rows = []
    furthest = -1  # spans sorted by start, longest first: a span ending before this is inside another
    for start, end, norm in sorted(found, key=lambda span: (span[0], -span[1])):
        if end > furthest:
            rows.append({"kind": "org", "text": text[start:end], "norm": norm, "start": start, "end": end})
            furthest = end
    return rows


def _organisation_type(match: re.Match[str], patterns: _Patterns) -> str:
    """The norm of the first organisation type that matches where ``match`` starts: the one the
    alternation of all types took."""
    for regex, norm in patterns.org_types:
        if regex.match(match.string, match.start()):
            return norm
    return ""  # not reached: the alternation matched one of them (a numbered back reference could break this)


def _organisation_start(text: str, start: int, *, proper_name: bool) -> int:
    """Start of the organisation name ending at the type word that begins at ``start``."""
    lo = start
    while lo > 0 and start - lo < 12 and _HAN_CHAR.match(text[lo - 1]):
        lo -= 1
    run = text[lo:start]
    if not run:
        return start
    breaks = list(_PREFIX_BREAK.finditer(run))
    tail = run[breaks[-1].end() :] if breaks else run
    if proper_name and breaks and 2 <= len(tail) <= 8 and not any(tag in _COMMON_WORD_TAGS for _, tag in _tag(tail)):
        return start - len(tail)
    prefix = _place_prefix(tail)
    return start - len(prefix)


def _place_prefix(run: str) -> str:
    """The longest end of ``run`` made of place or organisation tokens (曲周县, 省政协财经委)."""
    if not run:
        return ""
    tokens = _tag(run)
    kept = ""
    for word, tag in reversed(tokens):
        if tag in _PREFIX_TOKEN_TAGS or _ADMIN_PREFIX.fullmatch(word):
            kept = word + kept
        else:
            break
    while kept and not _ADMIN_PREFIX.fullmatch(kept):
        kept = kept[1:]
    return kept


# --- people ----------------------------------------------------------------------------------


def _person_rows(text: str, patterns: _Patterns) -> list[dict[str, Any]]:
    """People named next to a title or after a byline marker, and listed national leaders."""
    rows: dict[tuple[int, int], dict[str, Any]] = {}

    def add(start: int, end: int, title: str) -> None:
        if (start, end) not in rows:
            name = text[start:end]
            rows[(start, end)] = {
                "kind": "person",
                "text": name,
                "norm": _SPACES.sub("", name),
                "start": start,
                "end": end,
                "title": title,
            }

    for match in patterns.known_person.finditer(text):
        known_end = match.end()
        if _THEORY_NAME.match(text, known_end):
            continue
        after = patterns.title_word_at_end.match(text, known_end)
        if len(match.group()) == 2 and not (after or _ends_name(text, known_end, patterns)):
            continue
        add(match.start(), known_end, after.group("tw") if after and after.group("tw") != "同志" else "")
    for match in patterns.title_then_name.finditer(text):
        end = _name_end(text, match.end(), patterns, strict=match.group("tw") in _NOUN_TITLES)
        if end is not None and _token_starts_at(text, match.end()):
            floor = max((e for _, e in rows if e <= match.start()), default=0)
            title = _title_before(text, match.start("tw"), match.end("tw"), floor=floor)
            add(match.end(), end, title)
            for listed_start, listed_end in _listed_names(text, end, patterns, _TITLE_LIST):
                add(listed_start, listed_end, title)
    for match in patterns.marker_then_name.finditer(text):
        end = _name_end(text, match.end(), patterns)
        if end is not None:
            marker = match.group("marker")
            title = "" if marker == "□" else marker.rstrip(":/")
            add(match.end(), end, title)
            for listed_start, listed_end in _listed_names(text, end, patterns, _BYLINE_LIST):
                add(listed_start, listed_end, title)
    for match in patterns.name_then_title.finditer(text):
        start, end = match.span("name")
        name = match.group("name")
        given = name[2:] if name[:2] in patterns.compound_surnames else name[1:]
        if given and _plausible_name(name, given, patterns) and _token_starts_at(text, end):
            tw = match.group("tw")
            add(start, end, "" if tw == "同志" else tw)
    return list(rows.values())


def _listed_names(text: str, end: int, patterns: _Patterns, separator: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Further names joined to the one ending at ``end`` ("委员张三、李四", "记者 张三 李四")."""
    while (sep := separator.match(text, end)) and (next_end := _name_end(text, sep.end(), patterns, strict=True)):
        yield sep.end(), next_end
        end = next_end


def _name_end(text: str, start: int, patterns: _Patterns, *, strict: bool = False) -> int | None:
    """End of the person name starting at ``start``, or None: shortest name followed by a boundary.

    ``strict`` (after 委员, a title that is also a common noun) also rejects a given name that
    is a verb or adjective. A two-character name padded with a space in a speaker line
    ("上海市市长 龚 正") is taken whole.
    """
    if text[start : start + 2] in patterns.compound_surnames:
        surname = 2
    elif text[start : start + 1] in patterns.single_surnames:
        surname = 1
    else:
        return None
    for given_len in (1, 2):
        end = start + surname + given_len
        given = text[start + surname : end]
        if len(given) < given_len or not all(_HAN_CHAR.match(c) for c in given):
            break
        if any(c in _NOT_IN_GIVEN_NAME for c in given):
            return None
        if _ends_name(text, end, patterns) and _plausible_name(text[start:end], given, patterns, strict=strict):
            return end
    padded = _PADDED_NAME.match(text, start + surname)
    if surname == 1 and not strict and padded and padded.group(1) not in _NOT_IN_GIVEN_NAME:
        return padded.end(1)
    return None


def _ends_name(text: str, end: int, patterns: _Patterns) -> bool:
    """True when a name may end at ``end``: text end, a non-Chinese character or a boundary word."""
    if end >= len(text) or not _HAN_CHAR.match(text[end]):
        return True
    if text.startswith("同志们", end):
        return False
    return bool(patterns.boundary.match(text, end) or patterns.known_person.match(text, end))


def _plausible_name(name: str, given: str, patterns: _Patterns, *, strict: bool = True) -> bool:
    """False for ordinary words and places that look like surname + given name."""
    if any(c in _NOT_IN_GIVEN_NAME for c in given):
        return False
    if name in patterns.not_names:
        return False
    tokens = _tag(name)
    if len(tokens) == 1 and not tokens[0][1].startswith("nr"):
        return False
    first_word, first_tag = tokens[0]
    if strict and len(first_word) > len(name) - len(given) and not first_tag.startswith("nr"):
        return False  # "方案|经主任会议": the surname character starts an ordinary word
    if len(first_word) == len(name) - len(given) and first_tag in _FUNCTION_TAGS:
        # "向|全部委员": the surname character is a preposition here, unless a name follows
        given_tokens = _tag(given)
        if not (len(given_tokens) == 1 and given_tokens[0][1].startswith("nr")):
            return False
    if strict and len(given) == 2:
        given_tokens = _tag(given)
        if len(given_tokens) == 1 and given_tokens[0][1] in _GIVEN_NAME_NOT_TAGS:
            return False
    return True


def _token_starts_at(text: str, pos: int) -> bool:
    """True when the tokenizer puts a word boundary at ``pos`` (not so in "主席国|机遇")."""
    lo = max(0, pos - 4)
    offset = lo
    for word in rjieba.cut(text[lo : pos + 4]):
        if offset == pos:
            return True
        if offset > pos:
            return False
        offset += len(word)
    return offset == pos


def _title_before(text: str, start: int, end: int, *, floor: int = 0) -> str:
    """The run of positions ending at the title word ``text[start:end]`` (唐山市政协主席、党组书记).

    The run does not reach back past ``floor``, the end of the previous name.
    """
    lo = start
    while lo > floor and start - lo < 30 and (_HAN_CHAR.match(text[lo - 1]) or text[lo - 1] == "、"):
        lo -= 1
    run = text[lo:start]
    breaks = list(_TITLE_BREAK.finditer(run))
    if breaks:
        run = run[breaks[-1].end() :]
    return (run + text[start:end]).lstrip("、")


# --- 《》 titles --------------------------------------------------------------------------------


def _doc_title_rows(text: str) -> list[dict[str, Any]]:
    """Every balanced 《…》 or 〈…〉 of at most 100 characters; norm is the title without spaces."""
    rows = []
    for match in _DOC_TITLE.finditer(text):
        norm = _SPACES.sub("", match.group("body") or match.group("body2") or "")
        if norm:
            rows.append(
                {"kind": "doc_title", "text": match.group(), "norm": norm, "start": match.start(), "end": match.end()}
            )
    return rows


# --- slogans -----------------------------------------------------------------------------------


def _slogan_rows(text: str, patterns: _Patterns) -> list[dict[str, Any]]:
    """Quoted expressions with number words, plus listed slogans and N+X formulas unquoted."""
    rows = []
    taken: list[tuple[int, int]] = []
    for body_start, body_end in _quoted_spans(text):
        body = text[body_start:body_end]
        if _SENTENCE_PUNCT.search(body) or _LIST_MARKER.match(body):
            continue
        spans = list(_parts(body, body_start, separator="、"))
        if len(spans) > 1 and not all(_is_slogan(slogan_norm(text[s:e]), patterns=patterns) for s, e in spans):
            spans = list(_parts(body, body_start, separator=None))  # a clause, not a list of slogans
        for start, end in spans:
            norm = slogan_norm(text[start:end])
            if _is_slogan(norm, patterns=patterns):
                rows.append({"kind": "slogan", "text": text[start:end], "norm": norm, "start": start, "end": end})
                taken.append((start, end))
    # an N+X formula needs a "+": most documents have none, and are not scanned for one
    for regex in (patterns.known_slogan, _FORMULA) if "+" in text else (patterns.known_slogan,):
        for match in regex.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            rows.append(
                {
                    "kind": "slogan",
                    "text": match.group(),
                    "norm": slogan_norm(match.group()),
                    "start": start,
                    "end": end,
                }
            )
    return rows


def slogan_norm(surface: str) -> str:
    """Slogan without whitespace, with X/N upper-cased (“ 6+x ” and 6+X agree)."""
    compact = _SPACES.sub("", surface)
    return re.sub(r"(?<=[+])[xn]", lambda m: m.group().upper(), compact)


def _is_slogan(norm: str, *, patterns: _Patterns) -> bool:
    """True for a short expression with a number word that is not a date or an ordinary word."""
    if not 2 <= len(norm) <= _MAX_SLOGAN or norm in patterns.not_slogans:
        return False
    if _DATE_OR_NUMBER.fullmatch(norm) or _QUANTITY.fullmatch(norm) or _SENTENCE_PUNCT.search(norm):
        return False
    if _YEAR_OR_ANNIVERSARY.search(norm):
        return False
    return bool(_NUMBER.search(patterns.not_numbers.sub("", norm)))


def _quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the content of each quote pair, tolerating mismatched quote marks.

    “…” pairs as written; a closing mark with nothing open opens a pair (”…” in web copies);
    a straight quote closes an open pair or opens one. A different opening mark restarts the
    pair, so in “我为‘十四五’发展献一策” the inner ‘十四五’ is found; the same opening mark
    again closes a short pair without punctuation (“四个意识“, a common typo).
    """
    open_at = -1
    for match in _QUOTES.finditer(text):
        pos, mark = match.start(), match.group()
        if open_at >= 0 and pos - open_at - 1 > _MAX_QUOTE:
            open_at = -1
        if mark in _OPENERS:
            if (
                open_at >= 0
                and text[open_at] == mark
                and pos - open_at - 1 <= _MAX_SLOGAN
                and not _SENTENCE_PUNCT.search(text, open_at + 1, pos)
            ):
                yield _strip_span(text, open_at + 1, pos)
                open_at = -1
            else:
                open_at = pos
        elif open_at >= 0:
            yield _strip_span(text, open_at + 1, pos)
            open_at = -1
        else:
            open_at = pos


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _parts(body: str, offset: int, *, separator: str | None) -> Iterator[tuple[int, int]]:
    """Spans of the ``separator``-separated parts of a quoted body (the whole body for None)."""
    pos = 0
    for piece in body.split(separator) if separator else [body]:
        start, end = _strip_span(body, pos, pos + len(piece))
        note = _FOOTNOTE.search(body, start, end)
        if note:
            end = note.start()
        if start < end:
            yield offset + start, offset + end
        pos += len(piece) + 1


# --- resources -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _tag(word: str) -> list[tuple[str, str]]:
    """Part-of-speech tags of a short string (cached: the same candidates recur)."""
    return list(rjieba.tag(word))


def _patterns(resources: Resources) -> _Patterns:
    """The compiled entity patterns, compiled again only when a resource file changes."""
    stamps = []
    for name in _RESOURCE_FILES:
        stat = resources.path(name).stat()
        stamps.append((name, stat.st_mtime_ns, stat.st_size))
    return _compiled_patterns(resources, tuple(stamps))


@functools.lru_cache(maxsize=8)
def _compiled_patterns(resources: Resources, stamps: tuple[tuple[str, int, int], ...]) -> _Patterns:
    """Compile the entity patterns from the resource files (once per process and version)."""
    org_types = []
    for line in resources.lines("org_types.txt"):
        norm, _, regex = line.partition("\t")
        if not norm.strip() or not regex.strip():
            raise ValueError(f"org_types.txt: expected NORM<TAB>REGEX, got {line!r}")
        org_types.append((re.compile(regex.strip()), norm.strip()))
    surnames = [w for line in resources.lines("surnames.txt") for w in line.split()]
    single = frozenset(w for w in surnames if len(w) == 1)
    compound = frozenset(w for w in surnames if len(w) == 2)
    surname_class = "[" + "".join(sorted(single)) + "]"
    first_chars = "".join(sorted({w[0] for w in surnames}))
    surname_re = "(?:" + "|".join(sorted(compound)) + f"|{surname_class})"
    # the same surname test once its first character is read: XY as Y(?<=XY), then the single
    # surnames, in the order of surname_re
    surname_rest = "(?:" + "".join(f"{w[1]}(?<={w})|" for w in sorted(compound)) + f"(?<={surname_class}))"
    titles = _alternation(resources.lines("person_titles.txt"))
    after_titles = _alternation([*resources.lines("person_titles.txt"), "同志"])
    markers = _alternation(resources.lines("person_markers.txt"))
    boundaries = _alternation(resources.lines("person_boundaries.txt"))
    known = _alternation(resources.lines("known_persons.txt"))
    # what may stand before a name followed by its title, tested one character into the name
    left = (
        f"(?:(?<=^.)|(?<=[^{HAN}].)|(?<=[由和与及对向同请让在的是等将为经把被给日如].)"
        "|(?<=(?:邀请|陪同|听取|看望|慰问|例如|比如|其中).))"
    )
    exclusions = [w for w in resources.lines("slogan_exclusions.txt") if not w.startswith("=")]
    whole = frozenset(w[1:] for w in resources.lines("slogan_exclusions.txt") if w.startswith("="))
    # listed slogans, longest first, allowing one space between characters; grouped by their
    # first character so that the engine tries only the slogans that start there
    by_first: dict[str, list[str]] = {}
    for slogan in sorted(resources.lines("slogans.txt"), key=len, reverse=True):
        by_first.setdefault(slogan[0], []).append("".join("[ ]?" + re.escape(c) for c in slogan[1:]))
    spaced = "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in by_first.items())
    return _Patterns(
        org=re.compile(_with_first_chars("|".join(f"(?:{regex.pattern})" for regex, _ in org_types))),
        org_types=tuple(org_types),
        single_surnames=single,
        compound_surnames=compound,
        title_then_name=re.compile(f"(?P<tw>{titles})[ \u3000·]{{0,3}}(?={surname_re})"),
        # the name's first character read first, so that the engine skips to surname characters
        name_then_title=re.compile(
            f"(?P<name>[{first_chars}]{left}{surname_rest}[{HAN}]{{1,2}}?)(?P<tw>{after_titles})(?!们)"
        ),
        marker_then_name=re.compile(f"(?P<marker>{markers})[ \u3000:]{{0,3}}(?={surname_re})"),
        known_person=re.compile(known),
        not_names=frozenset(resources.lines("person_not_names.txt")),
        boundary=re.compile(boundaries),
        title_word_at_end=re.compile(f"(?P<tw>{after_titles})(?!们)"),
        known_slogan=re.compile(spaced),
        not_numbers=re.compile(_alternation(exclusions)),
        not_slogans=whole,
    )


def _with_first_chars(pattern: str) -> str:
    """``pattern`` behind a look-ahead for the characters a match of it can start with.

    The look-ahead keeps the same matches and lets the engine skip every other position
    without trying each branch. When the first characters cannot be worked out, it is the
    Chinese characters the pattern contains (every organisation pattern starts with one).
    """
    first = first_characters(pattern)
    chars = "".join(sorted(first)) if first is not None else "".join(sorted(set(_HAN_CHAR.findall(pattern))))
    return f"(?=[{re.escape(chars)}])(?:{pattern})" if chars else pattern


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a non-empty match of ``pattern`` can start with.

    None when that is not a short list of characters: a pattern that can match the empty
    string, starts with a negated class, a category (``\\d``), a wide range, ``.``, a back
    reference, or uses flags.
    """
    try:
        parsed = sre_parser.parse(pattern)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & ~(re.UNICODE | re.NOFLAG):
        return None
    found = _sequence_first(list(parsed))
    if found is None or found[1]:
        return None
    return frozenset(found[0])


_MAX_RANGE = 256  # a wider class range is not worth listing


def _sequence_first(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
    """(first characters, can be empty) of a parsed regex sequence; None when unknown."""
    chars: set[str] = set()
    for op, av in items:
        found = _item_first(str(op), av)
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return chars, False
    return chars, True


def _item_first(op: str, av: Any) -> tuple[set[str], bool] | None:
    if op == "LITERAL":
        return {chr(av)}, False
    if op == "IN":
        chars: set[str] = set()
        for item_op, item in av:
            if str(item_op) == "LITERAL":
                chars.add(chr(item))
            elif str(item_op) == "RANGE" and item[1] - item[0] < _MAX_RANGE:
                chars |= {chr(c) for c in range(item[0], item[1] + 1)}
            else:
                return None  # negation, categories, wide ranges
        return chars, False
    if op in ("ASSERT", "ASSERT_NOT", "AT"):
        return set(), True  # zero width
    if op == "SUBPATTERN":
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _sequence_first(list(sub))
    if op == "ATOMIC_GROUP":
        return _sequence_first(list(av))
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        found = _sequence_first(list(sub))
        return None if found is None else (found[0], found[1] or low == 0)
    if op == "BRANCH":
        union: set[str] = set()
        empty = False
        for branch in av[1]:
            found = _sequence_first(list(branch))
            if found is None:
                return None
            union |= found[0]
            empty = empty or found[1]
        return union, empty
    return None  # ANY, NOT_LITERAL, GROUPREF, conditionals …


def _alternation(words: list[str]) -> str:
    """Regex alternation of literal ``words``, longest first, grouped by first character.

    The grouping keeps the matches of the plain alternation (words with another first character
    cannot match where one does) and lets the engine try only the words that start with the
    character at hand.
    """
    groups: dict[str, list[str]] = {}
    for word in sorted(set(words), key=len, reverse=True):
        if not word:
            return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())
