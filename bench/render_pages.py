"""Server-side render time of every page (AppTest), warm caches, and cold start.

    .venv/bin/python -m bench.render_pages DIR          # DIR: a built corpus folder
    .venv/bin/python -m bench.render_pages DIR --cold   # also time a cold start

Warm: each page is run once to fill the caches, then ``--repeat`` more times; the median
of those runs is reported, and the peak RSS of the process that rendered every page. Cold: a new Python process imports the app, loads the tables
and renders the overview page with its first chart; the whole process is timed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.measure import RESULTS, ROOT, machine
from lib import store, ui

COLD = """
import time, sys
t = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=600)
at.run()
assert not at.exception, [e.value for e in at.exception]
assert len(at.get("plotly_chart")) > 0, "no chart on the first page"
print(time.perf_counter() - t)
"""


def page_times(*, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for path, *_ in ui.PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.run()
        at.switch_page(path)
        at.run()  # fills the caches of this page
        assert not at.exception, (path, [e.value for e in at.exception])
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - started)
        times[path] = runs
    return times


def cold_start() -> float:
    out = subprocess.run(
        [sys.executable, "-c", COLD, str(ROOT / "dashboard.py")],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", type=Path, help="a built corpus folder")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--cold", action="store_true")
    args = p.parse_args(argv)
    os.environ[ui.CORPUS_ENV] = str(args.corpus.resolve())
    n_docs = store.row_count(args.corpus, "documents")  # from the footer: reading the table would raise the peak
    lines = [
        f"corpus: {n_docs:,} documents; {machine()}",
        "",
        "| page | warm median ms | min–max ms |",
        "|---|---:|---:|",
    ]
    for path, runs in page_times(repeat=args.repeat).items():
        lines.append(
            f"| {Path(path).stem} | {statistics.median(runs) * 1000:.0f} | {min(runs) * 1000:.0f}–{max(runs) * 1000:.0f} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    lines.append(f"\npeak RSS of this process (every page rendered, caches kept): {peak:,.0f} MB")
    if args.cold:
        lines.append(f"\ncold start to the first chart: {cold_start():.2f} s")
    report = "\n".join(lines)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "render.md").open("a", encoding="utf-8") as fh:
        fh.write(f"<!-- {time.strftime('%Y-%m-%d %H:%M')} -->\n{report}\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
