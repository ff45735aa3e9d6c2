"""Near-duplicate grouping on a built folder: wall time and peak memory of ``duplicate_groups``.

    .venv/bin/python -m bench.duplicates OUT_FOLDER          # a folder written by ``python -m lib build``

Reads the folder's documents table, then times ``lib.duplicates.duplicate_groups`` on it and
prints the number of documents, characters, groups and grouped documents, the seconds, the
process's peak resident memory after reading the table and after grouping, and how many
grouped documents differ from the folder's stored ``duplicates`` table.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from lib import duplicates, store


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, help="a built folder (documents.parquet, duplicates.parquet)")
    args = p.parse_args(argv)
    if not store.is_built(args.folder):
        sys.exit(f"not a built folder: {args.folder}")
    docs = store.read_table(args.folder, "documents")
    after_read = _peak_mb()
    started = time.perf_counter()
    dups = duplicates.duplicate_groups(docs)
    seconds = time.perf_counter() - started
    stored = store.read_table(args.folder, "duplicates")
    changed = set(dups["doc_id"]) ^ set(stored["doc_id"])
    print(
        f"documents {len(docs)}  characters {int(docs['text'].str.len().sum())}  "
        f"groups {dups['group_id'].nunique()}  grouped documents {len(dups)}"
    )
    print(f"duplicate_groups {seconds:.2f} s  peak RSS {after_read:.0f} MB after reading, {_peak_mb():.0f} MB after")
    print(f"grouped documents not in the stored table or only there: {len(changed)} (stored: {len(stored)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
