"""A built corpus repeated N times (new document ids), for timing the app at scale.

    .venv/bin/python -m bench.scaled_tables SOURCE_DIR OUT_DIR --copies 15

Copies every table of a built folder ``copies`` times; copy k renames each source file
to ``k/<name>`` (so doc_ids and source paths stay unique) and keeps everything else.
This times the app on the number of rows of a large corpus without building one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from lib import schema, store


def _renamed(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    out = frame.copy()
    for column in ("doc_id", "source_path", "canonical_doc_id"):
        if column in out.columns:
            out[column] = (f"{k:02d}/" + out[column].astype(str)).where(out[column].astype(str) != "", "")
    if "group_id" in out.columns:
        out["group_id"] = out["group_id"] + k * 1_000_000
    if "dup_group" in out.columns:
        out["dup_group"] = out["dup_group"] + k * 1_000_000
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--copies", type=int, default=15)
    args = p.parse_args(argv)
    manifest = store.read_manifest(args.source)
    with store.StagedTables(args.out) as staged:
        for name in schema.TABLES:
            frame = store.read_table(args.source, name)
            for k in range(args.copies):
                staged.append(name, _renamed(frame, k))
        manifest["counts"] = dict(staged.counts)
        manifest["scaled_copies"] = args.copies
        staged.commit(manifest)
    print(f"{args.out}: {manifest['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
