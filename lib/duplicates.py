"""Near-duplicate groups across documents: reprints, anonymised copies and rewrites.

Whole-document character-shingle Jaccard does not separate a rewrite from an unrelated
text of the same genre: the seed rewrite 000 shares only 5 % of its 5-shingles with the
曲周 story it was made from, while unrelated speeches on 政协党建 share 2-4 % through
stock phrases. What does separate them is how much of each text has a *near*
counterpart clause in the other, once stock phrases are discounted. So the unit is the
clause:

1. Clauses are runs of at least ``MIN_CLAUSE`` Chinese characters. Digits, Latin
   letters, placeholders (X, xx, *, ×) and punctuation all end a clause, so numbers
   blanked out by anonymisation do not change the clauses around them.
2. Each clause gets a MinHash signature of its character 3-shingles: ``N_PERM`` rows of
   16 bits (one splitmix64 hash per shingle, then a multiply-add-shift hash per row),
   computed for about a million characters at a time.
3. LSH banding (``N_PERM // BAND_ROWS`` bands, one sort of 64-bit keys per band) puts
   clauses with similar signatures in the same bucket; only clauses of different
   documents that share a bucket (all pairs in a bucket of at most ``MAX_BUCKET_DOCS``
   documents, neighbours in a larger one; copies count once, see below) are
   compared, never all pairs of documents. Pairs below ``MIN_CLAUSE_JACCARD`` estimated
   Jaccard (share of equal signature rows) are dropped; so are document pairs that could
   not pass the grouping rule even if every candidate clause pair held. The rest are
   verified by their actual character-bigram Dice, which must reach ``CLAUSE_DICE``
   (computed from the clauses' characters in sorted arrays: no per-clause strings or
   sets are kept).
4. Each clause is weighted by its length times an inverse document frequency (how many
   documents share its most crowded bucket), so stock phrases found across the corpus
   count little. A document's coverage by another is the weighted share of its clauses
   with a verified counterpart there.
5. A pair is a near-duplicate when both documents are covered by at least
   ``MUTUAL_COVERAGE`` (rewrites, anonymised copies, reprints) or one of them by at least
   ``PART_COVERAGE`` (an excerpt or partial reprint). Two documents of the same known
   region and different known years are a series (annual reports), grouped only at
   ``PART_COVERAGE``.
6. Groups form around leaders, taken in canonical order (below): a leader takes the
   near-duplicates of its own that no earlier group holds. Every member is thus a
   near-duplicate of its canonical document itself; chains (A like B, B like C) do not
   merge groups, which in template-heavy text (local regulations) would otherwise join
   a hundred documents through one shared passage at a time.

Measured on the split seed corpus (weighted mutual coverage, the smaller of the two
sides): 篇八 / 承德 speech 0.97, 000 / 003 0.10-0.15 depending on the hash functions, every
other pair at most 0.058 (the eight speeches of 002 among themselves at most 0.047);
``MUTUAL_COVERAGE`` sits between. Successive annual reports of one government reuse
0.18-0.26 of their clauses (hence the series rule); reports of different provinces share
at most 0.075.

Copies cost nothing: documents with the same clause sequence (exact copies, or copies
that differ only in numbers, Latin letters, placeholders or punctuation) and the same
region and year form one class; only its first document takes part in steps 3-5, standing
for all of them (the clause weights still count every copy), and a class with several
documents is grouped whole. Buckets are crowded by their number of classes, not copies.

Caching per document. ``signature_table(documents)`` gives one row per document with the
columns of ``SIGNATURE_COLUMNS``: doc_id, n_chars, marked (anonymisation marks), content
(a 64-bit hash of the clause sequence), n_clauses, and three byte strings: clause_len
(uint32 per clause), minhash (``N_PERM`` uint16 per clause) and chars (the clauses'
characters as UTF-16-LE). A row is a pure function of the document's text, so it can be
computed in worker processes, written to Parquet and kept for unchanged documents; change
``SIGNATURE_VERSION`` whenever the rows change. ``duplicate_groups(documents,
signatures=table)`` then needs no text: ``documents`` gives doc_id, is_template, province,
city, county and year, and ``signatures`` may also be an iterable of such tables read batch
by batch (the byte columns are kept once per distinct content).

The canonical document of a group is the first by: not a template (``is_template``
false), no anonymisation marks (X县, xx名, ***), longest text, then smallest doc_id. A
row's ``similarity`` is the share of that document's weighted clause characters that
have a counterpart in the canonical document (1.0 for the canonical itself).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from lib import schema

MIN_CLAUSE = 6  # Chinese characters; shorter runs are too common to mean anything
N_PERM = 32  # MinHash permutations per clause
BAND_ROWS = 2  # rows per LSH band -> N_PERM // BAND_ROWS bands
MIN_CLAUSE_JACCARD = 0.25  # estimated 3-shingle Jaccard a candidate clause pair must reach
MAX_BUCKET_DOCS = 20  # in buckets shared by more documents, only neighbours are paired
CLAUSE_DICE = 0.6  # bigram Dice at which a clause counts as having a counterpart
MUTUAL_COVERAGE = 0.08  # both documents covered at least this much -> near-duplicates
PART_COVERAGE = 0.6  # or one document covered at least this much (excerpt, partial reprint)


@lru_cache(maxsize=1)
def _clause_pattern() -> re.Pattern[str]:
    return re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{{{MIN_CLAUSE},}}")


@lru_cache(maxsize=1)
def _placeholder_pattern() -> re.Pattern[str]:
    # anonymisation marks: X县 / xx名 / ×同志 / ***县 / **市
    return re.compile(r"(?<![A-Za-z+＋])[xX×]{1,4} ?(?=[\u4e00-\u9fff%])|[*＊]{2,}")


_PLACEHOLDER_CHARS = "xX×*＊"  # every match of _placeholder_pattern holds one of these


def _marked(text: str) -> bool:
    """Whether ``text`` carries anonymisation marks (the pattern runs only on texts that
    hold one of its characters: most hold none, and a scan for a character is far faster)."""
    return any(c in text for c in _PLACEHOLDER_CHARS) and bool(_placeholder_pattern().search(text))


@lru_cache(maxsize=1)
def _sentence_pattern() -> re.Pattern[str]:
    return re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|\n+|$)")


def clauses(text: str) -> list[str]:
    """The clauses of ``text``: runs of at least ``MIN_CLAUSE`` Chinese characters."""
    return _clause_pattern().findall(unicodedata.normalize("NFKC", text))


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # the classes of _clause_pattern
_BATCH_CHARS = 1 << 20  # characters hashed at a time: bounds the temporary arrays
_PAIR_CHUNK = 1 << 17  # clause pairs compared at a time
_DENSE_PAIRS = 1 << 26  # up to this many pairs of documents, a flag per pair instead of a search


def _seeds() -> tuple[np.ndarray, np.ndarray]:
    """Odd multipliers and addends of the N_PERM multiply-add-shift hash functions (32-bit)."""
    rng = np.random.default_rng(0)
    mult = rng.integers(1, 2**32, size=N_PERM, dtype=np.uint64).astype(np.uint32) | np.uint32(1)
    add = rng.integers(0, 2**32, size=N_PERM, dtype=np.uint64).astype(np.uint32)
    return mult, add


_MULT, _ADD = _seeds()


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, elementwise on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _codes(text: str) -> np.ndarray:
    """Code points (uint32) of the NFKC form of ``text``."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _runs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets in ``codes`` of its clauses (what ``clauses`` finds)."""
    han = np.zeros(len(codes) + 2, dtype=np.int8)
    inner = han[1:-1]
    for low, high in _HAN_RANGES:
        inner |= (codes >= low) & (codes <= high)
    edges = np.diff(han)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = ends - starts >= MIN_CLAUSE
    return starts[keep], ends[keep]


