"""Split and metadata on the real corpora: no false splits, dates against the metadata, speed.

    .venv/bin/python -m bench.metadata                # all of cn_gov_work_reports and cn_laws_regs
    .venv/bin/python -m bench.metadata --files 500    # the first 500 files of each corpus only

Every file of both corpora is one document, so every extra part is a false split. Dates:
``meta.document_metadata`` against metadata.csv (work reports: the delivery date; laws:
the date of the version or of the first version, either counts). Types: every work report
should be 工作报告. Speed: ``split.split_documents`` plus ``meta.document_metadata`` per
document, on NFKC-normalised text (cleaning is measured with the build).
"""

from __future__ import annotations

import argparse
import csv
import time
import unicodedata
from collections import Counter
from pathlib import Path

from bench.measure import corpus, machine
from lib import meta, split


def measure(folder: Path, limit: int | None) -> None:
    with (folder / "metadata.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    texts = [unicodedata.normalize("NFKC", (folder / r["file"]).read_text(encoding="utf-8")).strip() for r in rows]
    started, cpu_started = time.perf_counter(), time.process_time()
    results = []
    for text in texts:
        parts = split.split_documents(text)
        results.append([meta.document_metadata(p, file_text=text) for p in parts])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    docs = sum(map(len, results))
    false_splits = sum(len(r) - 1 for r in results if len(r) > 1)
    dated = right = 0
    types: Counter[str] = Counter()
    for row, found in zip(rows, results, strict=True):
        if not found:
            continue
        first = found[0]
        types[first["doc_type"]] += 1
        if first["date"]:
            dated += 1
            right += first["date"] in {row["date"], row.get("first_date", "")} - {""}
    chars = sum(map(len, texts))
    print(
        f"{folder.name}: {len(rows)} files -> {docs} documents ({false_splits} false splits); "
        f"date found {dated}/{len(rows)}, agreeing with metadata.csv {right}/{dated}; "
        f"types {dict(types.most_common())}; "
        f"split+meta {seconds:.2f} s wall ({cpu:.2f} s CPU) for {chars:,} characters = "
        f"{1000 * cpu / max(1, docs):.2f} ms CPU per document"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=None, help="only the first N files of each corpus")
    args = parser.parse_args()
    print(machine())
    measure(corpus("cn_gov_work_reports"), args.files)
    measure(corpus("cn_laws_regs"), args.files)


if __name__ == "__main__":
    main()
