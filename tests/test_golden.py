"""The golden mini-corpus: documents and ingest_report compared with tables written by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import schema
from lib.pipeline import concat, file_documents, files_documents
from lib.resources import Resources

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
INPUT = GOLDEN / "input"
META_COLUMNS = ["source_path", "part", "title", "date", "year", "source", "author", "author_title", "doc_type"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    docs, reports = [], []
    for path in sorted(INPUT.iterdir()):
        out = file_documents(path.name, path.read_bytes(), resources=Resources())
        docs.append(out["documents"])
        reports.append(out["ingest_report"])
    return {
        "documents": pd.concat(docs, ignore_index=True),
        "ingest_report": pd.concat(reports, ignore_index=True),
    }


def expected(name: str) -> pd.DataFrame:
    frame = pd.read_csv(GOLDEN / "expected" / f"{name}.csv", dtype=str, keep_default_na=False)
    for col in ("part", "year", "n_documents"):
        if col in frame:
            frame[col] = pd.array([int(v) if v else pd.NA for v in frame[col]], dtype="Int64")
    return frame


def squeeze(values: pd.Series) -> list[str]:
    """Titles without white space: cleaning may drop spaces between Chinese characters."""
    return ["".join(str(v).split()) for v in values]


def test_documents_metadata_matches_the_hand_written_table(tables: dict[str, pd.DataFrame]) -> None:
    got = tables["documents"][META_COLUMNS].reset_index(drop=True)
    want = expected("documents")
    assert squeeze(got["title"]) == squeeze(want["title"])
    for col in META_COLUMNS:
        if col == "title":
            continue
        assert got[col].tolist() == want[col].tolist(), col


def test_ingest_report_matches_the_hand_written_table(tables: dict[str, pd.DataFrame]) -> None:
    got = tables["ingest_report"][["source_path", "status", "n_documents"]]
    want = expected("ingest_report")
    assert got.to_dict("records") == want.to_dict("records")
    empty = tables["ingest_report"].set_index("source_path").loc["05_empty.txt"]
    assert "empty" in str(empty["reason"])


def test_tables_have_the_declared_columns(tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        schema.check(schema.conform(frame, name), name)
        assert list(frame.columns) == schema.columns(name)


def test_document_texts_are_the_articles_only(tables: dict[str, pd.DataFrame]) -> None:
    docs = tables["documents"]
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    # Site header, compilation title and intro belong to no document.
    for text in texts.values():
        assert "小编为大家整理" not in text
        assert "发言摘登" not in text
        assert "欢迎来到" not in text
    # The nested list stays inside the third article.
    third = texts["03_compilation.txt#03"]
    assert "篇一" in third and "一是加强政治建设" in third
    # Each speech starts with its heading and keeps its speaker line.
    assert texts["02_speeches.md#02"].startswith("以“三联三促”推动党的工作全覆盖")
    assert "大名县政协副主席、机关党组书记" in texts["02_speeches.md#02"]
    assert all(n == len(t) for n, t in zip(docs["n_chars"], docs["text"], strict=True))


def test_a_batch_of_files_gives_the_tables_of_its_files(tables: dict[str, pd.DataFrame]) -> None:
    paths = sorted(INPUT.iterdir())
    batch = files_documents(((p.name, p.read_bytes()) for p in paths), resources=Resources())
    for name in ("documents", "ingest_report"):
        pd.testing.assert_frame_equal(batch[name], tables[name])
    one_by_one = [file_documents(p.name, p.read_bytes(), resources=Resources())["entities"] for p in paths]
    pd.testing.assert_frame_equal(batch["entities"], concat(one_by_one, "entities"))
    # the speeches name 大名县 (政协副主席 of 大名县): place rows come with the documents
    assert batch["entities"]["kind"].eq("place").all()
    assert "大名县" in set(batch["entities"]["norm"])
    assert set(batch["entities"]["doc_id"]) <= set(batch["documents"]["doc_id"])
    empty = files_documents([], resources=Resources())
    for name in ("documents", "ingest_report", "entities"):
        schema.check(empty[name], name)
        assert empty[name].empty
