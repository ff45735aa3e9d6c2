"""One input file through every per-document stage: bytes in, tables out.

``process_file`` is a pure function of (path, bytes, resources), so it can run in a
worker process or on a cluster. It is two steps that a rebuild can also run apart:
``file_documents`` (ingest → clean → split → meta → places, which gives the documents
rows, the place entities and the file's ingest_report row) and ``analyse_documents``
(one analyser per per-document table, each a function of (doc_id, text, resources)).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import pandas as pd

from lib import clean, entities, ingest, keywords, meta, places, schema, split, statistics, terms, themes
from lib.resources import Resources

FileTables = dict[str, pd.DataFrame]
Analyser = Callable[[str, str, Resources], pd.DataFrame]

# Per-document tables computed from a document's cleaned text. The place entities come
# with the documents stage (they decide the region); "entities" here are the other kinds.
ANALYSERS: dict[str, Analyser] = {
    "entities": lambda doc_id, text, res: entities.extract_entities(doc_id, text, resources=res),
    "statistics": lambda doc_id, text, res: statistics.extract_statistics(doc_id, text),
    "terms": lambda doc_id, text, res: terms.document_terms(doc_id, text, resources=res),
    "keywords": lambda doc_id, text, res: keywords.document_keywords(doc_id, text, resources=res),
    "themes": lambda doc_id, text, res: themes.document_themes(doc_id, text, resources=res),
}


def doc_id_for(source_path: str, part: int) -> str:
    """Stable document id: the source path (relative to the input root) and part number."""
    return f"{source_path}#{part:02d}"


def file_documents(source_path: str, data: bytes, *, resources: Resources) -> FileTables:
    """``ingest_report`` (one row), ``documents`` and place ``entities`` of one file.

    Never raises on bad input: problems end up in the report row.
    """
    extracted = ingest.extract_text(data, name=source_path)
    if extracted.status != "ok":
        return {
            "ingest_report": _report(source_path, extracted.status, extracted.reason, 0),
            "documents": schema.empty("documents"),
            "entities": schema.empty("entities"),
        }
    cleaned = clean.clean_text(extracted.text, resources=resources)
    parts = split.split_documents(cleaned)
    doc_rows = []
    place_tables = []
    for part in parts:
        doc_id = doc_id_for(source_path, part.part)
        row = {"doc_id": doc_id, "source_path": source_path, "part": part.part, "text": part.text}
        row |= meta.document_metadata(part, file_text=cleaned)
        mentions = places.place_mentions(doc_id, part.text)
        row |= places.document_region(
            text=part.text, title=str(row["title"]), author_title=str(row["author_title"]), mentions=mentions
        )
        row["n_chars"] = len(part.text)
        row["is_template"] = clean.is_template(part.text)
        doc_rows.append(row)
        place_tables.append(mentions)
    if parts:
        report = _report(source_path, "ok", extracted.reason, len(parts))
    else:
        report = _report(source_path, "skipped", extracted.reason or "no text left after cleaning", 0)
    return {
        "ingest_report": report,
        "documents": schema.from_records(doc_rows, "documents"),
        "entities": concat(place_tables, "entities"),
    }


def analyse_documents(
    documents: pd.DataFrame, *, resources: Resources, tables: Collection[str] = tuple(ANALYSERS)
) -> FileTables:
    """The per-document ``tables`` for every row of ``documents`` (doc_id and text)."""
    out: dict[str, list[pd.DataFrame]] = {name: [] for name in tables}
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        for name in tables:
            out[name].append(ANALYSERS[name](str(doc_id), str(text), resources))
    return {name: concat(frames, name) for name, frames in out.items()}


def process_file(source_path: str, data: bytes, *, resources: Resources) -> FileTables:
    """Every table of one file: ingest_report, documents and the per-document tables."""
    docs = file_documents(source_path, data, resources=resources)
    analysed = analyse_documents(docs["documents"], resources=resources)
    analysed["entities"] = concat([docs["entities"], analysed["entities"]], "entities")
    return docs | analysed


def concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """Concatenate tables of kind ``name`` (empty list -> empty table)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(name)
    if all(schema.conforms(f, name) for f in frames):
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return schema.conform(pd.concat(frames, ignore_index=True), name)


def _report(source_path: str, status: str, reason: str, n_documents: int) -> pd.DataFrame:
    return schema.from_records(
        [{"source_path": source_path, "status": status, "reason": reason, "n_documents": n_documents}],
        "ingest_report",
    )
