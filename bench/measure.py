"""Shared measuring helpers: corpora, a scaled copy of a corpus, wall time and peak memory."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("CORPORA", ROOT.parent / "shared" / "corpora"))
RESULTS = ROOT / "bench" / "results"


def corpus(name: str) -> Path:
    """A folder of ../shared/corpora (or $CORPORA), with a clear error if absent."""
    path = CORPORA / name
    if not path.is_dir():
        sys.exit(f"corpus folder not found: {path} (set CORPORA to the folder holding it)")
    return path


def text_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt"))


def scaled_copy(source: Path, target: Path, *, documents: int) -> Path:
    """``documents`` files made by repeating ``source``'s files, each copy made unique."""
    if target.exists() and len(list(target.iterdir())) == documents:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    files = text_files(source)
    for i in range(documents):
        src = files[i % len(files)]
        text = src.read_text(encoding="utf-8")
        (target / f"{i:06d}_{src.name}").write_text(f"{text}\n(副本 {i // len(files)})\n", encoding="utf-8")
    return target


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float


def run_measured(cmd: Sequence[str], *, cwd: Path = ROOT) -> Run:
    """Run ``cmd``; wall time and the peak of the summed RSS of it and its children."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    stop.set()
    sampler.join()
    if code:
        sys.exit(f"command failed ({code}): {' '.join(cmd)}")
    return Run(time.perf_counter() - started, peak)


def median_seconds(fn: Callable[[], object], *, repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"
