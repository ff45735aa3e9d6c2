"""Build throughput (characters per second) against bare jieba on the same text, same run.

    .venv/bin/python -m bench.build_throughput reports      # 70 work reports
    .venv/bin/python -m bench.build_throughput laws         # 3,418 laws and regulations
    .venv/bin/python -m bench.build_throughput laws50k      # laws scaled up to 50,000 documents

Prints one Markdown row per run (also appended to bench/results/build.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import jieba
import rjieba

from bench.measure import RESULTS, corpus, machine, run_measured, scaled_copy
from lib import store

CORPORA = {"reports": "cn_gov_work_reports", "laws": "cn_laws_regs", "laws50k": "cn_laws_regs"}
SEGMENTER_SAMPLE = 4_000_000  # characters of the built text timed with each segmenter


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", choices=sorted(CORPORA))
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zhengxie-bench")
    args = p.parse_args(argv)
    source = corpus(CORPORA[args.corpus])
    if args.corpus == "laws50k":
        source = scaled_copy(source, args.work / "laws50k", documents=50_000)
    out = args.work / f"out-{args.corpus}"
    cmd = [sys.executable, "-m", "lib", "build", str(source), "--out", str(out), "--workers", str(args.workers)]
    run = run_measured([*cmd, "--full"])
    docs = store.read_table(out, "documents")
    chars = int(docs["n_chars"].sum())
    sample = _sample(docs["text"].tolist(), SEGMENTER_SAMPLE)
    jieba.lcut("预热词典")  # load the dictionary before timing
    jieba_cps = _rate(lambda t: jieba.lcut(t), sample)
    tokenizer = rjieba.Jieba()
    tokenizer.cut("预热词典")
    rjieba_cps = _rate(lambda t: tokenizer.cut(t), sample)
    build_cps = chars / run.seconds
    row = (
        f"| {args.corpus} | {len(docs):,} | {chars:,} | {args.workers} | {run.seconds:.1f} | {build_cps:,.0f} | "
        f"{jieba_cps:,.0f} | {rjieba_cps:,.0f} | {build_cps / jieba_cps:.1f}x | {run.peak_rss_mb:,.0f} |"
    )
    print(
        "| corpus | documents | characters | workers | build s | build chars/s | jieba.lcut chars/s |"
        " rjieba cut chars/s | build / jieba | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "build.md").open("a", encoding="utf-8") as fh:
        fh.write(f"<!-- {time.strftime('%Y-%m-%d %H:%M')} {machine()} -->\n{row}\n")
    return 0


def _sample(texts: list[str], limit: int) -> list[str]:
    """Every k-th document, up to ``limit`` characters: the same text for both segmenters."""
    total = sum(map(len, texts))
    step = max(1, total // limit)
    picked, size = [], 0
    for text in texts[::step]:
        picked.append(text)
        size += len(text)
        if size >= limit:
            break
    return picked


def _rate(segment: object, texts: list[str]) -> float:
    assert callable(segment)
    started = time.perf_counter()
    for text in texts:
        segment(text)
    return sum(map(len, texts)) / (time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
