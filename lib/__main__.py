"""Command line: ``python -m lib build INPUT... --out DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.build import build
from lib.resources import DATA

DEFAULT_INPUT = DATA / "corpus"
DEFAULT_OUT = DATA / "processed"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lib", description="政协党建文本分析: build tables from Chinese texts.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="ingest files and folders and write the tables as Parquet")
    b.add_argument(
        "inputs", nargs="*", type=Path, metavar="INPUT", help="files or folders (recursive); default data/corpus"
    )
    b.add_argument("--out", type=Path, default=None, help="output folder; default data/processed")
    b.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    inputs = args.inputs or [DEFAULT_INPUT]
    out = args.out or DEFAULT_OUT
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        print(f"error: input not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if out.exists() and not out.is_dir():
        print(f"error: --out {out} exists and is not a folder", file=sys.stderr)
        return 2
    summary = build(inputs, out=out, workers=args.workers, progress=True)
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
