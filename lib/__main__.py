"""Command line: ``python -m lib build INPUT... --out DIR`` and ``python -m lib evaluate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.build import EXECUTORS, build
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
    b.add_argument("--executor", choices=EXECUTORS, default="local", help="run per-document stages locally or on Dask")
    b.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--full", action="store_true", help="reprocess everything instead of reusing the previous build")
    b.add_argument(
        "--workspace",
        metavar="NAME",
        default=None,
        help="add the inputs to workspace NAME (created if new) and build its tables with its resources",
    )
    e = sub.add_parser("evaluate", help="score the extractors on the hand-labelled evaluation set")
    e.add_argument("--labels", type=Path, default=None, help="evaluation folder (labels/, texts/); default tests/eval")
    e.add_argument("--verbose", action="store_true", help="list each document's missed and spurious items")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "evaluate":
        return _evaluate(args.labels, verbose=args.verbose)
    inputs = args.inputs or [DEFAULT_INPUT]
    out = args.out or DEFAULT_OUT
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        print(f"error: input not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.workspace is not None:
        return _into_workspace(args.workspace, inputs, out=args.out, workers=args.workers)
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if out.exists() and not out.is_dir():
        print(f"error: --out {out} exists and is not a folder", file=sys.stderr)
        return 2
    if args.executor == "dask" and not args.scheduler:
        print("error: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    summary = build(
        inputs,
        out=out,
        workers=args.workers,
        executor=args.executor,
        scheduler=args.scheduler,
        progress=True,
        reuse=not args.full,
    )
    print(summary.line())
    return 0


def _into_workspace(name: str, inputs: list[Path], *, out: Path | None, workers: int | None) -> int:
    from lib import workspaces

    error = workspaces.name_error(name)
    if error:
        print(f"error: --workspace {name!r}: {error}", file=sys.stderr)
        return 2
    if out is not None:
        print("error: --workspace builds into the workspace's own folder; leave out --out", file=sys.stderr)
        return 2
    if workers is not None and workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    workspace = workspaces.open_or_create(name)
    sources = [source for root in inputs for source in workspaces.folder_sources(root)]
    unbounded = workspaces.Limits(max_file_bytes=None, max_total_bytes=None, max_files=None)
    report = workspaces.add_files(workspace, sources, limits=unbounded, workers=workers)
    for row in report[report["status"].ne("ok")].itertuples():
        print(f"{row.status}: {row.source_path}: {row.reason}", file=sys.stderr)
    taken = int(report["status"].eq("ok").sum())
    print(f"workspace {name} ({workspace.folder}): {taken} files added, {len(report) - taken} not used")
    return 0


def _evaluate(folder: Path | None, *, verbose: bool) -> int:
    from lib import evaluate

    root = folder or evaluate.EVAL_DIR
    labels = evaluate.load_labels(root) if (root / "labels").is_dir() else []
    if not labels:
        print(f"error: no label files in {root / 'labels'}", file=sys.stderr)
        return 2
    print(evaluate.report(evaluate.evaluate(labels), verbose=verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
