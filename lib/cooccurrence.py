"""Co-occurrence of chosen terms (usually the most frequent ones) and a layout to draw them.

Two terms co-occur when they stand in the same sentence (``unit="sentence"``: weight is the
number of sentences holding both) or within ``window`` terms of each other
(``unit="window"``: weight is the number of such pairs of occurrences). Terms are the
tokens of ``lib.segment`` that ``lib.terms`` counts (stop words, numbers, punctuation and
single characters do not take up window positions). Sentences end at 。！？；!?; or a line
break.

``spring_layout`` places the terms with the Fruchterman–Reingold force model in numpy, so
a Plotly scatter can draw the network without a graph library.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from lib import schema, segment, terms
from lib.resources import Resources

UNITS = ("sentence", "window")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")


def sentence_ends(text: str) -> list[int]:
    """Offsets where the sentences of ``text`` end (after each run of end marks)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def term_positions(
    text: str,
    *,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> list[tuple[str, int]]:
    """The terms of ``text`` in order, each with the number of the sentence it stands in."""
    if not text:
        return []
    stops = terms.stop_list(resources, extra_stopwords=extra_stopwords)
    ends = np.asarray(sentence_ends(text), dtype="int64")
    out: list[tuple[str, int]] = []
    for token, start, _end in segment.spans(text, resources=resources, extra_words=extra_words):
        word = token.strip()
        if word and terms.is_term(word, stops):
            out.append((word, int(np.searchsorted(ends, start, side="right"))))
    return out


def cooccurrence(
    texts: pd.DataFrame,
    *,
    chosen: Sequence[str],
    unit: str = "sentence",
    window: int = 5,
    resources: Resources | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """Edges between the ``chosen`` terms in ``texts`` (``doc_id``, ``text``): a ``cooccurrence``
    table with each pair once (source before target in ``chosen`` order), heaviest first."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit: {unit}")
    wanted = {t: i for i, t in enumerate(dict.fromkeys(chosen))}
    if len(wanted) < 2 or texts.empty:
        return schema.empty("cooccurrence")
    words = tuple(extra_words)
    stops = tuple(extra_stopwords)
    weight: Counter[tuple[str, str]] = Counter()
    documents: Counter[tuple[str, str]] = Counter()
    for text in texts["text"]:
        if not isinstance(text, str) or not text:
            continue
        seq = term_positions(text, resources=resources, extra_words=words, extra_stopwords=stops)
        pairs = _sentence_pairs(seq, wanted) if unit == "sentence" else _window_pairs(seq, wanted, window)
        weight.update(pairs)
        documents.update(pairs.keys())
    rows = [
        {"source": a, "target": b, "weight": w, "documents": documents[(a, b)]}
        for (a, b), w in sorted(weight.items(), key=lambda kv: (-kv[1], wanted[kv[0][0]], wanted[kv[0][1]]))
    ]
    return schema.from_records(rows, "cooccurrence")


def _ordered(a: str, b: str, wanted: dict[str, int]) -> tuple[str, str]:
    return (a, b) if wanted[a] < wanted[b] else (b, a)


def _sentence_pairs(seq: list[tuple[str, int]], wanted: dict[str, int]) -> Counter[tuple[str, str]]:
    by_sentence: dict[int, set[str]] = {}
    for term, sentence in seq:
        if term in wanted:
            by_sentence.setdefault(sentence, set()).add(term)
    out: Counter[tuple[str, str]] = Counter()
    for present in by_sentence.values():
        ordered = sorted(present, key=wanted.__getitem__)
        out.update(combinations(ordered, 2))
    return out


def _window_pairs(seq: list[tuple[str, int]], wanted: dict[str, int], window: int) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for i, (term, _) in enumerate(seq):
        if term not in wanted:
            continue
        for other, _ in seq[i + 1 : i + 1 + window]:
            if other in wanted and other != term:
                out[_ordered(term, other, wanted)] += 1
    return out


def spring_layout(
    nodes: Sequence[str],
    edges: pd.DataFrame,
    *,
    iterations: int = 200,
    seed: int = 0,
) -> np.ndarray:
    """Positions (n × 2, within [-1, 1]) of ``nodes`` by Fruchterman–Reingold.

    Edges (a ``cooccurrence`` table) pull their ends together in proportion to their
    weight (scaled to at most 1); all nodes push each other apart. Deterministic for a
    given ``seed``.
    """
    n = len(nodes)
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    index = {name: i for i, name in enumerate(nodes)}
    adjacency = np.zeros((n, n))
    if not edges.empty:
        heaviest = float(edges["weight"].max())
        for a, b, w in zip(edges["source"], edges["target"], edges["weight"], strict=True):
            if a in index and b in index and a != b:
                adjacency[index[a], index[b]] = adjacency[index[b], index[a]] = float(w) / heaviest
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = np.sqrt(4.0 / n)  # ideal distance in a 2 × 2 frame
    temperature = 0.2
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-4)
        force = k * k / distance**2 - adjacency * distance / k
        np.fill_diagonal(force, 0.0)
        displacement = np.einsum("ij,ijk->ik", force, delta)
        length = np.maximum(np.linalg.norm(displacement, axis=-1), 1e-9)
        pos += displacement / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    scale = float(np.abs(pos).max())
    return pos / scale if scale > 0 else pos


def network_nodes(nodes: Sequence[str], counts: Sequence[int], edges: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
    """The ``network_nodes`` table: each term with its count, its number of neighbours and its position."""
    if not len(nodes):
        return schema.empty("network_nodes")
    pos = spring_layout(nodes, edges, seed=seed)
    degree: Counter[str] = Counter()
    if not edges.empty:
        degree.update(edges["source"].astype(str))
        degree.update(edges["target"].astype(str))
    frame = pd.DataFrame(
        {
            "term": list(nodes),
            "count": list(counts),
            "degree": [degree[t] for t in nodes],
            "x": pos[:, 0],
            "y": pos[:, 1],
        }
    )
    return schema.conform(frame, "network_nodes")
