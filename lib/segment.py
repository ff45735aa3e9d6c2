"""Word segmentation and part-of-speech tags from a tokenizer instance the project owns.

The tokenizer is an ``rjieba.Jieba`` (jieba-rs) instance with jieba's default dictionary
plus the domain dictionary ``userdict.txt`` and any extra words a caller adds for a session.
One instance is built per (dictionary content, extra words) per process and reused; jieba's
module-level tokenizer is never touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import rjieba

from lib.resources import Resources, read_lines

USERDICT = "userdict.txt"
DEFAULT_POS = "nz"  # tag for dictionary words listed without one (other proper noun)

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


class DictEntry(NamedTuple):
    """One line of a jieba-format user dictionary: ``word [freq] [pos]``."""

    word: str
    freq: int | None
    pos: str


class Candidate(NamedTuple):
    """A frequent character sequence the tokenizer splits into several tokens."""

    text: str
    occurrences: int
    split: tuple[str, ...]


def parse_userdict(lines: Iterable[str]) -> tuple[DictEntry, ...]:
    """Entries of a jieba-format dictionary (``word [freq] [pos]`` per line, ``#`` comments).

    A missing frequency means "just enough to keep the word whole"; a missing tag is ``nz``.
    Lines whose second field is not a number take it as the tag (``word pos``).
    """
    out: list[DictEntry] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        word, rest = fields[0], fields[1:]
        freq: int | None = None
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        pos = rest[0] if rest else DEFAULT_POS
        out.append(DictEntry(word, freq, pos))
    return tuple(out)


def user_entries(resources: Resources | None = None) -> tuple[DictEntry, ...]:
    """The domain dictionary of ``resources`` (the bundled one by default)."""
    res = resources or Resources()
    return _user_entries(str(res.path(USERDICT)), res.quick_digest(USERDICT))


@lru_cache(maxsize=8)
def _user_entries(path: str, digest: str) -> tuple[DictEntry, ...]:
    return parse_userdict(read_lines(Path(path)))


TokenizerKey = tuple[str, str, tuple[str, ...]]  # dictionary path, its digest, extra words


def tokenizer_key(resources: Resources | None = None, *, extra_words: Iterable[str] = ()) -> TokenizerKey:
    """What identifies a tokenizer: the dictionary file, its content hash and the extra words."""
    res = resources or Resources()
    extras = tuple(sorted({w.strip() for w in extra_words if w and w.strip()}))
    return (str(res.path(USERDICT)), res.quick_digest(USERDICT), extras)


def tokenizer(resources: Resources | None = None, *, extra_words: Iterable[str] = ()) -> rjieba.Jieba:
    """The shared tokenizer for ``resources`` plus ``extra_words`` (built once per process).

    ``extra_words`` are ``word`` or ``word freq pos`` strings, e.g. words a person adds for a
    session; order and repeats do not matter.
    """
    return tokenizer_for(tokenizer_key(resources, extra_words=extra_words))


@lru_cache(maxsize=16)
def tokenizer_for(key: TokenizerKey) -> rjieba.Jieba:
    """The tokenizer identified by ``key`` (see ``tokenizer_key``), built once per process."""
    path, digest, extras = key
    jieba = rjieba.Jieba()
    for entry in (*_user_entries(path, digest), *parse_userdict(extras)):
        jieba.add_word(entry.word, entry.freq, entry.pos)
    return jieba


def cut(text: str, *, resources: Resources | None = None, extra_words: Iterable[str] = ()) -> list[str]:
    """Tokens of ``text`` (every character belongs to exactly one token)."""
    if not text:
        return []
    return tokenizer(resources, extra_words=extra_words).cut(text)


def tag(text: str, *, resources: Resources | None = None, extra_words: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``(token, part-of-speech)`` pairs of ``text`` in jieba's ICTCLAS-style tag set."""
    if not text:
        return []
    return tokenizer(resources, extra_words=extra_words).tag(text)


def spans(
    text: str, *, resources: Resources | None = None, extra_words: Iterable[str] = ()
) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` with character offsets, so ``text[start:end] == token``."""
    if not text:
        return []
    return tokenizer(resources, extra_words=extra_words).tokenize(text)


def dictionary_candidates(
    texts: Iterable[str],
    *,
    resources: Resources | None = None,
    min_count: int = 5,
    min_len: int = 3,
    max_len: int = 6,
    max_parts: int = 3,
) -> list[Candidate]:
    """Frequent Han sequences that the tokenizer always cuts into 2..``max_parts`` tokens.

    A sequence counts only where it starts and ends on token boundaries, so the result lists
    candidate dictionary words (党员委员 → 党员 + 委员), most frequent first. Sequences that are
    merely part of a longer candidate with the same count are dropped.
    """
    counts: Counter[tuple[str, ...]] = Counter()
    jieba = tokenizer(resources)
    for text in texts:
        for run in _HAN_RUN.findall(text):
            tokens = jieba.cut(run)
            for i in range(len(tokens)):
                length = 0
                for j in range(i, min(i + max_parts, len(tokens))):
                    length += len(tokens[j])
                    if length > max_len:
                        break
                    if j > i and length >= min_len:
                        counts[tuple(tokens[i : j + 1])] += 1
    frequent = [(("".join(parts)), n, parts) for parts, n in counts.items() if n >= min_count]
    texts_by_count: dict[int, list[str]] = {}
    for joined, n, _ in frequent:
        texts_by_count.setdefault(n, []).append(joined)
    out = [
        Candidate(joined, n, parts)
        for joined, n, parts in frequent
        if not any(joined != other and joined in other for other in texts_by_count[n])
    ]
    return sorted(out, key=lambda c: (-c.occurrences, c.text))
