"""Places: mentions of administrative divisions and the region a document is about.

Mentions are found with one trie-shaped regex over every full name, autonomous-area alias
(恩施州 for 恩施土家族苗族自治州) and accepted short name of the gazetteer
(``data/gazetteer.csv``), built once per process. The rules in ``data/place_rules.txt``
keep ordinary words out (合作, 和平, 城区 ...). A short name counts only where a
tokenizer would also cut the text there (新乡村 is 新+乡村, not 新乡), and a county's
short name only when the document names its province (its city, for short names that are
also dictionary words), an organisation follows it (固安政协) or it is known nationwide
(井冈山). Former names of districts (永年县) and renamed divisions (襄樊) count too.
Ambiguous names (新华区, 安阳, 海南) go to the candidate that the document's unambiguous
places support, then to the higher level, then to the preferred entry of the rules.

``document_region`` decides the region a document is issued by or about: the speaker's
title, then the title, then the opening, then the places named with an organisation
(曲周县政协), then the places of the whole text; placeholders (X县, xx市, **县) make it
unknown rather than a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import rjieba

from lib import gazetteer, schema

LEVEL_RANK = {"province": 3, "city": 2, "county": 1}
# jieba dictionary tags of proper nouns; a short name with another tag is also an ordinary word
_PROPER_TAGS = frozenset({"", "ns", "nr", "nrt", "nrfg", "nz", "nt"})
_ALIAS_SUFFIX = {"自治州": "州", "自治县": "县", "自治旗": "旗"}
_NOT_FORMER = re.compile(r"^(?:城区|郊区|矿区)$|(?:新区|林区)$")
_WINDOW = 6  # characters of context each side given to the tokenizer

# An organisation or office right after a place name: the place issues the text.
_ORG_AFTER = re.compile(
    r"(?:政协|人民政治协商会议|党委|党组|委员会|人民代表大会|人大|人民政府|政府|市委|县委|区委|州委|旗委|盟委|省委|纪委|组织部|宣传部|统战部|经济特区|特区|新区)"
)
# Names of the party or the CPPCC written right before a place name (中共南京市委, 政协固安县委员会).
_PARTY_BEFORE = re.compile(r"(?:中共|中国共产党|政协|中国人民政治协商会议|共青团)$")
# A place right after these is visited or studied, not the issuer (赴浙江学习考察).
_VISIT_BEFORE = re.compile(r"(?:赴|到|去|前往|走进|学习|借鉴|考察)$")
_LIST_GAP = re.compile(r"[、,，和及与\s]*")
# Placeholders standing for an administrative name in anonymised texts.
_PLACEHOLDER = re.compile(
    r"(?:[XxＸｘ×＊*＿_]{1,3}|[ＯO○〇]{2,3})\s?(?:省|市|县|区|州|旗)"
    r"|某\s?(?:省|市|县|区|州|旗)(?:政协|委|人民|政府|党|[、,，\s]|$)"
)
# The same, found faster: a class of every placeholder's first character (which the regex
# engine scans for quickly), then the pattern from that character on.
_PLACEHOLDER_AT = re.compile(f"[XxＸｘ×＊*＿_ＯO○〇某](?<=(?={_PLACEHOLDER.pattern}).)")


def _placeholder(text: str) -> bool:
    """Whether ``text`` holds a placeholder for an administrative name (X县, xx市, 某市政协)."""
    return _PLACEHOLDER_AT.search(text) is not None


_SELF_LEVEL = {
    "province": re.compile(r"全省|我省|本省|省政协|省委(?!员)|自治区政协|自治区党委|自治区委(?!员)"),
    "city": re.compile(r"全市|我市|本市|市政协|市委(?!员)|全州|我州|州政协|全盟|我盟"),
    "county": re.compile(
        # (?<!自治) written after each word, so that every alternative starts with a character
        r"全县|我县|本县|县政协|县委(?!员)|我区(?<!自治我区)|区政协(?<!自治区政协)|区委(?<!自治区委)(?!员)"
        r"|全旗|我旗|旗政协|县级市"
    ),
}


@dataclass(frozen=True)
class Division:
    """One row of the gazetteer, as the matcher uses it."""

    adcode: str
    name: str
    level: str
    province: str
    city: str
    county: str
    lat: float
    lon: float
    ordinary: bool  # the short name is also an ordinary dictionary word


@dataclass(frozen=True)
class Surface:
    """A string the matcher looks for and the divisions it may stand for."""

    divisions: tuple[Division, ...]
    short: tuple[bool, ...]  # per division: matched by its short name (needs more support)


@dataclass(frozen=True)
class Matcher:
    """Everything built once per process from the gazetteer and the rules."""

    pattern: re.Pattern[str]  # any surface, longest first, where it starts
    finder: re.Pattern[str]  # finds the same, faster: the surface is its group "w"
    surfaces: dict[str, Surface]
    blocked_after: frozenset[str]
    blocked_next: tuple[str, ...]
    blocked_next_pattern: re.Pattern[str]  # any of blocked_next, matched where a name ends
    preferred: frozenset[str]
    known: frozenset[str]  # counties whose short name needs no support (井冈山, 韶山)


@dataclass(frozen=True)
class Found:
    """A matched name before it is resolved: offsets, surface and its candidates."""

    start: int
    end: int
    surface: str
    candidates: tuple[Division, ...]
    short: tuple[bool, ...]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first at each position, shaped as a trie."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        ends = "" in node
        leaves = sorted(ch for ch, child in node.items() if ch and set(child) == {""})
        branches = sorted(ch for ch, child in node.items() if ch and set(child) != {""})
        alts = [re.escape(ch) + render(node[ch]) for ch in branches]
        if len(leaves) == 1:
            alts.append(re.escape(leaves[0]))
        elif leaves:
            alts.append("[" + "".join(re.escape(ch) for ch in leaves) + "]")
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not ends else "(?:" + "|".join(alts) + ")"
        if len(alts) == 1 and ends and len(alts[0]) == 1:
            body = alts[0]
        return body + "?" if ends else body

    top = sorted(ch for ch in trie if ch)

    def split(chars: list[str]) -> str:
        # a balanced tree of character-class guards, so the engine tests a few classes
        # instead of trying every first character in turn
        if len(chars) <= 8:
            return "(?:" + "|".join(re.escape(ch) + render(trie[ch]) for ch in chars) + ")"
        half = len(chars) // 2
        left, right = chars[:half], chars[half:]
        guard = "[" + "".join(re.escape(ch) for ch in left) + "]"
        return f"(?:(?={guard}){split(left)}|(?!{guard}){split(right)})"

    # a leading class of all first characters lets the engine skip other positions quickly
    first = "[" + "".join(re.escape(ch) for ch in top) + "]"
    return f"(?={first}){split(top)}"


def _finder_pattern(words: Collection[str]) -> str:
    """``_trie_pattern(words)`` for searching: the word found is group ``w``.

    The pattern starts with a class of the words' first characters, which the regex engine
    scans for quickly, and tries the trie only where the next character is a second
    character of some word (words are at least two characters long).
    """
    if not words or min(map(len, words)) < 2:
        return f"(?P<w>{_trie_pattern(words)})"

    def chars(position: int) -> str:
        return "[" + "".join(re.escape(ch) for ch in sorted({w[position] for w in words})) + "]"

    # the lookbehind steps back over the first character and matches the trie from there
    return f"{chars(0)}(?={chars(1)})(?<=(?=(?P<w>{_trie_pattern(words)})).)"


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The compiled matcher (built once per process)."""
    rules = gazetteer.read_sections()
    deny = set(rules.get("deny", []))
    allow = set(rules.get("allow", []))
    known = set(rules.get("known", []))
    table = gazetteer.load()
    entries: dict[str, list[tuple[Division, bool]]] = {}
    by_code: dict[str, Division] = {}
    known_codes: set[str] = set()
    for row in table.to_dict("records"):
        name, short, level = str(row["name"]), str(row["short"]), str(row["level"])
        ordinary = str(row["short_pos"]) not in _PROPER_TAGS and short not in allow and short not in known
        division = Division(
            adcode=str(row["adcode"]),
            name=name,
            level=level,
            province=str(row["province"]),
            city=str(row["city"]),
            county=str(row["county"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            ordinary=ordinary,
        )
        if name not in deny:
            entries.setdefault(name, []).append((division, False))
        for suffix, alias_suffix in _ALIAS_SUFFIX.items():
            if name.endswith(suffix) and short != name:
                alias = short + alias_suffix
                if alias != name and alias not in deny:
                    entries.setdefault(alias, []).append((division, False))
        if short != name and len(short) >= 2 and short not in deny:
            entries.setdefault(short, []).append((division, True))
            if level == "county" and name.endswith("区") and not _NOT_FORMER.search(name):
                # a district that was a county or county-level city keeps being called so
                # (永年县 for 永年区); these need the same support as short names
                for former in (short + "县", short + "市"):
                    if former not in deny:
                        entries.setdefault(former, []).append((division, True))
        by_code[division.adcode] = division
        if short in known:
            known_codes.add(division.adcode)
    for line in rules.get("renamed", []):
        fields = line.split()
        if len(fields) == 2 and fields[1] in by_code:
            entries.setdefault(fields[0], []).append((by_code[fields[1]], False))
    surfaces = {}
    for text, pairs in entries.items():
        # a surface that is some division's full name never stands for another's short name
        full = [p for p in pairs if not p[1]]
        chosen = full or pairs
        surfaces[text] = Surface(tuple(d for d, _ in chosen), tuple(s for _, s in chosen))
    preferred = set()
    for line in rules.get("prefer", []):
        fields = line.split()
        if len(fields) == 2:
            preferred.add(fields[1])
    return Matcher(
        pattern=re.compile(_trie_pattern(surfaces)),
        finder=re.compile(_finder_pattern(surfaces)),
        surfaces=surfaces,
        blocked_after=frozenset(rules.get("blocked_after", [])),
        blocked_next=tuple(rules.get("blocked_next", [])),
        blocked_next_pattern=re.compile("|".join(map(re.escape, rules.get("blocked_next", []))) or r"(?!)"),
        preferred=frozenset(preferred),
        known=frozenset(known_codes),
    )


@lru_cache(maxsize=1)
def _tokenizer() -> rjieba.Jieba:
    """A tokenizer instance with jieba's general dictionary, owned by this module."""
    return rjieba.Jieba()


def _cuts(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether a tokenizer cuts ``text`` at ``start`` and at ``end`` (looking a few characters around)."""
    lo = max(0, start - _WINDOW)
    window = text[lo : min(len(text), end + _WINDOW)]
    cuts = {0}
    pos = 0
    for token in _tokenizer().cut(window, hmm=False):
        pos += len(token)
        cuts.add(pos)
    return start - lo in cuts, end - lo in cuts


def _acceptable(m: Matcher, text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` stands on its own rather than inside another word.

    Every name must begin where a tokenizer would cut (沿海城市 is not 海城市). A short name
    or a two-character name must also end at a cut (新乡村 is 新+乡村), unless an
    organisation or zone follows (深圳经济特区, 唐山政协); nor may a street, school or the
    like follow it (中山路, 北京大学).
    """
    surface = text[start:end]
    info = m.surfaces[surface]
    if text[end - 1 : end + 1] in m.blocked_after:
        return False
    strict = any(info.short) or len(surface) == 2
    if strict and m.blocked_next_pattern.match(text, end) is not None:
        return False
    start_cut, end_cut = _cuts(text, start, end)
    if not start_cut and _PARTY_BEFORE.search(text, max(0, start - 9), start) is None:
        return False
    return end_cut or not strict or _ORG_AFTER.match(text, end) is not None


def find_names(text: str) -> list[Found]:
    """Every accepted name in ``text``, left to right, longest first, not overlapping."""
    m = matcher()
    out: list[Found] = []
    pos = 0
    n = len(text)
    search = m.finder.search
    while pos < n:
        hit = search(text, pos)
        if hit is None:
            break
        start, end = hit.span("w")
        while end > start and not _acceptable(m, text, start, end):
            shorter = m.pattern.match(text, start, end - 1)
            end = shorter.end() if shorter and shorter.end() > start else start
        if end > start:
            info = m.surfaces[text[start:end]]
            out.append(Found(start, end, text[start:end], info.divisions, info.short))
            pos = end
        else:
            pos = start + 1
    return out


def _context(found: Sequence[Found]) -> tuple[Counter[str], Counter[str]]:
    """Provinces and cities named unambiguously (by one candidate) in a document."""
    provinces: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for f in found:
        if len(f.candidates) == 1 and not (f.short[0] and f.candidates[0].level == "county"):
            d = f.candidates[0]
            provinces[d.province] += 1
            if d.city:
                cities[d.city] += 1
    return provinces, cities


def _resolve(
    f: Found,
    provinces: Counter[str],
    cities: Counter[str],
    preferred: frozenset[str],
    *,
    anchored: bool = False,
    known: frozenset[str] = frozenset(),
) -> Division | None:
    """The division ``f`` stands for given the document's places, or None when unsupported.

    A county's short name needs the document to name its province (its city, when the short
    name is also an ordinary word), unless an organisation follows it (固安政协).
    """
    best: tuple[tuple[int, ...], Division] | None = None
    for division, short in zip(f.candidates, f.short, strict=True):
        in_city = int(bool(division.city) and cities[division.city] > 0)
        in_province = int(provinces[division.province] > 0)
        if short and division.level == "county":
            supported = anchored or in_city or (in_province and not division.ordinary) or division.adcode in known
            if not supported:
                continue
        # any support by the document's places, then the higher level (安阳 is the city, not
        # the county), then the closer support, then preference; the lowest adcode breaks ties
        key = (
            int(in_city or in_province),
            int(not short),
            LEVEL_RANK[division.level],
            in_city,
            in_province,
            int(division.adcode in preferred),
            -int(division.adcode),
        )
        if best is None or key > best[0]:
            best = (key, division)
    return None if best is None else best[1]


def resolve_mentions(text: str, *, known: Sequence[Division] = ()) -> list[tuple[Found, Division]]:
    """Names in ``text`` with the division each stands for.

    ``known`` (e.g. the places already found in the whole document, when ``text`` is its
    title) adds support for ambiguous names but yields no mentions itself.
    """
    found = find_names(text)
    if not found:
        return []
    provinces, cities = _context(found)
    for d in known:
        provinces[d.province] += 1
        if d.city:
            cities[d.city] += 1
    m = matcher()
    out = []
    for f in found:
        anchored = _ORG_AFTER.match(text, f.end) is not None
        division = _resolve(f, provinces, cities, m.preferred, anchored=anchored, known=m.known)
        if division is not None:
            out.append((f, division))
    return out


def place_records(doc_id: str, text: str) -> list[dict[str, Any]]:
    """``entities`` rows of kind place, as mappings with every declared column: every
    resolved name with its division and coordinates."""
    if not text:
        return []
    return [
        {
            "doc_id": doc_id,
            "kind": "place",
            "text": f.surface,
            "norm": d.name,
            "start": f.start,
            "end": f.end,
            "province": d.province,
            "city": d.city,
            "county": d.name if d.level == "county" else "",
            "adcode": d.adcode,
            "lat": d.lat,
            "lon": d.lon,
            "title": "",
        }
        for f, d in resolve_mentions(text)
    ]


def place_mentions(doc_id: str, text: str) -> pd.DataFrame:
    """``entities`` table of kind place (``place_records`` as a table)."""
    return schema.from_records(place_records(doc_id, text), "entities")


# --- the region of a document ------------------------------------------------------------


def _region(division: Division, evidence: str) -> dict[str, Any]:
    return {
        "province": division.province,
        "city": division.city,
        "county": division.name if division.level == "county" else "",
        "level": division.level,
        "adcode": division.adcode,
        "region_evidence": evidence,
    }


def _unknown(evidence: str = "") -> dict[str, Any]:
    return {"province": "", "city": "", "county": "", "level": "unknown", "adcode": "", "region_evidence": evidence}


def _contains(outer: Division, inner: Division) -> bool:
    """Whether ``inner`` lies in (or is) ``outer``."""
    if outer.adcode == inner.adcode:
        return True
    if outer.level == "province":
        return inner.province == outer.province
    if outer.level == "city":
        return inner.level == "county" and inner.city == outer.name
    return False


def _issuer(resolved: Sequence[tuple[Found, Division]], text: str) -> tuple[Division, bool] | None:
    """The place a short passage (title, speaker line, opening) names as its issuer, and
    whether an organisation follows it.

    A place followed by an organisation (政协, 县委 ...) comes first; otherwise the most
    specific place consistent with all the others (河北省曲周县 -> 曲周县). Places visited
    or studied (赴浙江杭州、嘉兴学习) are not issuers.
    """
    resolved = _not_visited(resolved, text)
    if not resolved:
        return None
    anchored = [d for f, d in resolved if _ORG_AFTER.match(text, f.end)]
    if anchored:
        # the organisation belongs to the anchored place; places before it only locate it
        return anchored[0], True
    anchor = resolved[0][1]
    related = [d for _, d in resolved if _contains(anchor, d) or _contains(d, anchor)]
    for d in sorted(related, key=lambda d: LEVEL_RANK[d.level]):
        if all(_contains(x, d) or _contains(d, x) for x in related):
            return d, False
    return anchor, False


def _not_visited(resolved: Sequence[tuple[Found, Division]], text: str) -> list[tuple[Found, Division]]:
    """``resolved`` without the places named as destinations (赴浙江杭州、嘉兴学习考察)."""
    out = []
    previous_end, previous_visited = -1, False
    for f, d in resolved:
        joined = previous_end >= 0 and _LIST_GAP.fullmatch(text, previous_end, f.start) is not None
        visited = _VISIT_BEFORE.search(text, max(0, f.start - 2), f.start) is not None or (joined and previous_visited)
        if not visited:
            out.append((f, d))
        previous_end, previous_visited = f.end, visited
    return out


def _self_level(text: str) -> tuple[str, dict[str, int]]:
    """The level a text speaks from (全省/我县 ...), by counting self-references; "" if unclear."""
    counts = {level: len(rx.findall(text)) for level, rx in _SELF_LEVEL.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] == 0 or ranked[0][1] == ranked[1][1]:
        return "", counts
    return ranked[0][0], counts


Mentions = pd.DataFrame | Sequence[Mapping[str, Any]]


def _ends_and_codes(mentions: Mentions) -> tuple[list[int], list[str]]:
    """The end offset and adcode of every mention, from a table or from rows."""
    if isinstance(mentions, pd.DataFrame):
        return [int(end) for end in mentions["end"]], [str(code) for code in mentions["adcode"]]
    return [int(row["end"]) for row in mentions], [str(row["adcode"]) for row in mentions]


def _divisions(codes: Sequence[str]) -> list[Division]:
    by_code = _divisions_by_code()
    return [by_code[code] for code in codes if code in by_code]


def _dominant(divisions: Sequence[Division], *, share: float = 0.6, minimum: int = 2) -> list[Division]:
    """The chain province -> city -> county that most mentions fall in, as far as one dominates."""
    chain: list[Division] = []
    pool = list(divisions)
    for level in ("province", "city", "county"):
        names = Counter(str(getattr(d, level)) for d in pool)
        names.pop("", None)
        if not names:
            break
        top, n = names.most_common(1)[0]
        if n < minimum or n < share * len(pool):
            break
        found = [d for d in pool if d.level == level and d.name == top]
        if not found and level != "county":
            # a province or city named only through its parts (names are unique at these levels)
            found = [d for d in _divisions_by_code().values() if d.level == level and d.name == top]
        if not found:
            break
        chain.append(found[0])
        pool = [d for d in pool if _contains(found[0], d) and d.level != level]
        if not pool:
            break
    return chain


@lru_cache(maxsize=1)
def _divisions_by_code() -> dict[str, Division]:
    seen: dict[str, Division] = {}
    for surface in matcher().surfaces.values():
        for d in surface.divisions:
            seen.setdefault(d.adcode, d)
    return seen


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _opening(text: str, limit: int = 200) -> str:
    """The first sentence or two: up to the second full stop within ``limit`` characters."""
    head = text[:limit]
    stops = [m.end() for m in re.finditer(r"[。！？!?\n]", head)]
    return head[: stops[1]] if len(stops) >= 2 else head


def document_region(*, text: str, title: str, author_title: str, mentions: Mentions) -> dict[str, Any]:
    """Region columns of ``documents``: province, city, county, level, adcode, region_evidence.

    The region the document is issued by or about, not every place it names. Evidence is
    taken in this order: the speaker's title, a place named with an organisation in the
    title (曲周县政协), the same in the opening, then the whole text: places named with an
    organisation, else the place most mentions fall in. A title naming a place without an
    organisation (视察河北) counts when the text says nothing more specific inside it. A
    placeholder where a place name belongs (xx市政协, X县) gives an unknown region.
    ``mentions`` are the place entities of ``text``, as a table or as rows
    (``place_records``).
    """
    text = text or ""
    ends, codes = _ends_and_codes(mentions)
    divisions = _divisions(codes)
    if author_title and author_title.strip():
        resolved = resolve_mentions(author_title, known=divisions)
        speaker = _issuer(resolved, author_title)
        if speaker is not None:
            return _region(speaker[0], f"speaker title: {_quote(author_title)}")
        if _placeholder(author_title):
            return _unknown(f"speaker title anonymised: {_quote(author_title)}")
    # a speaker of an unnamed 省政协/县政协 office: the title or opening may still name it
    office_level = _self_level(author_title)[0] if author_title else ""
    title_guess: Division | None = None
    if title and title.strip():
        found = _issuer(resolve_mentions(title, known=divisions), title)
        if found is not None and found[1]:
            return _region(found[0], f"title: {_quote(title)}")
        if found is None and _placeholder(title):
            return _unknown(f"title anonymised: {_quote(title)}")
        title_guess = found[0] if found is not None else None
    opening = _opening(text)
    resolved = [(f, d) for f, d in resolve_mentions(opening, known=divisions) if _ORG_AFTER.match(opening, f.end)]
    opener = _issuer(resolved, opening)
    if opener is not None:
        return _region(opener[0], f"first sentence: {_quote(opening)}")
    if title_guess is None and _placeholder(opening):
        return _unknown("anonymised: placeholder for the place name")
    if office_level and title_guess is None:
        return _unnamed_office(office_level, author_title, divisions)
    found_in_text, evidence = _text_region(text, divisions, ends, codes)
    if title_guess is not None:
        if found_in_text is not None and _contains(title_guess, found_in_text):
            return _region(found_in_text, f"title: {_quote(title, 20)}; {evidence}")
        return _region(title_guess, f"title: {_quote(title)}")
    if found_in_text is None:
        return _unknown(evidence)
    return _region(found_in_text, evidence)


def _text_region(
    text: str, divisions: Sequence[Division], ends: Sequence[int], codes: Sequence[str]
) -> tuple[Division | None, str]:
    """The region the whole text points to, with the reason (or None and why not)."""
    level, counts = _self_level(text)
    anchored = _org_anchored(text, ends, codes)
    anonymised = _placeholder(text)
    if anchored:
        top, n = Counter(anchored).most_common(1)[0]
        division = _divisions_by_code()[top]
        if level and LEVEL_RANK[division.level] < LEVEL_RANK[level]:
            # a provincial text naming city organisations: lift to the level it speaks from
            lifted = [d for d in _dominant(divisions) if d.level == level]
            if lifted:
                return lifted[0], _text_evidence(lifted[0], divisions, counts)
        elif n >= 2 and n * 2 > len(anchored):
            return division, f"named with its organisation (n={n}): {division.name}"
        if not anonymised and (n >= 2 or _share(division, divisions) >= 0.5):
            return division, f"named with its organisation (n={n}): {division.name}"
    if anonymised:
        return None, "anonymised: placeholder for the place name"
    # without any self-reference (全省, 我县 ...) a few passing mentions do not make a region
    chain = _dominant(divisions, minimum=2 if level else 3)
    if not chain:
        return None, "no dominant place" if divisions else "no place named"
    if level:
        at_level = [d for d in chain if d.level == level]
        if at_level:
            return at_level[0], _text_evidence(at_level[0], divisions, counts)
        if LEVEL_RANK[chain[-1].level] > LEVEL_RANK[level]:
            # a county text whose county is never named: only the parents are known
            return None, f"speaks as {level} level but names no {level}"
    return chain[-1], _text_evidence(chain[-1], divisions, counts)


def _share(division: Division, divisions: Sequence[Division]) -> float:
    """The share of the mentions that lie in ``division``."""
    if not divisions:
        return 0.0
    return sum(1 for d in divisions if _contains(division, d)) / len(divisions)


def _text_evidence(division: Division, divisions: Sequence[Division], counts: dict[str, int]) -> str:
    n = sum(1 for d in divisions if _contains(division, d))
    words = {"province": "全省/省政协", "city": "全市/市政协", "county": "全县/县政协"}[division.level]
    return f"most frequent place (n={n} of {len(divisions)}): {division.name}; {words} ×{counts[division.level]}"


def _org_anchored(text: str, ends: Sequence[int], codes: Sequence[str]) -> list[str]:
    """Adcodes of the mentions followed by an organisation (曲周县政协, 唐山市委 ...)."""
    known = _divisions_by_code()
    return [code for end, code in zip(ends, codes, strict=True) if code in known and _ORG_AFTER.match(text, end)]


def _unnamed_office(level: str, passage: str, divisions: Sequence[Division]) -> dict[str, Any]:
    """A speaker of an unnamed 省政协/市政协: the region only when the text's places all agree."""
    chain = _dominant(divisions, share=0.8)
    at_level = [d for d in chain if d.level == level]
    if at_level:
        n = sum(1 for d in divisions if _contains(at_level[0], d))
        return _region(
            at_level[0], f"speaker title: {_quote(passage)}; places named in the text are in {at_level[0].name} (n={n})"
        )
    return _unknown(f"speaker title names no place: {_quote(passage)}")
