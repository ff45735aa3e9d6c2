"""Terms: per-document counts of content words, for frequency views and keywords.

A term is a token of ``lib.segment`` that is not a stop word (``stopwords.txt``), not
punctuation or a symbol, not a placeholder of an anonymised text (XX), not a number (230,
2.59, 百余, 三个, 十四五, 2018年) and not a single character. Single characters are mostly
particles or fragments of split words (的, 新, 抓, 化), so they are left out unless
``stopwords.txt`` keeps one with a ``+字`` line (``+党``: 党的工作 and 党的声音 say 党 on its
own). A term's ``pos`` is the tag the tokenizer gave it most often in the document.

Texts are counted a batch at a time (``count_terms``, ``count_ngrams``): each is cut once, its
words counted, and each distinct word looked up in a vocabulary that knows the term a word
counts as and its tag; the counts and orderings are numpy operations over the whole batch,
and each table is one frame. The terms and the keywords of a batch share one count
(``term_counts``).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import rjieba

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


_MEMO_LIMIT = 1_000_000  # distinct words remembered per tokenizer and stop list


class TermCounts(NamedTuple):
    """How often each term occurs with each tag in each text of a batch.

    One row per distinct (text, term, tag), sorted by text, then term id, then tag id. ``term``
    and ``tag`` index ``terms`` and ``tags``, which hold only what occurs in the batch.
    """

    doc: np.ndarray  # position of the text in the batch
    term: np.ndarray
    tag: np.ndarray
    n: np.ndarray  # occurrences
    terms: tuple[str, ...]
    tags: tuple[str, ...]


def term_counts(
    texts: Sequence[str],
    *,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> TermCounts:
    """The (text, term, tag) counts of ``texts``; terms and keywords of one batch share them.

    The results of the last two batches of up to ``SHARED_CHARS`` characters are kept, so the
    terms and the keywords of a batch of documents cut the texts once.
    """
    key = segment.tokenizer_key(resources, extra_words=extra_words)
    stops = stop_list(resources, extra_stopwords=extra_stopwords)
    batch = tuple(t if isinstance(t, str) else "" for t in texts)
    if sum(map(len, batch)) > SHARED_CHARS:  # a whole corpus at once: not worth holding on to
        return _count_batch(batch, key, stops)
    return _term_counts(batch, key, stops)


SHARED_CHARS = 4_000_000  # a build task holds about 1 MB of input


@lru_cache(maxsize=2)
def _term_counts(texts: tuple[str, ...], key: segment.TokenizerKey, stops: StopList) -> TermCounts:
    return _count_batch(texts, key, stops)


def _count_batch(texts: tuple[str, ...], key: segment.TokenizerKey, stops: StopList) -> TermCounts:
    vocab = _vocabulary(key, stops)
    with vocab.lock:  # one batch at a time: ids stay put while it is counted
        if len(vocab.ids) > _MEMO_LIMIT:
            vocab.clear()
        jieba = segment.tokenizer_for(key)
        word_ids: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for text in texts:
            words = Counter(jieba.cut(text)) if text else Counter()
            new = set(words).difference(vocab.ids)  # looks up the document's words, not the vocabulary
            if new:
                vocab.add(new, text, jieba)
            word_ids.append(np.fromiter(map(vocab.ids.__getitem__, words), dtype=np.int64, count=len(words)))
            counts.append(np.fromiter(words.values(), dtype=np.int64, count=len(words)))
        sizes = np.fromiter(map(len, word_ids), dtype=np.int64, count=len(word_ids))
        doc = np.repeat(np.arange(len(texts), dtype=np.int64), sizes)
        ids = np.concatenate(word_ids) if word_ids else np.empty(0, dtype=np.int64)
        count = np.concatenate(counts) if counts else np.empty(0, dtype=np.int64)
        term = vocab.term_of[ids]
        keep = term >= 0
        doc, term, tag, count = doc[keep], term[keep], vocab.tag_of[ids[keep]], count[keep]
        # batch-local ids, then one row per (text, term, tag): words that strip to one term add up
        used_terms, term = np.unique(term, return_inverse=True)
        used_tags, tag = np.unique(tag, return_inverse=True)
        n_terms, n_tags = max(len(used_terms), 1), max(len(used_tags), 1)
        keys = (doc * n_terms + term) * n_tags + tag
        order = np.argsort(keys, kind="stable")
        keys, count = keys[order], count[order]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            keys, count = keys[starts], np.add.reduceat(count, starts)
        return TermCounts(
            doc=keys // (n_terms * n_tags),
            term=keys // n_tags % n_terms,
            tag=keys % n_tags,
            n=count,
            terms=tuple(map(vocab.terms.__getitem__, used_terms.tolist())),
            tags=tuple(map(vocab.tags.__getitem__, used_tags.tolist())),
        )


class _Vocabulary:
    """Every word the tokenizer has given, with the term it counts as and its tag.

    ``term_of[id]`` is the term id of a word (-1 for a stop word, number, punctuation ...),
    ``tag_of[id]`` its tag id. A word's tag does not depend on its context: the tokenizer cuts
    the text, then looks every word up in its dictionary (words it does not know get ``x``,
    ``m`` or ``eng`` by their characters), so it is learnt once per word.
    """

    def __init__(self, stops: StopList) -> None:
        self.stops = stops
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        self.term_of = np.empty(0, dtype=np.int64)  # grown by doubling: valid up to len(ids)
        self.tag_of = np.empty(0, dtype=np.int64)
        self.terms: list[str] = []
        self.term_ids: dict[str, int] = {}
        self.tags: list[str] = []
        self.tag_ids: dict[str, int] = {}

    def add(self, words: Iterable[str], text: str, jieba: rjieba.Jieba) -> None:
        """Learn ``words`` of ``text``: their terms, and the tags of those that are terms."""
        new = list(words)
        found = [_term_of(word, self.stops) for word in new]
        tags: dict[str, str] = {}
        unresolved = []
        for word, term in zip(new, found, strict=True):
            if term is None:
                continue
            alone = jieba.tag(word)
            if len(alone) == 1 and alone[0][0] == word:
                tags[word] = alone[0][1]
            else:  # cut otherwise on its own: take its tag from the text
                unresolved.append(word)
        if unresolved:
            in_text = dict(jieba.tag(text))
            tags.update((word, in_text[word]) for word in unresolved)
        start = len(self.ids)
        if start + len(new) > len(self.term_of):
            size = max(start + len(new), 2 * len(self.term_of), 1024)
            self.term_of = np.resize(self.term_of, size)
            self.tag_of = np.resize(self.tag_of, size)
        for i, (word, term) in enumerate(zip(new, found, strict=True), start=start):
            self.ids[word] = i
            if term is None:
                self.term_of[i] = -1
                self.tag_of[i] = 0
            else:
                self.term_of[i] = self._id(term, self.terms, self.term_ids)
                self.tag_of[i] = self._id(tags[word], self.tags, self.tag_ids)

    @staticmethod
    def _id(value: str, values: list[str], ids: dict[str, int]) -> int:
        if value not in ids:
            ids[value] = len(values)
            values.append(value)
        return ids[value]


@lru_cache(maxsize=8)
def _vocabulary(key: segment.TokenizerKey, stops: StopList) -> _Vocabulary:
    return _Vocabulary(stops)


def _term_of(word: str, stops: StopList) -> str | None:
    """The term ``word`` counts as (stripped), or None."""
    stripped = word.strip()
    return stripped if stripped and is_term(stripped, stops) else None


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
    texts = pd.DataFrame({"doc_id": [doc_id], "text": [text]})
    return count_terms(texts, resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords)


def count_terms(
    texts: pd.DataFrame,
    *,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``terms`` rows for many documents (a frame with ``doc_id`` and ``text`` columns).

    Each document's terms once, with the count and the tag they have most often (the greater
    tag on a tie), ordered by document, count (descending), then term.
    """
    if texts.empty:
        return schema.empty("terms")
    counted = term_counts(
        texts["text"].tolist(), resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords
    )
    return _terms_table(counted, doc_id_strings(texts))


