"""One input file through every per-document stage: bytes in, tables out.

``process_file`` is a pure function of (path, bytes, resources), so it can run in a
worker process or on a cluster, and its result can be cached by content hash.
"""

from __future__ import annotations

import pandas as pd

from lib import clean, entities, ingest, keywords, meta, places, schema, split, statistics, terms, themes
from lib.resources import Resources

FileTables = dict[str, pd.DataFrame]


def doc_id_for(source_path: str, part: int) -> str:
    """Stable document id: the source path (relative to the input root) and part number."""
    return f"{source_path}#{part:02d}"


def process_file(source_path: str, data: bytes, *, resources: Resources) -> FileTables:
    """Run ingest → clean → split → meta → analyse on one file.

    Returns the ``ingest_report`` row for the file, its ``documents`` rows and the
    per-document tables. Never raises on bad input: problems end up in the report.
    """
    extracted = ingest.extract_text(data, name=source_path)
    if extracted.status != "ok":
        report = schema.from_records(
            [{"source_path": source_path, "status": extracted.status, "reason": extracted.reason, "n_documents": 0}],
            "ingest_report",
        )
        return {"ingest_report": report} | _empty_document_tables()
    cleaned = clean.clean_text(extracted.text, resources=resources)
    parts = split.split_documents(cleaned)
    doc_rows = []
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.PER_DOCUMENT_TABLES}
    for part in parts:
        doc_id = doc_id_for(source_path, part.part)
        row = {"doc_id": doc_id, "source_path": source_path, "part": part.part, "text": part.text}
        row |= meta.document_metadata(part, file_text=cleaned)
        place_rows = places.place_mentions(doc_id, part.text)
        row |= places.document_region(
            text=part.text, title=str(row["title"]), author_title=str(row["author_title"]), mentions=place_rows
        )
        row["n_chars"] = len(part.text)
        row["is_template"] = clean.is_template(part.text)
        doc_rows.append(row)
        tables["entities"] += [place_rows, entities.extract_entities(doc_id, part.text, resources=resources)]
        tables["statistics"].append(statistics.extract_statistics(doc_id, part.text))
        tables["terms"].append(terms.document_terms(doc_id, part.text, resources=resources))
        tables["keywords"].append(keywords.document_keywords(doc_id, part.text, resources=resources))
        tables["themes"].append(themes.document_themes(doc_id, part.text, resources=resources))
    reason = extracted.reason or ("no text after cleaning" if not parts else "")
    report = schema.from_records(
        [
            {
                "source_path": source_path,
                "status": "ok" if parts else "skipped",
                "reason": reason,
                "n_documents": len(parts),
            }
        ],
        "ingest_report",
    )
    out: FileTables = {"ingest_report": report, "documents": schema.from_records(doc_rows, "documents")}
    for name, frames in tables.items():
        out[name] = concat(frames, name)
    return out


def concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """Concatenate tables of kind ``name`` (empty list -> empty table)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(name)
    return schema.conform(pd.concat(frames, ignore_index=True), name)


def _empty_document_tables() -> FileTables:
    return {name: schema.empty(name) for name in ("documents", *schema.PER_DOCUMENT_TABLES)}
