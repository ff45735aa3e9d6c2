"""Speed of the documents stage (ingest → clean → split → meta → places) on a sample of laws.

    .venv/bin/python -m bench.documents_stage                       # this tree, 400 random laws
    .venv/bin/python -m bench.documents_stage --against HEAD~5      # and an earlier revision
    .venv/bin/python -m bench.documents_stage --against REV --rounds 5 --files 400 --seed 11

Each run is a new process that reads the sample, warms up on ten files, then times the
stage in CPU seconds (``time.process_time``, less disturbed by other work on a shared
machine than wall time): ``files_documents`` over the whole sample where the tree has it
(one table per table for all files), and ``file_documents`` file by file (one table per file
and table, concatenated). ``--against`` exports the revision's ``lib`` and ``data`` with
``git archive`` and alternates its runs with this tree's, so both see the same machine;
the medians over ``--rounds`` and their ratio are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAWS = "cn_laws_regs"


def sample(files: int, seed: int) -> list[Path]:
    from bench.measure import corpus, text_files

    laws = text_files(corpus(LAWS))
    return random.Random(seed).sample(laws, min(files, len(laws)))


def time_stage(root: Path, paths: list[Path], mode: str) -> dict[str, float]:
    """CPU seconds of the stage under ``root`` (imported from there) on ``paths``."""
    sys.path.insert(0, str(root))
    from lib import pipeline
    from lib.resources import Resources

    data = [(p.name, p.read_bytes()) for p in paths]
    resources = Resources()
    for name, raw in data[:10]:
        pipeline.file_documents(name, raw, resources=resources)
    started = time.process_time()
    if mode == "batch":
        documents = pipeline.files_documents(data, resources=resources)["documents"]
    else:
        frames = [pipeline.file_documents(name, raw, resources=resources)["documents"] for name, raw in data]
        documents = pipeline.concat(frames, "documents")
    seconds = time.process_time() - started
    return {"seconds": seconds, "documents": len(documents), "characters": int(documents["n_chars"].sum())}


def _run(root: Path, args: argparse.Namespace, mode: str) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench.documents_stage", "--worker", str(root), "--mode", mode]
    cmd += ["--files", str(args.files), "--seed", str(args.seed)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _export(revision: str, target: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "lib", "data"], cwd=ROOT, check=True, capture_output=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def _has_batch(root: Path) -> bool:
    return "def files_documents(" in (root / "lib" / "pipeline.py").read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", help="an earlier revision to time in the same run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="batch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(time_stage(Path(args.worker), sample(args.files, args.seed), args.mode)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"this tree": ROOT}
        if args.against:
            trees = {f"{args.against}": _export(args.against, Path(scratch)), **trees}
        runs: dict[str, list[dict[str, float]]] = {}
        for _ in range(args.rounds):
            for label, root in trees.items():
                for mode in ("batch", "per file") if _has_batch(root) else ("per file",):
                    runs.setdefault(f"{label}, {mode}", []).append(_run(root, args, mode))
    baseline = None
    for label, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        documents, characters = results[0]["documents"], results[0]["characters"]
        baseline = baseline or seconds
        print(
            f"{label}: {documents} documents, {characters:,} characters; median of {len(results)} runs "
            f"{seconds * 1000 / documents:.2f} ms CPU per document, {characters / seconds:,.0f} characters "
            f"per CPU second; {baseline / seconds:.2f}x the first row"
        )


if __name__ == "__main__":
    main()
