"""Server-side render time of the dashboard views with warm caches (AppTest).

    python -m bench.render_views [--corpus BUILT_FOLDER] [--runs 10] [--pages coverage statistics]

Without --corpus the bundled corpus (data/corpus) is built into a temporary folder first.
Each page is opened under each filter set, run twice to warm the caches, then rerun
``--runs`` times; the figure is the time Streamlit's script runner spends in one run
(dashboard frame, sidebar and page, i.e. what the server does before the browser draws),
reported as median / 90th percentile / minimum in milliseconds. The wall time of
``AppTest.run`` (which adds the test harness's polling) is printed alongside.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "overview": "pages/overview.py",
    "documents": "pages/documents.py",
    "coverage": "pages/coverage.py",
    "statistics": "pages/statistics.py",
}
FILTER_SETS: dict[str, dict[str, str]] = {"all": {}, "河北省": {"prov": "河北省"}}


def _built_seed(folder: Path) -> Path:
    out = folder / "processed"
    subprocess.run(
        [sys.executable, "-m", "lib", "build", str(ROOT / "data" / "corpus"), "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def _timed_script_runs() -> list[float]:
    """Patch the script runner so each script run appends its duration (ms) to the list."""
    from streamlit.runtime.scriptrunner import script_runner

    times: list[float] = []
    original = script_runner.ScriptRunner._run_script

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            times.append((time.perf_counter() - started) * 1000)

    script_runner.ScriptRunner._run_script = timed  # type: ignore[method-assign]
    return times


def measure(page: str, params: dict[str, str], *, runs: int, times: list[float]) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    at.run()  # warm: every cache of this page and filter set is filled
    if at.exception:
        raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
    times.clear()
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        walls.append((time.perf_counter() - started) * 1000)
    script = sorted(times)
    return {
        "median": statistics.median(script),
        "p90": script[min(len(script) - 1, round(0.9 * (len(script) - 1)))],
        "min": script[0],
        "wall_median": statistics.median(walls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a built corpus folder (default: build data/corpus)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pages", nargs="+", default=["coverage", "statistics"], choices=sorted(PAGES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or _built_seed(Path(tmp))
        os.environ["ZHENGXIE_CORPUS"] = str(folder)
        times = _timed_script_runs()
        print(f"corpus: {folder.name} · {args.runs} warm runs per view · cores: {os.cpu_count()}")
        print(f"{'view':<12} {'filters':<8} {'median ms':>10} {'p90 ms':>8} {'min ms':>8} {'AppTest wall ms':>16}")
        for name in args.pages:
            for label, params in FILTER_SETS.items():
                got = measure(PAGES[name], params, runs=args.runs, times=times)
                print(
                    f"{name:<12} {label:<8} {got['median']:>10.0f} {got['p90']:>8.0f} {got['min']:>8.0f}"
                    f" {got['wall_median']:>16.0f}"
                )


if __name__ == "__main__":
    main()