def _spans(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every position in the spans ``[starts[i], ends[i])`` and the span ``i`` it belongs to."""
    lengths = np.maximum(ends - starts, 0).astype(np.int64)
    span = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(offsets - starts, lengths)
    return positions, span


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (by sorting: numpy's hash-based
    ``unique`` is far slower on many large keys)."""
    out = np.sort(values)
    return out[np.concatenate(([True], out[1:] != out[:-1]))] if len(out) else out


def _signature_rows(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """MinHash signatures (16-bit), shape (len(starts), N_PERM), of the character
    3-shingles of the spans ``codes[starts[i]:ends[i]]``; a span without a 3-shingle
    gets the maximal value in every row."""
    out = np.full((len(starts), N_PERM), np.iinfo(np.uint16).max, dtype=np.uint16)
    n_grams = np.maximum(ends - starts - 2, 0)
    has = np.flatnonzero(n_grams > 0)
    if len(has) == 0:
        return out
    positions, _ = _spans(starts[has], starts[has] + n_grams[has])
    wide = codes.astype(np.uint64)
    grams = (wide[positions] << np.uint64(42)) | (wide[positions + 1] << np.uint64(21)) | wide[positions + 2]
    base = (_mix(grams) >> np.uint64(32)).astype(np.uint32)
    del grams, wide, positions
    bounds = np.cumsum(n_grams[has]) - n_grams[has]
    hashed = np.empty_like(base)
    with np.errstate(over="ignore"):
        for i in range(N_PERM):
            np.multiply(base, _MULT[i], out=hashed)
            np.add(hashed, _ADD[i], out=hashed)
            np.right_shift(hashed, np.uint32(16), out=hashed)
            out[has, i] = np.minimum.reduceat(hashed, bounds)
    return out


def clause_signatures(parts: list[str]) -> np.ndarray:
    """MinHash signatures (16-bit), shape (len(parts), N_PERM), of each clause's 3-shingles."""
    if not parts:
        return np.zeros((0, N_PERM), dtype=np.uint16)
    codes = np.frombuffer("\0".join(parts).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    return _signature_rows(codes, starts, starts + lengths)


# The signature table: what the corpus-wide step needs of each document, one row per
# document, a pure function of its text (a cache, not one of the contract's tables).
SIGNATURE_VERSION = 1  # changes whenever the rows a text gets change: part of a cache key
SIGNATURE_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "n_chars": "int64",  # len(text): the canonical rule prefers the longest text
    "marked": "bool",  # anonymisation marks (X县, xx名, ***): never the canonical document
    "content": "int64",  # hash of the clause sequence: equal for copies that differ only outside clauses
    "n_clauses": "int64",
    "clause_len": "object",  # bytes: n_clauses little-endian uint32, each clause's characters
    "minhash": "object",  # bytes: n_clauses x N_PERM little-endian uint16, row by row
    "chars": "object",  # bytes: the clauses' characters one after the other, UTF-16-LE (all in the BMP)
}
_HEAVY = ("n_clauses", "clause_len", "minhash", "chars")


def empty_signatures() -> pd.DataFrame:
    """A signature table without rows."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in SIGNATURE_COLUMNS.items()})


def signature_table(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per row of ``documents`` (columns doc_id, text) with the columns of
    ``SIGNATURE_COLUMNS``: everything ``duplicate_groups`` needs of a document. Each row is
    a pure function of the document's text (the doc_id aside), so rows can be computed in
    worker processes, stored in Parquet and kept for unchanged documents across builds."""
    if documents.empty:
        return empty_signatures()
    doc_ids = [str(d) for d in documents["doc_id"]]
    texts = [str(t) for t in documents["text"].fillna("")] if "text" in documents else [""] * len(doc_ids)
    parts: list[pd.DataFrame] = []
    batch: list[int] = []
    size = 0
    for i, text in enumerate(texts):
        batch.append(i)
        size += len(text)
        if size >= _BATCH_CHARS:
            parts.append(_signature_batch([doc_ids[j] for j in batch], [texts[j] for j in batch]))
            batch, size = [], 0
    if batch:
        parts.append(_signature_batch([doc_ids[j] for j in batch], [texts[j] for j in batch]))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _signature_batch(doc_ids: list[str], texts: list[str]) -> pd.DataFrame:
    """``signature_table`` of a few documents, hashed together in one pass."""
    normal = [t if unicodedata.is_normalized("NFKC", t) else unicodedata.normalize("NFKC", t) for t in texts]
    codes = np.frombuffer("\0".join(normal).encode("utf-32-le"), dtype=np.uint32)
    starts, ends = _runs(codes)
    rows = _signature_rows(codes, starts, ends)
    lengths = (ends - starts).astype("<u4")
    positions, _ = _spans(starts, ends)
    chars = codes[positions].astype("<u2")  # the Chinese characters of _HAN_RANGES are all in the BMP
    del positions
    sizes = np.fromiter((len(t) + 1 for t in normal), dtype=np.int64, count=len(normal))
    clause_bounds = np.concatenate(([0], np.searchsorted(starts, np.cumsum(sizes)))).tolist()
    char_bounds = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))[clause_bounds].tolist()
    length_blobs, row_blobs, char_blobs, contents = [], [], [], []
    for k in range(len(texts)):
        lo, hi = clause_bounds[k], clause_bounds[k + 1]
        length_blob = lengths[lo:hi].tobytes()
        char_blob = chars[char_bounds[k] : char_bounds[k + 1]].tobytes()
        digest = hashlib.blake2b(length_blob, digest_size=8)
        digest.update(char_blob)
        length_blobs.append(length_blob)
        row_blobs.append(rows[lo:hi].astype("<u2").tobytes())
        char_blobs.append(char_blob)
        contents.append(int.from_bytes(digest.digest(), "little", signed=True))
    return pd.DataFrame(
        {
            "doc_id": pd.Series(doc_ids, dtype="string"),
            "n_chars": np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)),
            "marked": np.fromiter((_marked(t) for t in texts), dtype=bool, count=len(texts)),
            "content": np.array(contents, dtype=np.int64),
            "n_clauses": np.diff(clause_bounds).astype(np.int64),
            "clause_len": pd.Series(length_blobs, dtype=object),
            "minhash": pd.Series(row_blobs, dtype=object),
            "chars": pd.Series(char_blobs, dtype=object),
        }
    )


