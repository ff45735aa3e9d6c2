"""Keywords: the top TF-IDF terms of each document.

Candidates are the document's terms (``lib.terms``: stop words, numbers, punctuation and
single characters out) whose part of speech can name a topic: adverbs, conjunctions,
pronouns, particles, numerals, measure words, locatives and time words are left out. The score
is tf × idf, where tf is the candidate's share of the document's candidate tokens and idf
comes from the IDF table that jieba ships (``jieba/analyse/idf.txt``, MIT licence). Words the
table does not know, such as most of the domain dictionary (党员委员, 界别党支部), get the
table's median IDF, as jieba.analyse does. A caller may pass its own IDF table, e.g. one
computed from a corpus with ``corpus_idf``.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources as package_files
from typing import NamedTuple

import pandas as pd

from lib import schema, terms
from lib.resources import Resources

TOP_N = 20
METHOD = "tfidf"

# Tags (first letter or whole tag) that do not name a topic.
_EXCLUDED_POS = frozenset({"d", "ad", "c", "p", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "m", "q", "f", "t"})
_EXCLUDED_POS_PREFIX = ("u", "x", "w", "y", "e", "o")


class IdfTable(NamedTuple):
    """IDF per word and the value for unknown words."""

    idf: Mapping[str, float]
    default: float


@lru_cache(maxsize=1)
def jieba_idf() -> IdfTable:
    """jieba's IDF table (``word idf`` lines), with its median as the unknown-word value."""
    text = package_files.files("jieba").joinpath("analyse", "idf.txt").read_text(encoding="utf-8")
    table: dict[str, float] = {}
    for line in text.splitlines():
        word, _, value = line.strip().partition(" ")
        if word and value:
            table[word] = float(value)
    return IdfTable(table, statistics.median(table.values()) if table else 0.0)


def corpus_idf(term_table: pd.DataFrame) -> IdfTable:
    """IDF from a ``terms`` table: ln(N / df) + 1 smoothed as ln((1 + N) / (1 + df)) + 1.

    Unknown words get the value of a word seen in no document.
    """
    n_docs = int(term_table["doc_id"].nunique()) if len(term_table) else 0
    df = term_table.groupby("term")["doc_id"].nunique() if len(term_table) else pd.Series(dtype="int64")
    table = {str(t): math.log((1 + n_docs) / (1 + int(d))) + 1.0 for t, d in df.items()}
    return IdfTable(table, math.log(1 + n_docs) + 1.0)


def is_candidate(term: str, pos: str) -> bool:
    """True if a term with tag ``pos`` may be a keyword (at least two characters, a topic tag)."""
    return len(term) >= 2 and pos not in _EXCLUDED_POS and not pos.startswith(_EXCLUDED_POS_PREFIX)


def document_keywords(
    doc_id: str,
    text: str,
    *,
    resources: Resources | None = None,
    top_n: int = TOP_N,
    idf: IdfTable | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``keywords`` rows for one document: the ``top_n`` terms by TF-IDF, best first."""
    table = idf or jieba_idf()
    tagged = terms.tagged_terms(text, resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords)
    by_tag = Counter(t for t in tagged if t is not None)
    counts: Counter[str] = Counter()
    for (term, pos), n in by_tag.items():
        if is_candidate(term, pos):
            counts[term] += n
    total = sum(counts.values())
    if not total or top_n <= 0:
        return schema.empty("keywords")
    scored = sorted(
        ((term, n / total * table.idf.get(term, table.default)) for term, n in counts.items()),
        key=lambda kv: (-kv[1], kv[0]),
    )[:top_n]
    rows = [{"doc_id": doc_id, "term": term, "score": score, "method": METHOD} for term, score in scored]
    return schema.from_records(rows, "keywords")


def corpus_keywords(
    texts: pd.DataFrame,
    *,
    resources: Resources | None = None,
    top_n: int = TOP_N,
    idf: IdfTable | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``keywords`` rows for many documents (a frame with ``doc_id`` and ``text`` columns).

    With ``idf=corpus_idf(terms_table)`` the IDF comes from the corpus itself instead of jieba's
    general-language table.
    """
    words = tuple(extra_words)
    stops = tuple(extra_stopwords)
    frames = [
        document_keywords(
            str(doc_id), str(text), resources=resources, top_n=top_n, idf=idf, extra_words=words, extra_stopwords=stops
        )
        for doc_id, text in zip(texts.get("doc_id", []), texts.get("text", []), strict=True)
        if isinstance(text, str) and text
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty("keywords")
    return schema.conform(pd.concat(frames, ignore_index=True), "keywords")
