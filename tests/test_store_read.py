"""Reading a built folder the way the app does: tables on first use, the text left on disk,
terms dictionary-encoded, the text in batches."""

from __future__ import annotations

from pathlib import Path

import hand_corpus
import pyarrow as pa
import pytest

from lib import schema, store


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hand_corpus.write(tmp_path_factory.mktemp("hand"))


def test_lazy_tables_read_each_table_once_and_leave_the_text(folder: Path) -> None:
    tables = store.LazyTables(folder, without={"documents": ("text",)})
    assert tables.loaded() == []
    docs = tables["documents"]
    assert tables.loaded() == ["documents"]
    assert "text" not in docs.columns
    assert list(docs.columns) == [c for c in schema.columns("documents") if c != "text"]
    full = store.read_table(folder, "documents")
    assert docs.equals(full.drop(columns=["text"]))
    assert tables["documents"] is docs  # read once
    assert set(docs.loc[docs["county"].eq("曲周县"), "doc_id"]) == {"003.txt#01", "003-copy.txt#01"}
    assert tables["themes"].equals(store.read_table(folder, "themes"))
    assert sorted(tables) == sorted(schema.TABLES)
    with pytest.raises(KeyError):
        tables["no_such_table"]


def test_dictionary_columns_and_batches(folder: Path) -> None:
    themes = store.read_arrow(folder, "themes", columns=["doc_id", "theme"], dictionary=["theme"])
    assert pa.types.is_dictionary(themes.column("theme").type)
    assert set(themes.column("theme").to_pylist()) == {"组织覆盖", "理论学习"}
    batches = list(store.iter_batches(folder, "documents", columns=["doc_id", "text"], batch_size=3))
    assert [b.num_rows for b in batches] == [3, 3, 1]
    texts = {
        d: t for b in batches for d, t in zip(b.column("doc_id").to_pylist(), b.column("text").to_pylist(), strict=True)
    }
    assert texts["002.md#07"].startswith("突出特色 把牢方向")
    absent = store.read_arrow(folder / "missing", "terms", columns=["doc_id", "term"])
    assert absent.num_rows == 0 and absent.column_names == ["doc_id", "term"]
    assert list(store.iter_batches(folder / "missing", "documents", columns=["doc_id"])) == []
