"""Incremental rebuild after changing one file (median of several runs).

    .venv/bin/python -m bench.incremental            # the 3,418 laws and regulations

Builds a copy of the corpus once, then repeatedly appends a sentence to one file and
rebuilds; prints the full-build time and the median rebuild time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import RESULTS, corpus, machine, run_measured, text_files
from lib import store


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default="cn_laws_regs")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zhengxie-bench")
    args = p.parse_args(argv)
    source = args.work / "incremental-input"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(corpus(args.corpus), source)
    out = args.work / "incremental-out"
    build = [sys.executable, "-m", "lib", "build", str(source), "--out", str(out), "--workers", "2"]
    full = run_measured([*build, "--full"])
    target = text_files(source)[len(text_files(source)) // 2]
    times = []
    for i in range(args.repeat):
        with target.open("a", encoding="utf-8") as fh:
            fh.write(f"\n第{i + 1}次修改：本条例自公布之日起施行。\n")
        times.append(run_measured(build).seconds)
        reused = store.read_manifest(out)["reused"]
        print(f"rebuild {i + 1}: {times[-1]:.2f} s, {reused}", file=sys.stderr)
    row = (
        f"| {args.corpus} | {len(text_files(source)):,} | {full.seconds:.1f} | {statistics.median(times):.2f} | "
        f"{min(times):.2f}–{max(times):.2f} | {args.repeat} |"
    )
    print("| corpus | files | full build s | rebuild after one change, median s | range s | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "incremental.md").open("a", encoding="utf-8") as fh:
        fh.write(f"<!-- {time.strftime('%Y-%m-%d %H:%M')} {machine()} -->\n{row}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