@dataclass(frozen=True)
class _Corpus:
    """The clauses of the representative documents, one after the other."""

    rep_docs: np.ndarray  # documents each representative stands for (int64)
    clause_doc: np.ndarray  # representative of every clause (int32)
    clause_len: np.ndarray  # characters of every clause (int64)
    doc_start: np.ndarray  # index of each representative's first clause (n_reps + 1 entries)
    signatures: np.ndarray  # (n_clauses, N_PERM) uint16
    chars: np.ndarray  # the clauses' characters (uint16)
    char_start: np.ndarray  # offset in ``chars`` of each clause (n_clauses + 1 entries)


def _corpus(rows: pd.DataFrame, rep_docs: np.ndarray) -> _Corpus:
    """The corpus of the representatives whose heavy signature columns are ``rows`` (in order),
    each standing for ``rep_docs[i]`` documents."""
    sizes = rows["n_clauses"].to_numpy(dtype=np.int64)
    n_clauses = int(sizes.sum())
    clause_len = np.frombuffer(b"".join(rows["clause_len"]), dtype="<u4").astype(np.int64)
    signatures = np.frombuffer(b"".join(rows["minhash"]), dtype="<u2").reshape(n_clauses, N_PERM)
    chars = np.frombuffer(b"".join(rows["chars"]), dtype="<u2")
    if len(clause_len) != n_clauses or len(chars) != clause_len.sum():
        raise ValueError("signature rows do not match their clause counts")
    return _Corpus(
        rep_docs=rep_docs.astype(np.int64),
        clause_doc=np.repeat(np.arange(len(sizes), dtype=np.int32), sizes),
        clause_len=clause_len,
        doc_start=np.concatenate(([0], np.cumsum(sizes))).astype(np.int64),
        signatures=signatures,
        chars=chars,
        char_start=np.concatenate(([0], np.cumsum(clause_len))).astype(np.int64),
    )


