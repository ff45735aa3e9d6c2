"""Build the tables of a corpus from input files and store them in one folder.

A build reuses what the previous build in the same folder already did: a file whose bytes
and cleaning rules are unchanged keeps its documents, and only the tables whose resource
files changed are recomputed from the stored text. The manifest says what was reused.
Per-file and per-document work runs in worker processes (``workers``) or on a Dask
cluster (``executor="dask"``); the tables are the same either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib import __version__, duplicates, ingest, schema, store
from lib import resources as res
from lib.pipeline import ANALYSERS, FileTables, analyse_documents, concat, process_file
from lib.resources import Resources

# Bump when a stage's output changes for the same input, so old builds are not reused.
PIPELINE_VERSION = "2"
PACKAGES = ("pandas", "pyarrow", "rjieba", "jieba", "opencc-python-reimplemented")
EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the one-line summary and the tests."""

    files: int
    documents: int
    characters: int
    seconds: float
    out: Path
    reused_files: int = 0
    recomputed: tuple[str, ...] = field(default_factory=tuple)

    def line(self) -> str:
        reuse = f", {self.reused_files} files reused" if self.reused_files else ""
        return (
            f"built {self.out}: {self.files} files, {self.documents} documents, "
            f"{self.characters:,} characters in {self.seconds:.1f} s{reuse}"
        )


@dataclass(frozen=True)
class InputFile:
    source_path: str  # relative name shown in the tables
    path: Path
    sha256: str
    size: int


def input_files(inputs: Sequence[Path]) -> list[InputFile]:
    """Every file under ``inputs`` with a unique relative name; raises FileNotFoundError."""
    seen: dict[str, int] = {}
    out = []
    for root in inputs:
        for path in ingest.discover([root]):
            rel = path.relative_to(root).as_posix() if root.is_dir() else path.name
            if rel in seen:
                seen[rel] += 1
                rel = f"{rel}~{seen[rel]}"
            else:
                seen[rel] = 1
            data = path.read_bytes()
            out.append(InputFile(rel, path, hashlib.sha256(data).hexdigest(), len(data)))
    return out


# --- tasks: what runs in a worker ------------------------------------------------------

Task = tuple[str, Any, Any, Any]  # (kind, payload, tables, resources or bundle)


def run_task(task: Task) -> FileTables:
    """Run one task in a worker: a whole file, or some tables for some documents."""
    kind, payload, tables, resource_spec = task
    resources = res.from_bundle(resource_spec) if isinstance(resource_spec, dict) else resource_spec
    if kind == "file":
        source_path, data = payload
        if isinstance(data, str):  # a local path: read in the worker
            data = Path(data).read_bytes()
        return process_file(source_path, data, resources=resources)
    return analyse_documents(payload, resources=resources, tables=tables)


def _run_local(tasks: list[Task], *, workers: int) -> Generator[FileTables, None, None]:
    if workers <= 1 or len(tasks) <= 1:
        yield from map(run_task, tasks)
        return
    chunk = max(1, min(16, len(tasks) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run_task, tasks, chunksize=chunk)


def _run_dask(tasks: list[Task], *, scheduler: str) -> Generator[FileTables, None, None]:
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:
        futures = client.map(run_task, tasks, pure=False)
        for future in futures:
            yield future.result()


def _progress(total: int, *, enabled: bool | Callable[[int, int], object]) -> Callable[[int], object]:
    """A tick per finished task: ``enabled`` may be a callback given (done, total)."""
    if callable(enabled):
        report = enabled
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            report(done[0], total)

        return tick
    if not enabled or not sys.stderr.isatty():
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="task", file=sys.stderr)
    return bar.update


# --- reuse of the previous build ---------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Which files to process afresh, which to reuse, and which tables to recompute."""

    process: list[InputFile]
    reuse: list[InputFile]
    recompute: tuple[str, ...]


def plan(files: list[InputFile], previous: dict[str, Any], digests: dict[str, str]) -> Plan:
    """Decide what can be taken from the previous build described by ``previous``."""
    if previous.get("pipeline") != PIPELINE_VERSION or previous.get("lib") != __version__:
        return Plan(list(files), [], ())
    old_digests: dict[str, str] = previous.get("resources", {})
    changed = {name for name, digest in digests.items() if old_digests.get(name) != digest}
    stages = res.stages_affected(changed)
    if "clean" in stages:
        return Plan(list(files), [], ())
    old_inputs = {item["source_path"]: item["sha256"] for item in previous.get("inputs", [])}
    reuse = [f for f in files if old_inputs.get(f.source_path) == f.sha256]
    kept = {f.source_path for f in reuse}
    return Plan([f for f in files if f.source_path not in kept], reuse, tuple(t for t in ANALYSERS if t in stages))


class Rows:
    """Rows of one table kept in memory as a few large frames: thousands of one-row frames
    cost far more memory than their data (every column is its own small Arrow array)."""

    def __init__(self, name: str, *, batch: int = 1_000) -> None:
        self.name = name
        self.batch = batch
        self.pending: list[pd.DataFrame] = []
        self.chunks: list[pd.DataFrame] = []

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.pending.append(frame)
        if len(self.pending) >= self.batch:
            self.chunks.append(concat(self.pending, self.name))
            self.pending = []

    def frame(self) -> pd.DataFrame:
        return concat(self.chunks + self.pending, self.name)