def _terms_table(counted: TermCounts, doc_ids: pa.Array) -> pd.DataFrame:
    """One row per (text, term): its total count and its most frequent tag (the greater on a
    tie), ordered by text, count (descending), then term."""
    if not len(counted.n):
        return schema.empty("terms")
    doc, term, tag, count = counted.doc, counted.term, counted.tag, counted.n
    # rows are sorted by (text, term), so each run is one term
    starts = np.flatnonzero(np.r_[True, (doc[1:] != doc[:-1]) | (term[1:] != term[:-1])])
    if len(starts) < len(doc):
        run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(doc)]))
        best = np.lexsort((string_ranks(counted.tags)[tag], count, run))
        last = best[np.r_[starts[1:], len(doc)] - 1]  # the greatest (count, tag) of each run
        doc, term, tag = doc[last], term[last], tag[last]
        count = np.add.reduceat(count, starts)
    order = np.lexsort((string_ranks(counted.terms)[term], -count, doc))
    return pd.DataFrame(
        {
            "doc_id": string_column(doc_ids, doc[order]),
            "term": string_column(_strings(counted.terms), term[order]),
            "pos": string_column(_strings(counted.tags), tag[order]),
            "count": pd.arrays.IntegerArray(count[order], np.zeros(len(order), dtype=bool)),
        },
        copy=False,  # the columns are new arrays
    )