def _clause_matches(corpus: _Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate clause pairs (a, b), a < b, from different documents that share an LSH
    bucket and pass the estimated Jaccard bar, and each clause's document frequency (how
    many documents share its most crowded bucket: high for stock phrases).

    One band at a time: the band's two 16-bit rows and the clause index make one 64-bit
    key, so a sort groups each bucket with its clauses in document order; only buckets
    holding more than one clause are looked at further."""
    sig = corpus.signatures
    n = sig.shape[0]
    none = np.zeros(0, dtype=np.int32)
    df = np.ones(n, dtype=np.int64)
    if n == 0:
        return none, none, df
    index = np.arange(n, dtype=np.uint64)
    found: list[np.ndarray] = []
    similar = np.zeros(0, dtype=np.int64)  # distinct pair keys a * n + b that passed
    for band in range(N_PERM // BAND_ROWS):
        key = index.copy()
        for row in range(BAND_ROWS):
            shift = np.uint64(32 + 16 * (BAND_ROWS - 1 - row))
            key |= sig[:, band * BAND_ROWS + row].astype(np.uint64) << shift
        key.sort()
        bucket = key >> np.uint64(32)
        shared = bucket[1:] == bucket[:-1]
        member = np.zeros(n, dtype=bool)
        member[1:] |= shared
        member[:-1] |= shared
        del bucket, shared
        key = key[member]
        if len(key) == 0:
            continue
        bucket = key >> np.uint64(32)
        clause = (key & np.uint64(0xFFFFFFFF)).astype(np.int64)
        doc = corpus.clause_doc[clause]
        new_bucket = np.concatenate(([True], bucket[1:] != bucket[:-1]))
        new_doc = new_bucket | np.concatenate(([True], doc[1:] != doc[:-1]))
        bucket_id = np.cumsum(new_bucket) - 1
        # the documents in the bucket, copies included, give the frequency; the
        # representatives, which are what is paired, decide whether the bucket is crowded
        docs_here = np.bincount(bucket_id, weights=new_doc * corpus.rep_docs[doc]).astype(np.int64)[bucket_id]
        np.maximum.at(df, clause, docs_here)
        # in a crowded bucket (a common phrase) each document is paired with its neighbour
        # only, which still chains the members of a large reprint group together; in
        # another, each clause with the next MAX_BUCKET_DOCS clauses of its bucket
        size = np.bincount(bucket_id)
        small = (np.bincount(bucket_id, weights=new_doc) <= MAX_BUCKET_DOCS)[bucket_id]
        last = (np.cumsum(size) - 1)[bucket_id]  # position of the bucket's last clause
        partners = np.minimum(last - np.arange(len(key)), np.where(small, MAX_BUCKET_DOCS, 1))
        # positions by falling number of partners: those with at least d are a prefix
        by_reach = np.argsort(-partners, kind="stable")
        reach = np.cumsum(np.bincount(partners, minlength=MAX_BUCKET_DOCS + 1)[::-1])[::-1]
        del partners, last, small
        for d in range(1, MAX_BUCKET_DOCS + 1):
            if reach[d] == 0:
                break
            first = by_reach[: reach[d]]
            apart = doc[first] != doc[first + d]
            if apart.any():
                first = first[apart]
                found.append(clause[first] * np.int64(n) + clause[first + d])
        del by_reach
        if sum(len(f) for f in found) > max(n, len(similar)):  # bounded memory between bands
            similar = _with_similar_pairs(sig, similar, found)
    similar = _with_similar_pairs(sig, similar, found)
    return (similar // n).astype(np.int32), (similar % n).astype(np.int32), df


def _with_similar_pairs(sig: np.ndarray, similar: np.ndarray, found: list[np.ndarray]) -> np.ndarray:
    """``similar`` (sorted distinct pair keys ``a * n + b``) with the pairs of ``found``
    not in it yet that pass ``_estimated_similar``; ``found`` is emptied."""
    if not found:
        return similar
    n = np.int64(sig.shape[0])
    new = _distinct(np.concatenate(found))
    found.clear()
    at = np.searchsorted(similar, new)
    seen = at < len(similar)
    seen[seen] = similar[at[seen]] == new[seen]
    new = new[~seen]  # pairs found in earlier bands were estimated then
    new = new[_estimated_similar(sig, new // n, new % n)]
    return np.sort(np.concatenate((similar, new)), kind="stable")  # merges two sorted runs


def _estimated_similar(sig: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether the estimated 3-shingle Jaccard of clauses ``a[i]`` and ``b[i]`` (their
    share of equal signature rows) reaches ``MIN_CLAUSE_JACCARD``."""
    words = np.ascontiguousarray(sig).view(np.uint64)  # four rows a word: a quarter of the gathers
    keep = np.zeros(len(a), dtype=bool)
    for lo in range(0, len(a), _PAIR_CHUNK):
        hi = lo + _PAIR_CHUNK
        equal = np.count_nonzero((words[a[lo:hi]] ^ words[b[lo:hi]]).view(np.uint16) == 0, axis=1)
        keep[lo:hi] = equal >= MIN_CLAUSE_JACCARD * sig.shape[1]
    return keep