class Kept:
    """The previous build's tables, with each file's rows as one block of row positions.

    Rows were written in input order, so a file's rows are contiguous and a run of
    reused files is usually one slice of each table.
    """

    def __init__(self, out: Path) -> None:
        self.frames: dict[str, pd.DataFrame] = {}
        self.blocks: dict[str, dict[str, tuple[int, int]]] = {}
        for name in schema.TABLES:
            if name == "duplicates":
                continue
            frame = store.read_table(out, name)
            by_path = name in ("documents", "ingest_report")
            files = frame["source_path"] if by_path else frame["doc_id"].str.rsplit("#", n=1).str[0]
            codes, uniques = pd.factorize(files)
            if len(codes) and (np.diff(codes) != 0).sum() + 1 != len(uniques):
                order = np.argsort(codes, kind="stable")  # not contiguous: make it so
                frame, codes = frame.iloc[order].reset_index(drop=True), codes[order]
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.array([], dtype=int)
            ends = np.r_[starts[1:], len(codes)]
            self.frames[name] = frame
            self.blocks[name] = {str(uniques[codes[a]]): (int(a), int(b)) for a, b in zip(starts, ends, strict=True)}

    def rows(self, name: str, files: Sequence[str]) -> list[pd.DataFrame]:
        """The rows of ``files`` in table ``name``, as few slices as possible, in that order."""
        spans: list[list[int]] = []
        for path in files:
            if path not in self.blocks[name]:
                continue
            a, b = self.blocks[name][path]
            if spans and spans[-1][1] == a:
                spans[-1][1] = b
            else:
                spans.append([a, b])
        return [self.frames[name].iloc[a:b].reset_index(drop=True) for a, b in spans]


# --- the build -----------------------------------------------------------------------------


def build(
    inputs: Sequence[Path],
    *,
    out: Path,
    resources: Resources | None = None,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    progress: bool | Callable[[int, int], object] = False,
    reuse: bool = True,
) -> BuildSummary:
    """Build every table from ``inputs`` (files or folders) into folder ``out``.

    ``progress``: True for a progress bar on a terminal, or a callback given (tasks done, tasks).
    Rows come in input-file order whatever the schedule; per-document tables are written
    as they arrive, so memory holds the documents table but not the others.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {EXECUTORS}, not {executor!r}")
    if executor == "dask" and not scheduler:
        raise ValueError("executor 'dask' needs a scheduler address")
    started = time.perf_counter()
    resources = resources or Resources()
    files = input_files(inputs)
    digests = resources.digests()
    previous = store.read_manifest(out) if reuse and store.is_built(out) else {}
    work = plan(files, previous, digests)
    kept = Kept(out) if work.reuse else None
    processed = {f.source_path for f in work.process}

    spec: Any = res.bundle(resources) if executor == "dask" else resources
    tasks: list[Task] = []
    for f in files:
        if f.source_path in processed:
            tasks.append(
                ("file", (f.source_path, f.path.read_bytes() if executor == "dask" else str(f.path)), None, spec)
            )
        elif work.recompute and kept is not None:
            docs = concat(kept.rows("documents", [f.source_path]), "documents")
            tasks.append(("docs", docs[["doc_id", "text"]], work.recompute, spec))

    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    results = _run_dask(tasks, scheduler=str(scheduler)) if executor == "dask" else _run_local(tasks, workers=n_workers)
    tick = _progress(len(tasks), enabled=progress)
    documents = Rows("documents")
    reports = Rows("ingest_report")
    with store.StagedTables(out) as staged, contextlib.closing(results):

        def add(result: FileTables) -> None:
            documents.add(result["documents"])
            reports.add(result["ingest_report"])
            for name in schema.PER_DOCUMENT_TABLES:
                staged.append(name, result[name])

        def add_kept(paths: list[str]) -> None:
            if kept is None or not paths:
                return
            for rows in kept.rows("documents", paths):
                documents.add(rows)
            for rows in kept.rows("ingest_report", paths):
                reports.add(rows)
            for name in schema.PER_DOCUMENT_TABLES:
                for rows in kept.rows(name, paths):
                    staged.append(name, rows)

        run: list[str] = []  # reused files waiting to be copied in one slice
        for f in files:
            if f.source_path in processed:
                add_kept(run)
                run = []
                add(next(results))
                tick(1)
            elif not work.recompute:
                run.append(f.source_path)
            else:
                assert kept is not None
                add_kept(run)
                run = []
                fresh = next(results)
                tick(1)
                result = {name: concat(kept.rows(name, [f.source_path]), name) for name in kept.frames}
                if "entities" in fresh:  # the place rows stay, the other kinds are recomputed
                    places = result["entities"][result["entities"]["kind"] == "place"]
                    fresh["entities"] = concat([places, fresh["entities"]], "entities")
                add(result | fresh)
        add_kept(run)
        docs = documents.frame()
        dups = duplicates.duplicate_groups(docs)
        docs = duplicates.with_dup_group(docs, dups)
        staged.append("documents", docs)
        staged.append("ingest_report", reports.frame())
        staged.append("duplicates", dups)
        seconds = time.perf_counter() - started
        staged.commit(_manifest(files, staged.counts, digests=digests, seconds=seconds, work=work))
    return BuildSummary(
        len(files),
        len(docs),
        int(docs["n_chars"].sum()) if len(docs) else 0,
        seconds,
        out,
        reused_files=len(work.reuse),
        recomputed=work.recompute,
    )


def _manifest(
    files: list[InputFile], counts: dict[str, int], *, digests: dict[str, str], seconds: float, work: Plan
) -> dict[str, Any]:
    versions = {"python": sys.version.split()[0]}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = ""
    return {
        "lib": __version__,
        "pipeline": PIPELINE_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "inputs": [{"source_path": f.source_path, "sha256": f.sha256, "bytes": f.size} for f in files],
        "resources": digests,
        "versions": versions,
        "counts": dict(counts),
        "reused": {
            "files_reused": len(work.reuse),
            "files_processed": len(work.process),
            "tables_recomputed": list(work.recompute),
        },
    }
