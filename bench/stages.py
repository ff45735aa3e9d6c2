"""CPU time of every per-document stage of the build on a sample of laws, and of an earlier revision.

    .venv/bin/python -m bench.stages                              # this tree, 400 random laws
    .venv/bin/python -m bench.stages --against f3591f3 --rounds 3 # and an earlier revision

Each run is a new process that imports ``lib`` from one tree, reads the sample, warms up on
ten files, then times in CPU seconds (``time.process_time``): the documents stage (ingest →
clean → split → meta → places) over the whole sample, each analyser of ``pipeline.ANALYSERS``
on the documents in batches of about ``--batch-chars`` characters (what a build task holds),
and the near-duplicate signatures where the tree computes them per document. ``--against``
exports that revision's ``lib`` and ``data`` and alternates its runs with this tree's, so
both see the same machine; medians over ``--rounds`` are printed per stage in ms per document
and characters per CPU second, with the ratio to the earlier revision.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.documents_stage import ROOT, _export, sample


def time_stages(root: Path, paths: list[Path], *, batch_chars: int) -> dict[str, float]:
    """CPU seconds per stage with ``lib`` imported from ``root``; also documents and characters."""
    sys.path.insert(0, str(root))
    import pandas as pd

    from lib import duplicates, pipeline
    from lib.resources import Resources

    data = [(p.name, p.read_bytes()) for p in paths]
    resources = Resources()
    warm = pipeline.concat(
        [pipeline.file_documents(n, b, resources=resources)["documents"] for n, b in data[:10]], "documents"
    )
    for analyse in pipeline.ANALYSERS.values():
        analyse(warm[["doc_id", "text"]], resources)
    out: dict[str, float] = {}
    started = time.process_time()
    if hasattr(pipeline, "files_documents"):
        docs = pipeline.files_documents(data, resources=resources)["documents"]
    else:
        docs = pipeline.concat(
            [pipeline.file_documents(n, b, resources=resources)["documents"] for n, b in data], "documents"
        )
    out["documents stage"] = time.process_time() - started
    texts = docs[["doc_id", "text"]]
    sizes = texts["text"].str.len().cumsum() // batch_chars
    batches = [frame.reset_index(drop=True) for _, frame in texts.groupby(sizes, sort=True)]
    stages: dict[str, Callable[[pd.DataFrame], object]] = {
        name: partial(lambda docs, analyse: analyse(docs, resources), analyse=analyse)
        for name, analyse in pipeline.ANALYSERS.items()
    }
    if hasattr(duplicates, "signature_table"):
        stages["near-duplicate signatures"] = duplicates.signature_table
    for batch in batches:  # each batch through every stage in turn, as a build task does
        for name, stage in stages.items():
            started = time.process_time()
            stage(batch)
            out[name] = out.get(name, 0.0) + time.process_time() - started
    out["documents"] = len(docs)
    out["characters"] = int(pd.to_numeric(docs["n_chars"]).sum())
    return out


def _run(root: Path, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench.stages", "--worker", str(root), "--files", str(args.files)]
    cmd += ["--seed", str(args.seed), "--batch-chars", str(args.batch_chars)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-chars", type=int, default=350_000)
    parser.add_argument("--against", help="an earlier revision to time in the same run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        paths = sample(args.files, args.seed)
        print(json.dumps(time_stages(Path(args.worker), paths, batch_chars=args.batch_chars)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"this tree": ROOT}
        if args.against:
            trees = {args.against: _export(args.against, Path(scratch)), **trees}
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in trees}
        for _ in range(args.rounds):
            for label, root in trees.items():
                runs[label].append(_run(root, args))
    first = next(iter(runs.values()))[0]
    documents, characters = first["documents"], first["characters"]
    stages = [s for s in runs["this tree"][0] if s not in ("documents", "characters")]
    labels = list(runs)
    print(f"{documents:,.0f} documents, {characters:,.0f} characters; medians of {args.rounds} runs, CPU time")
    print("| stage | " + " | ".join(f"{label} ms/doc" for label in labels) + " | this tree chars/CPU-s | ratio |")
    print("|---|" + "---:|" * (len(labels) + 2))
    totals = dict.fromkeys(labels, 0.0)
    for stage in [*stages, "total"]:
        cells, seconds = [], {}
        for label in labels:
            if stage == "total":
                value = totals[label]
            else:
                value = statistics.median(r.get(stage, float("nan")) for r in runs[label])
                totals[label] += 0.0 if value != value else value
            seconds[label] = value
            cells.append("—" if value != value else f"{value * 1000 / documents:.2f}")
        now = seconds["this tree"]
        old = seconds[labels[0]]
        ratio = f"{old / now:.2f}x" if len(labels) > 1 and now and old == old else ""
        print(f"| {stage} | " + " | ".join(cells) + f" | {characters / now:,.0f} | {ratio} |")


if __name__ == "__main__":
    main()
