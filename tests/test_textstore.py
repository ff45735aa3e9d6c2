"""The compressed text store: every document's text comes back exactly, by doc_id, in any order,
and the substring search finds the documents a reader finds."""

from __future__ import annotations

import hand_corpus
import pyarrow as pa
import pytest

from lib import textstore


@pytest.fixture(scope="module", params=[1, 2, 64])
def store(request: pytest.FixtureRequest) -> textstore.TextStore:
    docs = hand_corpus.tables()["documents"][["doc_id", "text"]]
    table = pa.Table.from_pandas(docs, preserve_index=False)
    # two batches of 4 and 3 documents, so blocks straddle batches
    return textstore.TextStore([table.slice(0, 4), table.slice(4)], block_size=request.param)


def test_texts_come_back_exactly(store: textstore.TextStore) -> None:
    docs = hand_corpus.tables()["documents"]
    assert list(store.doc_ids) == docs["doc_id"].tolist()
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        assert store.text(doc_id) == text
    assert store.text("002.md#07").startswith("突出特色 把牢方向 推动党的工作向政协委员全覆盖")
    assert store.text("no-such-doc") == ""


def test_texts_in_the_order_asked(store: textstore.TextStore) -> None:
    frame = store.texts(["web.html#01", "003.txt#01", "missing", "002.md#01"])
    assert frame["doc_id"].tolist() == ["web.html#01", "003.txt#01", "missing", "002.md#01"]
    assert frame["text"].iloc[0].startswith("网页残留")
    assert "72名党员委员" in frame["text"].iloc[1]
    assert frame["text"].iloc[2] == ""
    assert frame["text"].iloc[3].startswith("构建理论武装大格局")
    assert store.texts([]).empty


@pytest.mark.parametrize(
    ("needle", "ignore_case", "expected"),
    [
        # 全覆盖: the two copies of the 曲周 story, 固安's speech and the template (实现全覆盖)
        ("全覆盖", False, {"003.txt#01", "003-copy.txt#01", "002.md#07", "000.txt#01"}),
        ("党组书记", False, {"002.md#01", "002.md#03", "002.md#07"}),
        ("<SCRIPT>", True, {"web.html#01"}),
        ("<SCRIPT>", False, set()),
        ("不存在的说法", False, set()),
    ],
)
def test_containing(store: textstore.TextStore, needle: str, ignore_case: bool, expected: set[str]) -> None:
    assert set(store.containing(needle, ignore_case=ignore_case)) == expected


def test_compressed_and_empty() -> None:
    long_text = "政协委员履职尽责，界别党支部全覆盖。" * 2_000
    table = pa.table({"doc_id": ["a", "b", "c"], "text": [long_text, "", None]})
    held = textstore.TextStore([table])
    assert held.text("a") == long_text and held.text("b") == "" and held.text("c") == ""
    assert held.nbytes() < len(long_text.encode("utf-8")) / 10  # a repeated sentence compresses well
    empty = textstore.TextStore([])
    assert len(empty) == 0 and empty.text("a") == "" and list(empty.containing("政协")) == []
