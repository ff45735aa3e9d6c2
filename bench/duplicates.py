"""Near-duplicate grouping on a built folder: wall time and peak memory of the stage.

    .venv/bin/python -m bench.duplicates OUT_FOLDER          # a folder written by ``python -m lib build``
    .venv/bin/python -m bench.duplicates OUT_FOLDER --text   # from the documents' text in memory

By default the documents table is read without its text; the text column is then read
``--batch`` rows at a time, each batch turned into its ``signature_table`` rows, and these
batches go to ``duplicate_groups`` as they come (what a build does when it keeps the
signatures per document): neither the texts nor all signature rows are held at once.
With ``--text`` the whole documents table is read and ``duplicate_groups(documents)``
computes the signatures itself.

Prints the number of documents, characters, groups and grouped documents, the seconds
spent on signatures and on the corpus-wide step, the process's peak resident memory after
reading the table and after grouping, and how many grouped documents differ from the
folder's stored ``duplicates`` table.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from lib import duplicates, store


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class _SignatureBatches:
    """``signature_table`` of the documents' text read ``batch`` rows at a time, with the
    seconds and characters spent on it."""

    def __init__(self, path: Path, batch: int) -> None:
        self.path, self.batch = path, batch
        self.seconds = 0.0
        self.characters = 0

    def __iter__(self) -> Iterator[pd.DataFrame]:
        # a buffered stream, not whole column chunks: a table written as one row group
        # would otherwise have all its text decoded at once
        source = pq.ParquetFile(self.path, buffer_size=1 << 22, pre_buffer=False)
        for record in source.iter_batches(batch_size=self.batch, columns=["doc_id", "text"], use_threads=False):
            started = time.perf_counter()
            frame = record.to_pandas()
            self.characters += int(frame["text"].str.len().sum())
            table = duplicates.signature_table(frame)
            del frame
            self.seconds += time.perf_counter() - started
            yield table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, help="a built folder (documents.parquet, duplicates.parquet)")
    p.add_argument("--text", action="store_true", help="read the whole documents table, text included")
    p.add_argument("--batch", type=int, default=2_000, help="documents per signature batch (default 2000)")
    args = p.parse_args(argv)
    if not store.is_built(args.folder):
        sys.exit(f"not a built folder: {args.folder}")
    if args.text:
        docs = store.read_table(args.folder, "documents")
        characters = int(docs["text"].str.len().sum())
        after_read = _peak_mb()
        started = time.perf_counter()
        dups = duplicates.duplicate_groups(docs)
        seconds = time.perf_counter() - started
        timing = f"duplicate_groups from the text {seconds:.2f} s"
    else:
        docs = store.read_columns(args.folder, "documents", without=["text"])
        after_read = _peak_mb()
        batches = _SignatureBatches(args.folder / "documents.parquet", args.batch)
        started = time.perf_counter()
        dups = duplicates.duplicate_groups(docs, signatures=batches)
        seconds = time.perf_counter() - started
        characters = batches.characters
        timing = (
            f"{seconds:.2f} s: signatures {batches.seconds:.2f} s, "
            f"duplicate_groups on them {seconds - batches.seconds:.2f} s"
        )
    stored = store.read_table(args.folder, "duplicates")
    changed = set(dups["doc_id"]) ^ set(stored["doc_id"])
    print(
        f"documents {len(docs)}  characters {characters}  "
        f"groups {dups['group_id'].nunique()}  grouped documents {len(dups)}"
    )
    print(timing)
    print(f"peak RSS {after_read:.0f} MB after reading, {_peak_mb():.0f} MB after")
    print(f"grouped documents not in the stored table or only there: {len(changed)} (stored: {len(stored)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
