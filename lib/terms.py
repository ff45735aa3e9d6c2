"""Terms: per-document counts of content words, for frequency views and keywords.

A term is a token of ``lib.segment`` that is not a stop word (``stopwords.txt``), not
punctuation or a symbol, not a placeholder of an anonymised text (XX), not a number (230,
2.59, 百余, 三个, 十四五, 2018年) and not a single character. Single characters are mostly
particles or fragments of split words (的, 新, 抓, 化), so they are left out unless
``stopwords.txt`` keeps one with a ``+字`` line (``+党``: 党的工作 and 党的声音 say 党 on its
own). A term's ``pos`` is the tag the tokenizer gave it most often in the document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from lib import schema, segment
from lib.resources import Resources, read_lines

STOPWORDS = "stopwords.txt"

# A token with no letter, digit or Han character: punctuation, symbols, spaces.
_NO_WORD = re.compile(r"^[\W_]+$")
# Placeholders of anonymised template texts: X, XX, xx, ×× (X县 is cut into X + 县).
_PLACEHOLDER = re.compile(r"^[Xx×Ｘｘ]+$")
_DIGIT = re.compile(r"\d")
# Chinese numerals with optional 第 / approximators and a trailing measure word: 三个, 百余次, 第一.
_NUMERAL = re.compile(
    r"^第?[零〇一二两三四五六七八九十廿百千万亿余多几半]+"
    r"(?:人次|[个名次件户项元条家位天年月日号届批期种座所人场份篇本台套辆]+)?$"
)


class StopList(NamedTuple):
    """Stop words and the single characters kept as terms."""

    words: frozenset[str]
    keep_single: frozenset[str]


def parse_stopwords(lines: Iterable[str]) -> StopList:
    """Read stop-word lines: a word per line, ``+字`` keeps a single character as a term."""
    words: set[str] = set()
    keep: set[str] = set()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("+") and len(line) > 1:
            keep.add(line[1:].strip())
        else:
            words.add(line)
    return StopList(frozenset(words), frozenset(keep))


def stop_list(resources: Resources | None = None, *, extra_stopwords: Iterable[str] = ()) -> StopList:
    """The stop list of ``resources`` plus ``extra_stopwords`` (read once per file content)."""
    res = resources or Resources()
    base = _stop_list(str(res.path(STOPWORDS)), res.quick_digest(STOPWORDS))
    extras = frozenset(w.strip() for w in extra_stopwords if w and w.strip())
    if not extras:
        return base
    return StopList(base.words | extras, base.keep_single - extras)


@lru_cache(maxsize=8)
def _stop_list(path: str, digest: str) -> StopList:
    return parse_stopwords(read_lines(Path(path)))


def is_number(token: str) -> bool:
    """True for Arabic or Chinese numbers, with or without a measure word (230, 三个, 百余次)."""
    return bool(_DIGIT.search(token) or _NUMERAL.match(token))


def is_term(token: str, stops: StopList) -> bool:
    """True if ``token`` counts as a term under ``stops``."""
    if token in stops.words or _NO_WORD.match(token) or _PLACEHOLDER.match(token):
        return False
    if len(token) == 1:
        return token in stops.keep_single
    return not is_number(token)


TaggedTerms = list[tuple[str, str] | None]


def tagged_terms(
    text: str,
    *,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> TaggedTerms:
    """The tagged tokens of ``text`` in order, with ``None`` where a non-term was dropped.

    The gaps keep n-grams from joining terms across stop words and punctuation. The last few
    results are kept, so terms and keywords of one document share one tagging pass.
    """
    key = segment.tokenizer_key(resources, extra_words=extra_words)
    return list(_tagged_terms(text, key, stop_list(resources, extra_stopwords=extra_stopwords)))


@lru_cache(maxsize=4)
def _tagged_terms(text: str, key: segment.TokenizerKey, stops: StopList) -> tuple[tuple[str, str] | None, ...]:
    if not text:
        return ()
    memo = _term_memo(stops)
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    out: TaggedTerms = []
    for word, pos in segment.tokenizer_for(key).tag(text):
        if word in memo:
            term = memo[word]
        else:
            stripped = word.strip()
            term = memo[word] = stripped if stripped and is_term(stripped, stops) else None
        if term is not None:
            out.append((term, pos))
        elif out and out[-1] is not None:
            out.append(None)
    return tuple(out)


_MEMO_LIMIT = 1_000_000  # distinct tokens remembered per stop list


@lru_cache(maxsize=16)
def _term_memo(stops: StopList) -> dict[str, str | None]:
    """token -> the term it counts as (stripped), or None; filled as tokens are seen."""
    return {}


def document_terms(
    doc_id: str,
    text: str,
    *,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``terms`` rows for one document: each term once, with its count and usual tag.

    Rows are ordered by count (descending), then term.
    """
    pairs = Counter(
        t
        for t in tagged_terms(text, resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords)
        if t is not None
    )
    return _term_rows(doc_id, pairs)


