"""One input file through every per-document stage: bytes in, tables out.

``process_file`` is a pure function of (path, bytes, resources), so it can run in a
worker process or on a cluster. It is two steps that a rebuild can also run apart:
``file_documents`` (ingest → clean → split → meta → places, which gives the documents
rows, the place entities and the file's ingest_report row) and ``analyse_documents``
(one analyser per per-document table, each a function of a documents table and the
resources). ``files_documents`` and ``process_files`` do the same for a batch of files,
one table each for the whole batch.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lib import clean, entities, ingest, keywords, meta, places, schema, split, statistics, terms, themes
from lib.resources import Resources

FileTables = dict[str, pd.DataFrame]
DocumentAnalyser = Callable[[str, str, Resources], pd.DataFrame]
Analyser = Callable[[pd.DataFrame, Resources], pd.DataFrame]


def per_document(analyse: DocumentAnalyser, name: str) -> Analyser:
    """A table-level analyser from one that takes a single document."""

    def analyse_all(documents: pd.DataFrame, resources: Resources) -> pd.DataFrame:
        pairs = zip(documents["doc_id"], documents["text"], strict=True)
        return concat([analyse(str(doc_id), str(text), resources) for doc_id, text in pairs], name)

    return analyse_all


# Per-document tables computed from the documents' cleaned text: each analyser takes a
# documents table (doc_id and text; any number of rows) and returns its table for all of
# them, rows in document order. The place entities come with the documents stage (they
# decide the region); "entities" here are the other kinds.
ANALYSERS: dict[str, Analyser] = {
    "entities": lambda documents, resources: entities.entities_table(documents, resources=resources),
    "statistics": lambda documents, resources: statistics.statistics_table(documents),
    "terms": lambda documents, resources: terms.count_terms(documents, resources=resources),
    "keywords": lambda documents, resources: keywords.corpus_keywords(documents, resources=resources),
    "themes": lambda documents, resources: themes.corpus_themes(documents, resources=resources),
}


def doc_id_for(source_path: str, part: int) -> str:
    """Stable document id: the source path (relative to the input root) and part number."""
    return f"{source_path}#{part:02d}"


@dataclass(frozen=True)
class FileRecords:
    """The documents stage's rows for one file, before they become tables."""

    report: dict[str, Any]  # the file's ingest_report row
    documents: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)  # place entities


def file_records(source_path: str, data: bytes, *, resources: Resources) -> FileRecords:
    """ingest → clean → split → meta → places for one file, as rows with every declared column.

    Never raises on bad input: problems end up in the report row.
    """
    extracted = ingest.extract_text(data, name=source_path)
    if extracted.status != "ok":
        return FileRecords(_report(source_path, extracted.status, extracted.reason, 0))
    cleaned = clean.clean_text(extracted.text, resources=resources)
    parts = split.split_documents(cleaned)
    doc_rows = []
    place_rows = []
    for part in parts:
        doc_id = doc_id_for(source_path, part.part)
        row = {"doc_id": doc_id, "source_path": source_path, "part": part.part, "text": part.text}
        row |= meta.document_metadata(part, file_text=cleaned)
        mentions = places.place_records(doc_id, part.text)
        row |= places.document_region(
            text=part.text, title=str(row["title"]), author_title=str(row["author_title"]), mentions=mentions
        )
        row["n_chars"] = len(part.text)
        row["is_template"] = clean.is_template(part.text)
        doc_rows.append(row)
        place_rows += mentions
    if parts:
        report = _report(source_path, "ok", extracted.reason, len(parts))
    else:
        report = _report(source_path, "skipped", extracted.reason or "no text left after cleaning", 0)
    return FileRecords(report, doc_rows, place_rows)


def records_tables(records: Iterable[FileRecords]) -> FileTables:
    """``ingest_report``, ``documents`` and place ``entities`` of many files, one table each."""
    reports: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    for rec in records:
        reports.append(rec.report)
        documents += rec.documents
        entities += rec.entities
    return {
        "ingest_report": schema.from_records(reports, "ingest_report"),
        "documents": schema.from_records(documents, "documents"),
        "entities": schema.from_records(entities, "entities"),
    }


def file_documents(source_path: str, data: bytes, *, resources: Resources) -> FileTables:
    """``ingest_report`` (one row), ``documents`` and place ``entities`` of one file.

    Never raises on bad input: problems end up in the report row.
    """
    return records_tables([file_records(source_path, data, resources=resources)])


def files_documents(files: Iterable[tuple[str, bytes]], *, resources: Resources) -> FileTables:
    """``file_documents`` of many ``(source_path, bytes)`` files as one table each, rows in
    file order: the same rows as concatenating the per-file tables, built once per table."""
    return records_tables(file_records(path, data, resources=resources) for path, data in files)


def analyse_documents(
    documents: pd.DataFrame, *, resources: Resources, tables: Collection[str] = tuple(ANALYSERS)
) -> FileTables:
    """The per-document ``tables`` for every row of ``documents`` (doc_id and text)."""
    return {name: ANALYSERS[name](documents, resources) for name in tables}


def process_file(source_path: str, data: bytes, *, resources: Resources) -> FileTables:
    """Every table of one file: ingest_report, documents and the per-document tables."""
    docs = file_documents(source_path, data, resources=resources)
    analysed = analyse_documents(docs["documents"], resources=resources)
    analysed["entities"] = concat([docs["entities"], analysed["entities"]], "entities")
    return docs | analysed


def process_files(files: Sequence[tuple[str, bytes]], *, resources: Resources) -> FileTables:
    """``process_file`` of many ``(source_path, bytes)`` files as one table each: the same rows
    in the same order as concatenating the per-file tables (each file's place entities before
    its other entities), with every analyser run once over all the files' documents."""
    docs = files_documents(files, resources=resources)
    analysed = analyse_documents(docs["documents"], resources=resources)
    analysed["entities"] = by_file(concat([docs["entities"], analysed["entities"]], "entities"), docs["documents"])
    return docs | analysed


def by_file(rows: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with doc_id) stably reordered by the file of their document, files in the
    order they first appear in ``documents``."""
    if len(rows) == 0:
        return rows
    codes, _ = pd.factorize(documents["source_path"])
    rank = dict(zip(documents["doc_id"].tolist(), codes.tolist(), strict=True))
    keys = np.fromiter((rank[d] for d in rows["doc_id"].tolist()), dtype=np.int64, count=len(rows))
    if len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all()):
        return rows
    return rows.iloc[np.argsort(keys, kind="stable")].reset_index(drop=True)


def concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """Concatenate tables of kind ``name`` (empty list -> empty table)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(name)
    if all(schema.conforms(f, name) for f in frames):
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return schema.conform(pd.concat(frames, ignore_index=True), name)


def _report(source_path: str, status: str, reason: str, n_documents: int) -> dict[str, Any]:
    return {"source_path": source_path, "status": status, "reason": reason, "n_documents": n_documents}