def clause_weights(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Inverse-document-frequency weight of each clause in [0, 1]: 1 for a clause found in
    at most two documents, falling towards 0 for stock phrases found in most documents."""
    if n_docs <= 2:
        return np.ones(len(df))
    return np.clip(np.log(n_docs / np.maximum(df, 2)) / np.log(n_docs / 2), 0.0, 1.0)


def _clause_bigrams(corpus: _Corpus, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct character bigrams of the clauses ``used`` (sorted clause indices):
    (offsets, bigrams), the bigrams of ``used[i]`` being ``bigrams[offsets[i]:offsets[i + 1]]``."""
    positions, span = _spans(corpus.char_start[used], corpus.char_start[used + 1] - 1)
    chars = corpus.chars
    # Chinese characters are all in the basic plane: a bigram fits in 32 bits
    bigram = (chars[positions].astype(np.uint64) << np.uint64(16)) | chars[positions + 1]
    del positions
    keys = _distinct((span.astype(np.uint64) << np.uint64(32)) | bigram)
    offsets = np.searchsorted(keys >> np.uint64(32), np.arange(len(used) + 1, dtype=np.uint64))
    return offsets, keys & np.uint64(0xFFFFFFFF)


def _dice_at_least(corpus: _Corpus, a: np.ndarray, b: np.ndarray, threshold: float) -> np.ndarray:
    """Whether the character-bigram Dice of clauses ``a[i]`` and ``b[i]`` reaches ``threshold``."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    used = _distinct(np.concatenate([a, b]))
    offsets, bigrams = _clause_bigrams(corpus, used)
    sizes = np.diff(offsets)
    ra, rb = np.searchsorted(used, a), np.searchsorted(used, b)
    shared = np.zeros(len(a), dtype=np.int64)
    for lo in range(0, len(a), _PAIR_CHUNK):
        hi = min(lo + _PAIR_CHUNK, len(a))
        pos_a, pair_a = _spans(offsets[ra[lo:hi]], offsets[ra[lo:hi] + 1])
        pos_b, pair_b = _spans(offsets[rb[lo:hi]], offsets[rb[lo:hi] + 1])
        keys = np.concatenate(
            (
                (pair_a.astype(np.uint64) << np.uint64(32)) | bigrams[pos_a],
                (pair_b.astype(np.uint64) << np.uint64(32)) | bigrams[pos_b],
            )
        )
        keys.sort(kind="stable")  # two sorted runs: a merge
        both = keys[1:][keys[1:] == keys[:-1]]  # each side is a set: equal neighbours are shared
        shared[lo:hi] = np.bincount((both >> np.uint64(32)).astype(np.int64), minlength=hi - lo)
    return 2 * shared >= threshold * (sizes[ra] + sizes[rb])


def _pair_coverages(
    corpus: _Corpus, n_docs: int, *, mutual_coverage: float = 0.0, part_coverage: float = 0.0
) -> tuple[pd.DataFrame, np.ndarray]:
    """Verified pairs of representatives: columns da, db, cov_a, cov_b (weighted clause
    coverage), and each representative's weighted clause mass; ``n_docs`` is the number of
    documents the clause weights are taken over.

    Pairs whose coverage could not reach the thresholds even if every candidate clause pair
    were verified are dropped before verification (0 keeps every pair).
    """
    n_reps = len(corpus.rep_docs)
    a, b, df = _clause_matches(corpus)
    mass = corpus.clause_len * clause_weights(df, n_docs)
    del df
    doc_mass = np.bincount(corpus.clause_doc, weights=mass, minlength=n_reps)
    bound = _coverages(corpus, a, b, mass, doc_mass)
    low, high = np.minimum(bound["cov_a"], bound["cov_b"]), np.maximum(bound["cov_a"], bound["cov_b"])
    promising = bound.loc[(low >= mutual_coverage) | (high >= part_coverage), ["da", "db"]]
    del bound, low, high
    keys = corpus.clause_doc[a].astype(np.int64) * n_reps + corpus.clause_doc[b]
    wanted = promising["da"].to_numpy(dtype=np.int64) * n_reps + promising["db"].to_numpy(dtype=np.int64)
    if n_reps * n_reps <= _DENSE_PAIRS:
        table = np.zeros(n_reps * n_reps, dtype=bool)
        table[wanted] = True
        keep = table[keys]
    else:
        keep = np.isin(keys, wanted)
    a, b = a[keep], b[keep]
    del keep, keys
    ok = _dice_at_least(corpus, a, b, CLAUSE_DICE)
    return _coverages(corpus, a[ok], b[ok], mass, doc_mass), doc_mass


def _coverages(corpus: _Corpus, a: np.ndarray, b: np.ndarray, mass: np.ndarray, doc_mass: np.ndarray) -> pd.DataFrame:
    """Per pair of representatives, the share of each side's clause mass matched by clause
    pairs (a, b) (each clause counted once per pair however many counterparts it has).

    Each side's clauses are keyed (da, db, clause's place in its document) in one 64-bit
    integer: one sort gives the distinct clauses of every pair, pair by pair."""
    if len(a) == 0:
        return pd.DataFrame(
            {"da": np.zeros(0, dtype=np.int64), "db": np.zeros(0, dtype=np.int64), "cov_a": [], "cov_b": []}
        )
    doc_bits = max(len(doc_mass) - 1, 1).bit_length()
    place_bits = max(int(np.diff(corpus.doc_start).max()) - 1, 1).bit_length()
    if 2 * doc_bits + place_bits > 63:
        raise ValueError("too many documents or clauses in one document for 64-bit pair keys")
    da, db = corpus.clause_doc[a].astype(np.int64), corpus.clause_doc[b].astype(np.int64)
    pair = (da << doc_bits) | db
    del da, db
    sums = []
    for side in (a, b):
        doc = corpus.clause_doc[side]
        keys = _distinct((pair << place_bits) | (side - corpus.doc_start[doc]))
        owner = keys >> place_bits
        starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
        own_doc = (owner >> doc_bits) if side is a else (owner & ((1 << doc_bits) - 1))
        clause = corpus.doc_start[own_doc] + (keys & ((1 << place_bits) - 1))
        sums.append((owner[starts], np.add.reduceat(mass[clause], starts)))
    pairs, matched_a = sums[0]
    matched_b = sums[1][1]
    first, second = pairs >> doc_bits, pairs & ((1 << doc_bits) - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov_a = matched_a / doc_mass[first]
        cov_b = matched_b / doc_mass[second]
    return pd.DataFrame({"da": first, "db": second, "cov_a": np.nan_to_num(cov_a), "cov_b": np.nan_to_num(cov_b)})


def clause_coverage(a_text: str, b_text: str) -> tuple[float, float]:
    """Share of ``a_text``'s and of ``b_text``'s clause characters that have a near
    counterpart (character-bigram Dice >= ``CLAUSE_DICE``) among all clauses of the other."""
    a_parts, b_parts = clauses(a_text), clauses(b_text)
    if not a_parts or not b_parts:
        return 0.0, 0.0
    a_sets = [{p[i : i + 2] for i in range(len(p) - 1)} for p in a_parts]
    b_sets = [{p[i : i + 2] for i in range(len(p) - 1)} for p in b_parts]
    shared = sorted(set().union(*a_sets) & set().union(*b_sets))
    if not shared:
        return 0.0, 0.0
    column = {g: i for i, g in enumerate(shared)}
    ma = np.zeros((len(a_parts), len(shared)), dtype=np.float32)
    mb = np.zeros((len(b_parts), len(shared)), dtype=np.float32)
    for i, s in enumerate(a_sets):
        ma[i, [column[g] for g in s if g in column]] = 1.0
    for j, s in enumerate(b_sets):
        mb[j, [column[g] for g in s if g in column]] = 1.0
    size_a = np.array([len(s) for s in a_sets], dtype=np.float32)
    size_b = np.array([len(s) for s in b_sets], dtype=np.float32)
    dice = 2.0 * (ma @ mb.T) / (size_a[:, None] + size_b[None, :])
    len_a = np.array([len(p) for p in a_parts], dtype=np.float64)
    len_b = np.array([len(p) for p in b_parts], dtype=np.float64)
    cov_a = float(len_a[dice.max(axis=1) >= CLAUSE_DICE].sum() / len_a.sum())
    cov_b = float(len_b[dice.max(axis=0) >= CLAUSE_DICE].sum() / len_b.sum())
    return cov_a, cov_b


def is_near_duplicate(
    coverage: tuple[float, float], *, mutual_coverage: float = MUTUAL_COVERAGE, part_coverage: float = PART_COVERAGE
) -> bool:
    """The grouping rule on a pair's two (weighted) clause coverages."""
    low, high = min(coverage), max(coverage)
    return low >= mutual_coverage or high >= part_coverage


