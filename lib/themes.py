"""Themes: how often each theme of the lexicon ``themes.txt`` is spoken of in a document.

The lexicon is a plain text file a person edits: ``[主题]`` starts a theme, each following
line is a term (matched as written) or ``re:`` and a regular expression. ``parse_lexicon``
checks it line by line and reports errors with line numbers; lines with errors are skipped,
the rest is used.

``hits`` is the number of non-overlapping matches of a theme's entries in the text (longer
entries are tried first, so 界别党支部 counts once, not also as 党支部); ``score`` is hits per
1,000 characters of the text, so long and short documents compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from lib import schema
from lib.resources import Resources

THEMES = "themes.txt"
REGEX_PREFIX = "re:"
PER_CHARS = 1000

_HEADER = re.compile(r"^\[(?P<name>[^\[\]]*)\]$")

Lexicon = dict[str, tuple[str, ...]]  # theme -> regular-expression sources of its entries


class LexiconError(NamedTuple):
    """A problem on one line of a lexicon (1-based line number)."""

    line: int
    message: str


def parse_lexicon(text: str) -> tuple[Lexicon, list[LexiconError]]:
    """Read a theme lexicon; return the valid themes and one error per faulty line.

    Plain terms become escaped patterns; ``re:`` entries are kept as written once they
    compile and cannot match empty text. Themes are in file order.
    """
    entries: dict[str, list[str]] = {}
    starts: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    errors: list[LexiconError] = []
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = None
            match = _HEADER.match(line)
            name = match.group("name").strip() if match else ""
            if not match:
                errors.append(LexiconError(number, f"a theme line must look like [主题名], not {line!r}"))
            elif not name:
                errors.append(LexiconError(number, "empty theme name"))
            elif name in starts:
                errors.append(LexiconError(number, f"theme {name!r} already starts at line {starts[name]}"))
            else:
                current = name
                starts[name] = number
                entries[name] = []
            continue
        if current is None:
            errors.append(LexiconError(number, f"{line!r} is not under a valid [theme] line"))
            continue
        pattern, problem = _entry_pattern(line)
        if problem:
            errors.append(LexiconError(number, problem))
            continue
        if (current, pattern) in seen:
            errors.append(LexiconError(number, f"{line!r} repeats line {seen[(current, pattern)]}"))
            continue
        seen[(current, pattern)] = number
        entries[current].append(pattern)
    for name, start in starts.items():
        if not entries[name]:
            errors.append(LexiconError(start, f"theme {name!r} has no terms"))
    errors.sort()
    lexicon = {name: tuple(patterns) for name, patterns in entries.items() if patterns}
    return lexicon, errors


def _entry_pattern(line: str) -> tuple[str, str]:
    """The regex source of one entry line, and an error message ("" if none)."""
    if line.startswith(REGEX_PREFIX):
        source = line[len(REGEX_PREFIX) :].strip()
        if not source:
            return "", "empty pattern after re:"
        try:
            compiled = re.compile(f"(?:{source})")
        except re.error as exc:
            return "", f"invalid pattern {source!r}: {exc}"
        if compiled.fullmatch(""):
            return "", f"pattern {source!r} matches empty text"
        return source, ""
    if any(ch.isspace() for ch in line):
        return "", f"term {line!r} contains a space (the cleaned text has none; use re: for a pattern)"
    return re.escape(line), ""


def theme_patterns(lexicon: Lexicon) -> dict[str, re.Pattern[str]]:
    """One compiled alternation per theme, longer plain terms first."""
    out: dict[str, re.Pattern[str]] = {}
    for name, sources in lexicon.items():
        ordered = sorted(sources, key=lambda s: -len(s))
        out[name] = re.compile("|".join(f"(?:{s})" for s in ordered))
    return out


def lexicon(resources: Resources | None = None) -> Lexicon:
    """The valid part of the theme lexicon of ``resources``."""
    res = resources or Resources()
    return _lexicon(str(res.path(THEMES)), res.quick_digest(THEMES))[0]


@lru_cache(maxsize=8)
def _lexicon(path: str, digest: str) -> tuple[Lexicon, dict[str, re.Pattern[str]]]:
    parsed, _errors = parse_lexicon(Path(path).read_text(encoding="utf-8"))
    return parsed, theme_patterns(parsed)


def document_themes(
    doc_id: str, text: str, *, resources: Resources | None = None, lexicon: Lexicon | None = None
) -> pd.DataFrame:
    """``themes`` rows for one document: each theme with at least one hit, in lexicon order.

    ``lexicon`` (from ``parse_lexicon``) replaces the file of ``resources``, e.g. to preview an
    edited lexicon before it is saved.
    """
    return corpus_themes(pd.DataFrame({"doc_id": [doc_id], "text": [text]}), resources=resources, lexicon=lexicon)


def corpus_themes(
    texts: pd.DataFrame, *, resources: Resources | None = None, lexicon: Lexicon | None = None
) -> pd.DataFrame:
    """``themes`` rows for many documents (a frame with ``doc_id`` and ``text`` columns).

    Per document, each theme with at least one hit in lexicon order; documents in order.
    """
    if texts.empty:
        return schema.empty("themes")
    if lexicon is None:
        res = resources or Resources()
        patterns = _lexicon(str(res.path(THEMES)), res.quick_digest(THEMES))[1]
    else:
        patterns = _patterns(tuple(lexicon.items()))
    counters = [(name, _hit_counter(pattern)) for name, pattern in patterns.items()]
    doc_ids: list[str] = []
    names: list[str] = []
    hits: list[int] = []
    scores: list[float] = []
    for doc_id, text in zip(texts["doc_id"].tolist(), texts["text"].tolist(), strict=True):
        if not isinstance(text, str) or not text:
            continue
        for name, count in counters:
            n = count(text)
            if n:
                doc_ids.append(doc_id if isinstance(doc_id, str) else str(doc_id))
                names.append(name)
                hits.append(n)
                scores.append(n * PER_CHARS / len(text))
    if not hits:
        return schema.empty("themes")
    return pd.DataFrame(
        {
            "doc_id": pd.arrays.ArrowStringArray(pa.array(doc_ids, type=pa.large_string())),
            "theme": pd.arrays.ArrowStringArray(pa.array(names, type=pa.large_string())),
            "hits": pd.arrays.IntegerArray(np.array(hits, dtype=np.int64), np.zeros(len(hits), dtype=bool)),
            "score": np.array(scores, dtype=np.float64),
        },
        copy=False,  # the columns are new arrays
    )


def _hit_counter(pattern: re.Pattern[str]) -> Callable[[str], int]:
    """Counts the non-empty, non-overlapping matches of ``pattern`` in a text."""
    if pattern.groups:
        return lambda text: sum(1 for m in pattern.finditer(text) if m.end() > m.start())

    def count(text: str) -> int:
        found = pattern.findall(text)  # whole matches, as the pattern has no groups
        return len(found) - found.count("")

    return count


@lru_cache(maxsize=8)
def _patterns(items: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, re.Pattern[str]]:
    return theme_patterns(dict(items))
