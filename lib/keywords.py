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
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources as package_files
from itertools import repeat
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

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
    return len(term) >= 2 and not _excluded_tag(pos)


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
    return corpus_keywords(
        pd.DataFrame({"doc_id": [doc_id], "text": [text]}),
        resources=resources,
        top_n=top_n,
        idf=idf,
        extra_words=extra_words,
        extra_stopwords=extra_stopwords,
    )


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

    Each document's ``top_n`` terms by TF-IDF (ties by term), best first, documents in order.
    With ``idf=corpus_idf(terms_table)`` the IDF comes from the corpus itself instead of jieba's
    general-language table. The texts are cut once for terms and keywords (``terms.term_counts``).
    """
    if texts.empty or top_n <= 0:
        return schema.empty("keywords")
    counted = terms.term_counts(
        texts["text"].tolist(), resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords
    )
    excluded = np.fromiter(map(_excluded_tag, counted.tags), dtype=bool, count=len(counted.tags))
    lengths = np.fromiter(map(len, counted.terms), dtype=np.int64, count=len(counted.terms))
    keep = ~excluded[counted.tag] & (lengths[counted.term] >= 2)
    doc, term, count = counted.doc[keep], counted.term[keep], counted.n[keep]
    if not len(doc):
        return schema.empty("keywords")
    # rows are sorted by (document, term): add up a term's candidate tags
    starts = np.flatnonzero(np.r_[True, (doc[1:] != doc[:-1]) | (term[1:] != term[:-1])])
    doc, term, count = doc[starts], term[starts], np.add.reduceat(count, starts)
    totals = np.bincount(doc, weights=count)  # exact: counts are far below 2**53
    table = idf or jieba_idf()
    weights = np.fromiter(
        map(table.idf.get, counted.terms, repeat(table.default)), dtype=np.float64, count=len(counted.terms)
    )
    score = count / totals[doc] * weights[term]
    order = np.lexsort((terms.string_ranks(counted.terms)[term], -score, doc))
    doc, term, score = doc[order], term[order], score[order]
    first = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
    rank = np.arange(len(doc)) - np.repeat(first, np.diff(np.r_[first, len(doc)]))
    top = rank < top_n
    doc, term, score = doc[top], term[top], score[top]
    doc_ids = terms.doc_id_strings(texts)
    return pd.DataFrame(
        {
            "doc_id": terms.string_column(doc_ids, doc),
            "term": terms.string_column(pa.array(counted.terms, type=pa.large_string()), term),
            "score": score,
            "method": terms.string_column(pa.array([METHOD], type=pa.large_string()), np.zeros(len(doc), np.int64)),
        },
        copy=False,  # the columns are new arrays
    )


def _excluded_tag(pos: str) -> bool:
    return pos in _EXCLUDED_POS or pos.startswith(_EXCLUDED_POS_PREFIX)