def _canonical_key(doc_id: str, *, is_template: bool, marked: bool, n_chars: int) -> tuple[bool, bool, int, str]:
    return (is_template, marked, -n_chars, doc_id)


def _regions(docs: pd.DataFrame) -> list[tuple[str, str, str] | None]:
    """Each document's (province, city, county), None when unknown."""
    if "province" not in docs.columns:
        return [None] * len(docs)
    out: list[tuple[str, str, str] | None] = []
    for row in docs.reindex(columns=["province", "city", "county"]).fillna("").itertuples(index=False):
        out.append((str(row[0]), str(row[1]), str(row[2])) if row[0] else None)
    return out


def _years(docs: pd.DataFrame) -> list[int | None]:
    """Each document's year, None when unknown."""
    if "year" not in docs.columns:
        return [None] * len(docs)
    return [int(y) if pd.notna(y) else None for y in docs["year"]]


def _same_series(regions: list[tuple[str, str, str] | None], years: list[int | None], i: int, j: int) -> bool:
    """Same known region, different known years: e.g. one government's annual reports."""
    yi, yj = years[i], years[j]
    return regions[i] is not None and regions[i] == regions[j] and yi is not None and yj is not None and yi != yj


@dataclass(frozen=True)
class _Known:
    """The light signature columns of every document (in the order of ``documents``)."""

    content: np.ndarray  # int64
    marked: np.ndarray  # bool
    n_chars: np.ndarray  # int64
    n_clauses: np.ndarray  # int64


