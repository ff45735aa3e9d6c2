"""Server-side render time of the term-frequency and comparison views with warm caches (AppTest).

    python -m bench.render_views_terms [--corpus BUILT_FOLDER] [--runs 10]

Each section of the term-frequency page (opened through its ``view`` URL parameter) and
the comparison page are measured under no filter and under one province (河北省 unless --province names another), as in
bench/render_views.py: two runs warm the caches, then ``--runs`` reruns are timed inside
Streamlit's script runner. Also times the top-20 terms over all documents with the integer
term index against a pandas group-by on text terms.

AppTest compiles the page scripts again on every run (a new ``ScriptCache`` per run, with
Streamlit's "magic" AST pass, 100-250 ms for a large page on this machine), while a
server compiles each script once per process. By default the scripts' bytecode is kept
between runs, as the server does; ``--compile-each-run`` measures the AppTest way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.render_views import _built_seed, _timed_script_runs, measure
from lib import store, termindex

VIEWS: dict[str, tuple[str, dict[str, str]]] = {
    "terms cloud": ("pages/terms.py", {"view": "cloud"}),
    "terms ngrams": ("pages/terms.py", {"view": "ngrams"}),
    "terms keywords": ("pages/terms.py", {"view": "keywords"}),
    "terms kwic": ("pages/terms.py", {"view": "kwic"}),
    "terms network": ("pages/terms.py", {"view": "network"}),
    "terms trend": ("pages/terms.py", {"view": "trend"}),
    "compare": ("pages/compare.py", {}),
}
PROVINCE = "河北省"  # the second filter set; --province picks another (a corpus without 河北省 shows all)


def _server_like_script_cache() -> None:
    """Keep compiled page scripts between runs, as one server process does."""
    from streamlit.runtime.scriptrunner import script_cache

    shared: dict[str, object] = {}
    original = script_cache.ScriptCache.get_bytecode

    def get_bytecode(self: script_cache.ScriptCache, script_path: str) -> object:
        key = os.path.abspath(script_path)
        if key not in shared:
            shared[key] = original(self, script_path)
        return shared[key]

    script_cache.ScriptCache.get_bytecode = get_bytecode  # type: ignore[method-assign]


def top_terms_timing(folder: Path, *, repeats: int = 5, scale: int = 1) -> dict[str, float]:
    """Milliseconds for the top-20 terms of half the documents: pandas on text vs the index.

    ``scale`` > 1 repeats the corpus's terms under new document ids (e.g. 1.6M rows × 3 ≈ 5M).
    """
    terms = store.read_table(folder, "terms")
    if scale > 1:
        copies = [terms.assign(doc_id=terms["doc_id"] + f"~{i}") if i else terms for i in range(scale)]
        terms = pd.concat(copies, ignore_index=True)
    docs = terms["doc_id"].unique()
    chosen = set(docs[::2])
    index = termindex.build(terms)
    mask = termindex.doc_mask(index, chosen)
    out: dict[str, list[float]] = {"pandas": [], "index": []}
    for _ in range(repeats):
        started = time.perf_counter()
        part = terms[terms["doc_id"].isin(chosen)]
        part.groupby("term")["count"].sum().nlargest(20)
        out["pandas"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        termindex.top_terms(index, termindex.doc_mask(index, chosen), n=20)
        out["index"].append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    termindex.top_terms(index, mask, n=20)
    masked = (time.perf_counter() - started) * 1000
    return {
        "rows": float(len(terms)),
        "pandas": statistics.median(out["pandas"]),
        "index": statistics.median(out["index"]),
        "index_mask_ready": masked,
        "docs": float(len(np.unique(index.doc_code))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a built corpus folder (default: build data/corpus)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--compile-each-run", action="store_true", help="compile the scripts on every run (AppTest)")
    parser.add_argument("--views", nargs="+", default=list(VIEWS), choices=list(VIEWS))
    parser.add_argument(
        "--scale", type=int, default=1, help="repeat the terms table this many times for the top-20 timing"
    )
    parser.add_argument("--province", default=PROVINCE, help="the province of the second filter set")
    parser.add_argument("--aggregates-only", action="store_true", help="time only the top-20 terms, not the pages")
    args = parser.parse_args()
    if not args.compile_each_run:
        _server_like_script_cache()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or _built_seed(Path(tmp))
        agg = top_terms_timing(folder, scale=args.scale)
        print(
            f"top-20 terms of half the documents ({agg['rows']:,.0f} term rows, {agg['docs']:,.0f} documents):"
            f" pandas on text {agg['pandas']:.1f} ms, integer index {agg['index']:.1f} ms"
            f" ({agg['index_mask_ready']:.1f} ms with the document mask ready)"
        )
        if args.aggregates_only:
            return
        os.environ["ZHENGXIE_CORPUS"] = str(folder)
        times = _timed_script_runs()
        compiled = "compiled every run" if args.compile_each_run else "compiled once, as in a server"
        print(f"corpus: {folder.name} · {args.runs} warm runs per view · scripts {compiled} · cores: {os.cpu_count()}")
        print(f"{'view':<16} {'filters':<8} {'median ms':>10} {'p90 ms':>8} {'min ms':>8} {'AppTest wall ms':>16}")
        for name in args.views:
            page, extra = VIEWS[name]
            for label, params in {"all": {}, args.province: {"prov": args.province}}.items():
                got = measure(page, {**params, **extra}, runs=args.runs, times=times)
                print(
                    f"{name:<16} {label:<8} {got['median']:>10.0f} {got['p90']:>8.0f} {got['min']:>8.0f}"
                    f" {got['wall_median']:>16.0f}"
                )


if __name__ == "__main__":
    main()
