"""Co-occurrence of terms in sentences and windows, counted by hand, and the network layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib import cooccurrence, schema

# Segmented by the project's tokenizer as
# 政协委员 | 积极 | 参加 | 协商 | 。 | 党建引领 | 委员 | 履职 | ！ | 政协 | 推进 | 党建 | 工作 | ， | 委员 | 参加 | 学习 | 。
# where 积极 and 工作 are stop words, and the comma does not end a sentence.
TEXT = "政协委员积极参加协商。党建引领委员履职！政协推进党建工作，委员参加学习。"
TEXTS = pd.DataFrame({"doc_id": ["d1"], "text": [TEXT]})
CHOSEN = ["委员", "参加", "政协", "党建"]


def test_term_positions_by_sentence() -> None:
    assert cooccurrence.term_positions(TEXT) == [
        ("政协委员", 0),
        ("参加", 0),
        ("协商", 0),
        ("党建引领", 1),
        ("委员", 1),
        ("履职", 1),
        ("政协", 2),
        ("党建", 2),
        ("委员", 2),
        ("参加", 2),
        ("学习", 2),
    ]


def test_sentence_cooccurrence() -> None:
    edges = cooccurrence.cooccurrence(TEXTS, chosen=CHOSEN, unit="sentence")
    schema.check(edges, "cooccurrence")
    # only the third sentence holds more than one chosen term: all four, six pairs, once each
    got = {(r["source"], r["target"]): r["weight"] for r in edges.to_dict("records")}
    assert got == {
        ("委员", "参加"): 1,
        ("委员", "政协"): 1,
        ("委员", "党建"): 1,
        ("参加", "政协"): 1,
        ("参加", "党建"): 1,
        ("政协", "党建"): 1,
    }
    assert set(edges["documents"]) == {1}


def test_window_cooccurrence() -> None:
    # terms: 政协委员 参加 协商 党建引领 委员 履职 政协 党建 委员 参加 学习, window of 2 following terms
    edges = cooccurrence.cooccurrence(TEXTS, chosen=CHOSEN, unit="window", window=2)
    got = {(r["source"], r["target"]): r["weight"] for r in edges.to_dict("records")}
    assert got == {
        ("委员", "政协"): 2,  # 委员 履职 政协, 政协 党建 委员
        ("政协", "党建"): 1,
        ("委员", "党建"): 1,
        ("参加", "党建"): 1,
        ("委员", "参加"): 1,
    }
    assert edges.iloc[0][["source", "target", "weight"]].tolist() == ["委员", "政协", 2]


def test_extra_stop_words_and_documents() -> None:
    texts = pd.DataFrame({"doc_id": ["d1", "d2"], "text": [TEXT, "政协委员参加协商。"]})
    edges = cooccurrence.cooccurrence(texts, chosen=["参加", "协商"], unit="sentence")
    # 参加 and 协商 share the first sentence of d1 and the sentence of d2
    assert edges[["weight", "documents"]].to_dict("records") == [{"weight": 2, "documents": 2}]
    assert cooccurrence.cooccurrence(texts, chosen=["参加", "协商"], extra_stopwords=["协商"]).empty


def test_empty_and_bad_unit() -> None:
    assert cooccurrence.cooccurrence(TEXTS, chosen=["委员"]).empty
    assert cooccurrence.cooccurrence(TEXTS.iloc[0:0], chosen=CHOSEN).empty
    with pytest.raises(ValueError):
        cooccurrence.cooccurrence(TEXTS, chosen=CHOSEN, unit="paragraph")


def test_spring_layout_pulls_neighbours_together() -> None:
    # a triangle 委员–政协–党建 and a term with no neighbour
    nodes = ["委员", "政协", "党建", "学习"]
    edges = schema.from_records(
        [
            {"source": "委员", "target": "政协", "weight": 3},
            {"source": "政协", "target": "党建", "weight": 3},
            {"source": "委员", "target": "党建", "weight": 3},
        ],
        "cooccurrence",
    )
    pos = cooccurrence.spring_layout(nodes, edges, seed=1)
    assert pos.shape == (4, 2) and np.abs(pos).max() == pytest.approx(1.0)
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=-1)
    assert max(dist[0, 1], dist[1, 2], dist[0, 2]) < min(dist[3, 0], dist[3, 1], dist[3, 2])
    assert np.array_equal(pos, cooccurrence.spring_layout(nodes, edges, seed=1))
    table = cooccurrence.network_nodes(nodes, [9, 8, 7, 1], edges, seed=1)
    schema.check(table, "network_nodes")
    assert table["degree"].tolist() == [2, 2, 2, 0]
    assert cooccurrence.network_nodes([], [], edges).empty