def _gather(doc_ids: list[str], batches: Iterable[pd.DataFrame]) -> tuple[_Known, pd.DataFrame]:
    """The signature rows of ``doc_ids`` from ``batches`` of a signature table (rows of other
    documents are ignored), and their heavy columns indexed by content, once per distinct
    content with clauses: copies cost no memory however many there are."""
    where = pd.Index(doc_ids)
    if not where.is_unique:
        raise ValueError("doc_id values are not unique")
    n = len(doc_ids)
    content, marked = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    n_chars, n_clauses = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=bool)
    kept: list[pd.DataFrame] = []
    seen: set[int] = set()
    for batch in batches:
        at = where.get_indexer(pd.Index(batch["doc_id"].astype(str)))
        mine = at >= 0
        rows = batch[mine] if not mine.all() else batch
        at = at[mine]
        values = rows["content"].to_numpy(dtype=np.int64)
        content[at], found[at] = values, True
        marked[at] = rows["marked"].to_numpy(dtype=bool)
        n_chars[at] = rows["n_chars"].to_numpy(dtype=np.int64)
        clause_counts = rows["n_clauses"].to_numpy(dtype=np.int64)
        n_clauses[at] = clause_counts
        fresh = (clause_counts > 0) & ~pd.Series(values).duplicated().to_numpy() & ~np.isin(values, list(seen))
        if fresh.any():
            kept.append(rows.loc[fresh, ["content", *_HEAVY]])
            seen.update(values[fresh].tolist())
    if not found.all():
        missing = [doc_ids[i] for i in np.flatnonzero(~found)[:3]]
        raise ValueError(f"no signature row for {int((~found).sum())} documents, e.g. {missing}")
    heavy = pd.concat(kept, ignore_index=True) if kept else empty_signatures()[["content", *_HEAVY]]
    return _Known(content, marked, n_chars, n_clauses), heavy.set_index("content")


def _text_signatures(docs: pd.DataFrame) -> pd.DataFrame:
    """``signature_table(docs)``, each distinct text hashed once."""
    codes, texts = pd.factorize(docs["text"].fillna(""))
    table = signature_table(pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts}))
    out = table.iloc[codes].reset_index(drop=True)
    out["doc_id"] = pd.Series([str(d) for d in docs["doc_id"]], dtype="string")
    return out