def string_ranks(values: Sequence[str]) -> np.ndarray:
    """The rank of each of ``values`` in code-point order (how Python compares strings)."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
    return ranks


def string_column(values: pa.Array, indices: np.ndarray) -> pd.arrays.ArrowStringArray:
    """A string column of a table: ``values`` taken at ``indices``."""
    return pd.arrays.ArrowStringArray(values.take(indices))


def doc_id_strings(texts: pd.DataFrame) -> pa.Array:
    """The ``doc_id`` column of ``texts`` as Arrow strings."""
    return _strings([d if isinstance(d, str) else str(d) for d in texts["doc_id"].tolist()])


def _strings(values: Sequence[str]) -> pa.Array:
    return pa.array(values, type=pa.large_string())


def count_ngrams(
    texts: pd.DataFrame,
    *,
    n: int = 2,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """``ngrams`` for many documents (a frame with ``doc_id`` and ``text`` columns).

    Documents in order; they are counted ``NGRAM_CHARS`` characters at a time.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    if texts.empty or "text" not in texts:
        return schema.empty("terms")
    key = segment.tokenizer_key(resources, extra_words=extra_words)
    stops = stop_list(resources, extra_stopwords=extra_stopwords)
    doc_ids = doc_id_strings(texts)
    batch = [t if isinstance(t, str) else "" for t in texts["text"].tolist()]
    frames = []
    start = 0
    while start < len(batch):
        end, size = start, 0
        while end < len(batch) and (end == start or size + len(batch[end]) <= NGRAM_CHARS):
            size += len(batch[end])
            end += 1
        counted = _ngram_counts(batch[start:end], n, key, stops)
        frames.append(_terms_table(counted, doc_ids.slice(start, end - start)))
        start = end
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty("terms")
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


NGRAM_CHARS = 4_000_000


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
    holds the tags joined the same way (the most frequent, the greater on a tie). Ordered by
    count (descending), then n-gram.
    """
    texts = pd.DataFrame({"doc_id": [doc_id], "text": [text]})
    return count_ngrams(texts, n=n, resources=resources, extra_words=extra_words, extra_stopwords=extra_stopwords)


def _ngram_counts(texts: Sequence[str], n: int, key: segment.TokenizerKey, stops: StopList) -> TermCounts:
    """(text, n-gram, tags) counts of ``texts``, n-grams and tags as joined strings."""
    vocab = _vocabulary(key, stops)
    with vocab.lock:  # one batch at a time: ids stay put while it is counted
        if len(vocab.ids) > _MEMO_LIMIT:
            vocab.clear()
        jieba = segment.tokenizer_for(key)
        docs, grams, tags = [], [], []
        for i, text in enumerate(texts):
            tokens = jieba.cut(text) if text else []
            if len(tokens) < n:
                continue
            new = set(tokens).difference(vocab.ids)
            if new:
                vocab.add(new, text, jieba)
            ids = np.fromiter(map(vocab.ids.__getitem__, tokens), dtype=np.int64, count=len(tokens))
            term = vocab.term_of[ids]
            gaps = np.r_[0, np.cumsum(term < 0)]
            whole = np.flatnonzero(gaps[n:] == gaps[:-n])  # windows of n terms with no gap
            if not len(whole):
                continue
            at = whole[:, None] + np.arange(n)
            docs.append(np.full(len(whole), i, dtype=np.int64))
            grams.append(term[at])
            tags.append(vocab.tag_of[ids][at])
        if not docs:
            empty = np.empty(0, dtype=np.int64)
            return TermCounts(empty, empty, empty, empty, (), ())
        gram_ids, gram_names = _joined(np.concatenate(grams), vocab.terms)
        tag_ids, tag_names = _joined(np.concatenate(tags), vocab.tags)
        n_grams, n_tags = max(len(gram_names), 1), max(len(tag_names), 1)
        keys, count = np.unique((np.concatenate(docs) * n_grams + gram_ids) * n_tags + tag_ids, return_counts=True)
        return TermCounts(
            doc=keys // (n_grams * n_tags),
            term=keys // n_tags % n_grams,
            tag=keys % n_tags,
            n=count.astype(np.int64),
            terms=gram_names,
            tags=tag_names,
        )


def _joined(rows: np.ndarray, names: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """An id per row of ``rows`` (ids into ``names``) for its names joined by spaces, and the
    joined strings; rows that join to the same string get the same id."""
    row_id = np.zeros(len(rows), dtype=np.int64)
    for column in rows.T:  # one int64 key per distinct row so far, kept below len(rows)
        _, row_id = np.unique(row_id * (int(column.max()) + 1) + column, return_inverse=True)
    _, first = np.unique(row_id, return_index=True)
    ids: dict[str, int] = {}
    of_distinct = np.fromiter(
        (ids.setdefault(" ".join(map(names.__getitem__, row)), len(ids)) for row in rows[first].tolist()),
        dtype=np.int64,
        count=len(first),
    )
    return of_distinct[row_id.reshape(-1)], tuple(ids)