def count_terms(
    texts: pd.DataFrame,
    *,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``terms`` rows for many documents (a frame with ``doc_id`` and ``text`` columns).

    For recounting with a session's extra dictionary words and stop words: the tokenizer
    and stop list are built once and reused for every document.
    """
    if texts.empty:
        return schema.empty("terms")
    words = tuple(extra_words)
    stops = tuple(extra_stopwords)
    frames = [
        document_terms(str(doc_id), str(text), resources=resources, extra_words=words, extra_stopwords=stops)
        for doc_id, text in zip(texts["doc_id"], texts["text"], strict=True)
        if isinstance(text, str) and text
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty("terms")
    return schema.conform(pd.concat(frames, ignore_index=True), "terms")


def count_ngrams(
    texts: pd.DataFrame,
    *,
    n: int = 2,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``ngrams`` for many documents (a frame with ``doc_id`` and ``text`` columns)."""
    words = tuple(extra_words)
    stops = tuple(extra_stopwords)
    frames = [
        ngrams(str(doc_id), str(text), n=n, resources=resources, extra_words=words, extra_stopwords=stops)
        for doc_id, text in zip(texts.get("doc_id", []), texts.get("text", []), strict=True)
        if isinstance(text, str) and text
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty("terms")
    return schema.conform(pd.concat(frames, ignore_index=True), "terms")


def ngrams(
    doc_id: str,
    text: str,
    *,
    n: int = 2,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``terms`` rows whose ``term`` is ``n`` adjacent terms joined by spaces (党员委员 联系).

    Terms are adjacent when no stop word, number or punctuation stands between them; ``pos``
    holds the tags joined the same way. Ordered by count (descending), then n-gram.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    seq = tagged_terms(text, resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords)
    grams: Counter[tuple[str, str]] = Counter()
    run: list[tuple[str, str]] = []
    for item in [*seq, None]:
        if item is not None:
            run.append(item)
            continue
        for i in range(len(run) - n + 1):
            window = run[i : i + n]
            grams[(" ".join(w for w, _ in window), " ".join(p for _, p in window))] += 1
        run = []
    return _term_rows(doc_id, grams)


def _term_rows(doc_id: str, pairs: Counter[tuple[str, str]]) -> pd.DataFrame:
    """One row per term: total count over its tags, and its most frequent tag."""
    if not pairs:
        return schema.empty("terms")
    totals: Counter[str] = Counter()
    best: dict[str, tuple[int, str]] = {}
    for (term, pos), count in pairs.items():
        totals[term] += count
        if term not in best or (count, pos) > best[term]:
            best[term] = (count, pos)
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    frame = pd.DataFrame(
        {
            "doc_id": [doc_id] * len(ordered),
            "term": [term for term, _ in ordered],
            "pos": [best[term][1] for term, _ in ordered],
            "count": [count for _, count in ordered],
        }
    )
    return schema.conform(frame, "terms")