def duplicate_groups(
    documents: pd.DataFrame,
    *,
    signatures: pd.DataFrame | Iterable[pd.DataFrame] | None = None,
    mutual_coverage: float = MUTUAL_COVERAGE,
    part_coverage: float = PART_COVERAGE,
) -> pd.DataFrame:
    """``duplicates`` rows: one per document in a group of near-duplicates (size >= 2).

    Two documents of the same known region and different known years (a government's
    successive annual reports, which reuse 20-30 % of their clauses) are a series, not
    copies: they are grouped only at ``part_coverage``, not at ``mutual_coverage``.

    ``documents`` needs doc_id and, for the rules above, is_template, province, city,
    county and year. ``signatures``, when given, is the ``signature_table`` of its rows (one
    frame, or an iterable of frames read batch by batch; rows of other documents are
    ignored, a document without a row is a ``ValueError``) and the text is not read;
    otherwise the signatures are computed here from the text column, once per distinct
    text. doc_id values must be unique (``ValueError`` otherwise)."""
    if documents.empty:
        return schema.empty("duplicates")
    docs = documents.reset_index(drop=True)
    if signatures is None:
        if "text" not in docs.columns:
            return schema.empty("duplicates")
        batches: Iterable[pd.DataFrame] = [_text_signatures(docs)]
    else:
        batches = [signatures] if isinstance(signatures, pd.DataFrame) else signatures
    doc_ids = [str(d) for d in docs["doc_id"]]
    known, heavy = _gather(doc_ids, batches)
    del batches
    regions, years = _regions(docs), _years(docs)
    # Documents with the same clauses (and region and year) are one class, handled through
    # its first document: copies never multiply the clause pairs.
    reps: list[int] = []
    members: list[list[int]] = []
    class_of: dict[tuple[int, tuple[str, str, str] | None, int | None], int] = {}
    for i in np.flatnonzero(known.n_clauses > 0).tolist():
        c = class_of.setdefault((int(known.content[i]), regions[i], years[i]), len(reps))
        if c == len(reps):
            reps.append(i)
            members.append([])
        members[c].append(i)
    rep_docs = np.array([len(m) for m in members], dtype=np.int64)
    corpus = _corpus(heavy.loc[known.content[reps]], rep_docs)
    del heavy  # the corpus holds its own copies
    pairs, rep_mass = _pair_coverages(
        corpus, len(doc_ids), mutual_coverage=mutual_coverage, part_coverage=part_coverage
    )
    coverage: dict[tuple[int, int], float] = {}
    neighbours: dict[int, set[int]] = {c: set() for c in np.flatnonzero((rep_docs > 1) & (rep_mass > 0)).tolist()}
    for x, y, ca, cb in pairs.itertuples(index=False):
        a, b = int(x), int(y)
        coverage[(a, b)], coverage[(b, a)] = float(ca), float(cb)
        mutual = part_coverage if _same_series(regions, years, reps[a], reps[b]) else mutual_coverage
        if is_near_duplicate((ca, cb), mutual_coverage=mutual, part_coverage=part_coverage):
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    templates = [bool(t) for t in docs["is_template"].fillna(False)] if "is_template" in docs else [False] * len(docs)
    keys = [
        _canonical_key(
            doc_ids[i], is_template=templates[i], marked=bool(known.marked[i]), n_chars=int(known.n_chars[i])
        )
        for i in range(len(doc_ids))
    ]
    best = {c: min(members[c], key=keys.__getitem__) for c in neighbours}
    # Leaders in canonical order each take their still free near-duplicates: every member
    # is a near-duplicate of its canonical document itself, never only through a chain. A
    # class is taken whole (its members are near-duplicates of each other and of the same
    # documents), so this runs on classes.
    taken: set[int] = set()
    groups: list[list[int]] = []
    for leader in sorted(neighbours, key=lambda c: keys[best[c]]):
        if leader in taken:
            continue
        free = sorted(neighbours[leader] - taken)
        if free or len(members[leader]) > 1:
            groups.append([leader, *free])
            taken.update(groups[-1])
    rows = []
    for group_id, group in enumerate(sorted(groups, key=lambda g: doc_ids[best[g[0]]]), start=1):
        leader, canonical = group[0], best[group[0]]
        similarity = {i: 1.0 if c == leader else round(coverage[(c, leader)], 4) for c in group for i in members[c]}
        similarity[canonical] = 1.0
        for i in sorted(similarity, key=lambda i: doc_ids[i]):
            rows.append(
                {
                    "doc_id": doc_ids[i],
                    "group_id": group_id,
                    "canonical_doc_id": doc_ids[canonical],
                    "similarity": similarity[i],
                }
            )
    return schema.from_records(rows, "duplicates")


def with_dup_group(documents: pd.DataFrame, dups: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with ``dup_group`` filled from ``dups`` (NA when in no group)."""
    out = documents.copy()
    groups = dict(zip(dups["doc_id"], dups["group_id"], strict=True))
    out["dup_group"] = out["doc_id"].map(groups).astype("Int64")
    return out


@dataclass(frozen=True)
class Difference:
    """One edit between two texts: ``op`` is replace / delete / insert (or equal), the
    spans are character offsets ``(start, end)`` into each text."""

    op: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences of ``text`` (ending at 。！？； or a line break)."""
    return [m.span() for m in _sentence_pattern().finditer(text) if m.group().strip()]


def _sentence_key(sentence: str) -> str:
    return "".join(unicodedata.normalize("NFKC", sentence).split())


def differences(a_text: str, b_text: str, *, include_equal: bool = False) -> list[Difference]:
    """What differs between two documents, sentence by sentence (difflib on sentences
    compared without whitespace and with NFKC-normalised punctuation)."""
    a_spans, b_spans = sentence_spans(a_text), sentence_spans(b_text)
    a_keys = [_sentence_key(a_text[s:e]) for s, e in a_spans]
    b_keys = [_sentence_key(b_text[s:e]) for s, e in b_spans]
    matcher = difflib.SequenceMatcher(None, a_keys, b_keys, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" and not include_equal:
            continue
        a_span = (a_spans[i1][0], a_spans[i2 - 1][1]) if i2 > i1 else _point(a_spans, i1, len(a_text))
        b_span = (b_spans[j1][0], b_spans[j2 - 1][1]) if j2 > j1 else _point(b_spans, j1, len(b_text))
        out.append(Difference(op, a_span, b_span))
    return out


def _point(spans: list[tuple[int, int]], index: int, end: int) -> tuple[int, int]:
    """Empty span where sentence ``index`` would start (for inserts and deletes)."""
    at = spans[index][0] if index < len(spans) else end
    return (at, at)
