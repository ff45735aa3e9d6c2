"""Build the tables of a corpus from input files and store them in one folder.

A build reuses what the previous build in the same folder already did: a file whose bytes
and cleaning rules are unchanged keeps its rows (taken from the previous tables as Arrow
slices, never decoded), and only the tables whose resource files changed are recomputed
from the stored text. The near-duplicate signatures of the documents are kept next to the
tables (``signatures.parquet``), so a rebuild computes them only for new documents. The
manifest says what was reused.

Files go to worker processes (``workers``) or a Dask cluster (``executor="dask"``) in
batches of about ``MAX_BATCH_BYTES`` of input; each batch comes back as one Arrow table per
table, written in input order as Parquet row groups while later batches are computed. The
documents (with their text) wait for their near-duplicate group, and the signatures for that
stage, in memory while they are small (``HELD_IN_MEMORY``), else in Parquet files. The tables are
the same whatever the executor, the number of workers or the batches.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lib import __version__, duplicates, ingest, schema, store
from lib import resources as res
from lib.pipeline import ANALYSERS, analyse_documents, by_file, process_files
from lib.pipeline import FileTables as FileTables  # re-exported for callers that name a task's tables
from lib.resources import Resources

# Bump when a stage's output changes for the same input, so old builds are not reused.
PIPELINE_VERSION = "3"
PACKAGES = ("pandas", "pyarrow", "rjieba", "jieba", "opencc-python-reimplemented")
EXECUTORS = ("local", "dask")
SIGNATURES = "signatures"  # the near-duplicate stage's per-document signatures, kept for rebuilds
MAX_BATCH_BYTES = 1 << 20  # input bytes per task at most
TASKS_PER_WORKER = 8  # smaller batches when the input is small, so every worker gets some
WINDOW_PER_WORKER = 3  # tasks handed out ahead of the one being collected, per worker
HELD_IN_MEMORY = 256 << 20  # bytes of documents (and of signatures) held in memory for the near-duplicate stage
DUP_COLUMNS = ("doc_id", "is_template", "province", "city", "county", "year", "n_chars")

TaskResult = dict[str, pa.Table]  # a task's tables (and signatures) as Arrow tables


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


def batches(files: Sequence[InputFile], *, limit: int) -> list[list[InputFile]]:
    """``files`` cut in order into runs of at most ``limit`` bytes (a bigger file alone)."""
    out: list[list[InputFile]] = []
    size = 0
    for f in files:
        if not out or size + f.size > limit:
            out.append([])
            size = 0
        out[-1].append(f)
        size += f.size
    return out


def batch_limit(files: Sequence[InputFile], *, workers: int) -> int:
    """Bytes of input per task: ``MAX_BATCH_BYTES``, less when the input is too small to give
    every worker ``TASKS_PER_WORKER`` tasks."""
    total = sum(f.size for f in files)
    return max(1, min(MAX_BATCH_BYTES, total // (max(1, workers) * TASKS_PER_WORKER)))


# --- tasks: what runs in a worker ------------------------------------------------------

Task = tuple[str, Any, Any, Any]  # (kind, payload, tables, resources or bundle)


def run_task(task: Task) -> TaskResult:
    """Run one task in a worker: every table of a batch of files (``files``: a list of
    (source path, bytes or a local path)), or some tables for some stored documents
    (``docs``: their doc_id, source_path and text, and their place entities)."""
    kind, payload, tables, resource_spec = task
    resources = res.from_bundle(resource_spec) if isinstance(resource_spec, dict) else resource_spec
    if kind == "files":
        files = [(path, Path(data).read_bytes() if isinstance(data, str) else data) for path, data in payload]
        frames = process_files(files, resources=resources)
        out = {name: store.to_arrow(frame, name) for name, frame in frames.items()}
        out[SIGNATURES] = signatures_arrow(duplicates.signature_table(frames["documents"][["doc_id", "text"]]))
        return out
    docs_table, places = payload
    docs = docs_table.to_pandas()
    frames = analyse_documents(docs, resources=resources, tables=tables)
    if "entities" in frames:  # the place rows stay, the other kinds are recomputed
        merged = pd.concat([places.to_pandas(), frames["entities"]], ignore_index=True)
        frames["entities"] = by_file(schema.conform(merged, "entities"), docs)
    return {name: store.to_arrow(frame, name) for name, frame in frames.items()}


def signature_schema() -> pa.Schema:
    """The Arrow schema of the stored signature table (``duplicates.SIGNATURE_COLUMNS``)."""
    types = {"string": pa.large_string(), "int64": pa.int64(), "bool": pa.bool_(), "object": pa.large_binary()}
    return pa.schema([(name, types[dtype]) for name, dtype in duplicates.SIGNATURE_COLUMNS.items()])


def signatures_arrow(frame: pd.DataFrame) -> pa.Table:
    """A ``duplicates.signature_table`` as an Arrow table with ``signature_schema``."""
    return pa.Table.from_pandas(frame, schema=signature_schema(), preserve_index=False)


class Results:
    """Results of ``tasks`` in input order, with up to ``window`` tasks handed out and not yet
    collected: the first ones start as soon as this is made, later ones as results are taken,
    so the inputs and results waiting in memory stay bounded."""

    def __init__(
        self, tasks: Iterable[Task], *, submit: Callable[[Task], Any], window: int, close: Callable[[], object]
    ) -> None:
        self._tasks = iter(tasks)
        self._submit = submit
        self._window = max(1, window)
        self._close = close
        self._pending: deque[Any] = deque()
        self._fill()

    def _fill(self) -> None:
        while len(self._pending) < self._window:
            task = next(self._tasks, None)
            if task is None:
                return
            self._pending.append(self._submit(task))

    def __iter__(self) -> Iterator[TaskResult]:
        return self

    def __next__(self) -> TaskResult:
        if not self._pending:
            raise StopIteration
        future = self._pending.popleft()
        self._fill()
        result: TaskResult = future.result()
        return result

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._close()


class _Deferred:
    """A task run in this process when its result is asked for."""

    def __init__(self, task: Task) -> None:
        self.task = task

    def result(self) -> TaskResult:
        return run_task(self.task)

    def cancel(self) -> None:
        pass


def _run_local(tasks: Iterable[Task], *, workers: int, n_tasks: int) -> Results:
    if workers <= 1 or n_tasks == 0:
        return Results(tasks, submit=_Deferred, window=1, close=lambda: None)
    pool = ProcessPoolExecutor(max_workers=min(workers, n_tasks))
    return Results(
        tasks,
        submit=lambda task: pool.submit(run_task, task),
        window=workers * WINDOW_PER_WORKER,
        close=lambda: pool.shutdown(wait=True, cancel_futures=True),
    )


def _run_dask(tasks: Iterable[Task], *, scheduler: str) -> Results:
    from distributed import Client

    client = Client(scheduler, set_as_default=False)
    window = WINDOW_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})))
    return Results(
        tasks, submit=lambda task: client.submit(run_task, task, pure=False), window=window, close=client.close
    )


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


def _signature_key() -> dict[str, Any]:
    return {"version": duplicates.SIGNATURE_VERSION, "columns": list(duplicates.SIGNATURE_COLUMNS)}


class Kept:
    """The previous build's tables as Arrow tables, with each file's rows as one block of
    row positions.

    Rows were written in input order, so a file's rows are contiguous and a run of
    reused files is usually one slice of each table.
    """

    def __init__(self, out: Path, *, names: Iterable[str]) -> None:
        self.tables: dict[str, pa.Table] = {}
        self.blocks: dict[str, dict[str, tuple[int, int]]] = {}
        for name in names:
            path = out / f"{name}.parquet"
            if not path.exists():
                continue
            table = pq.read_table(path, memory_map=True)
            by_path = name in ("documents", "ingest_report")
            column = table.column("source_path" if by_path else "doc_id")
            encoded = pc.dictionary_encode(column.combine_chunks() if column.num_chunks != 1 else column.chunk(0))
            keys = [str(k) for k in encoded.dictionary.to_pylist()]
            files = keys if by_path else [k.rsplit("#", 1)[0] for k in keys]
            file_codes, uniques = pd.factorize(pd.Series(files, dtype=object))
            indices = encoded.indices.to_numpy(zero_copy_only=False)
            codes = np.asarray(file_codes, dtype=np.int64)[indices] if len(indices) else np.zeros(0, np.int64)
            if len(codes) and (np.diff(codes) != 0).sum() + 1 != len(np.unique(codes)):
                order = np.argsort(codes, kind="stable")  # not contiguous: make it so
                table, codes = table.take(pa.array(order)), codes[order]
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=int)
            ends = np.r_[starts[1:], len(codes)]
            self.tables[name] = table
            paths = [str(p) for p in np.asarray(uniques, dtype=object)[codes[starts]].tolist()]
            self.blocks[name] = dict(zip(paths, zip(starts.tolist(), ends.tolist(), strict=True), strict=True))

    def __contains__(self, name: str) -> bool:
        return name in self.tables

    def rows(self, name: str, files: Sequence[str]) -> list[pa.Table]:
        """The rows of ``files`` in table ``name``, as few slices as possible, in that order."""
        spans: list[list[int]] = []
        blocks = self.blocks.get(name, {})
        for path in files:
            if path not in blocks:
                continue
            a, b = blocks[path]
            if spans and spans[-1][1] == a:
                spans[-1][1] = b
            else:
                spans.append([a, b])
        return [self.tables[name].slice(a, b - a) for a, b in spans]

    def table(self, name: str, files: Sequence[str], *, schema_: pa.Schema) -> pa.Table:
        """The rows of ``files`` in table ``name`` as one table."""
        pieces = self.rows(name, files)
        return pa.concat_tables(pieces) if pieces else schema_.empty_table()


class Spool:
    """Arrow tables of one kind held in order until the near-duplicate stage is done: in
    memory while they take at most ``limit`` bytes, beyond that in the staged file ``name``
    (read back in batches). ``always_staged``: every piece is also written to that file (a
    table the build keeps, such as the signatures), else the file is a scratch file written
    only once over the limit and removed after reading."""

    def __init__(
        self, staged: store.StagedTables, name: str, *, schema_: pa.Schema, limit: int, always_staged: bool
    ) -> None:
        self.staged = staged
        self.name = name
        self.schema = schema_
        self.limit = limit
        self.always_staged = always_staged
        self.held: list[pa.Table] = []
        self.size = 0
        self.spilled = False

    def add(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        if self.always_staged or self.spilled:
            self.staged.append_arrow(self.name, table)
        if self.spilled:
            return
        self.held.append(table)
        self.size += table.nbytes
        if self.size > self.limit:
            if not self.always_staged:
                for held in self.held:
                    self.staged.append_arrow(self.name, held)
            self.held, self.spilled = [], True

    def pieces(self, *, batch_size: int = 2_048) -> Iterator[pa.Table]:
        """Every row, in order, in pieces."""
        if not self.spilled:
            yield from self.held
            return
        path = self.staged.finish(self.name, empty=self.schema)
        reader = pq.ParquetFile(path, pre_buffer=False)  # one row group at a time, not several ahead
        for batch in reader.iter_batches(batch_size=batch_size, use_threads=False):
            yield pa.Table.from_batches([batch])
        if not self.always_staged:
            path.unlink()


_SCRATCH = ".documents-scratch"  # staged documents awaiting their duplicate groups (not committed)


def _with_groups(table: pa.Table, groups: dict[str, int]) -> pa.Table:
    """``table`` (documents rows) with ``dup_group`` set from ``groups`` (doc_id -> group)."""
    column = pa.array([groups.get(d) for d in table.column("doc_id").to_pylist()], type=pa.int64())
    index = table.schema.get_field_index("dup_group")
    return table.set_column(index, table.schema.field(index), column)


# --- the build -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Files handled together, in input order: ``new`` (processed), ``kept`` (copied from the
    previous build) or ``recompute`` (kept, with some tables computed again)."""

    kind: str
    files: list[InputFile]


def steps(files: Sequence[InputFile], work: Plan, *, limit: int) -> list[Step]:
    """The files in input order as steps: runs of kept files, batches of the others."""
    processed = {f.source_path for f in work.process}
    out: list[Step] = []
    run: list[InputFile] = []
    run_kind = ""

    def close() -> None:
        if run:
            if run_kind == "kept":
                out.append(Step("kept", list(run)))
            else:
                out.extend(Step(run_kind, b) for b in batches(run, limit=limit))

    for f in files:
        kind = "new" if f.source_path in processed else ("recompute" if work.recompute else "kept")
        if kind != run_kind:
            close()
            run, run_kind = [], kind
        run.append(f)
    close()
    return out


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
    Rows come in input-file order whatever the schedule; tables are written as batches
    arrive, so memory holds neither the per-document tables nor, at scale, the texts.
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
    signatures_kept = previous.get("signatures", {}).get("key") == _signature_key()
    names = [n for n in schema.TABLES if n not in schema.CORPUS_TABLES] + ([SIGNATURES] if signatures_kept else [])
    kept = Kept(out, names=names) if work.recompute else None  # the tasks need the stored text
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    plan_steps = steps(files, work, limit=batch_limit(files, workers=n_workers))
    spec: Any = res.bundle(resources) if executor == "dask" else resources

    def tasks() -> Iterator[Task]:
        for step in plan_steps:
            paths = [f.source_path for f in step.files]
            if step.kind == "new":
                payload = [
                    (f.source_path, f.path.read_bytes() if executor == "dask" else str(f.path)) for f in step.files
                ]
                yield ("files", payload, None, spec)
            elif step.kind == "recompute":
                assert kept is not None
                docs = kept.table("documents", paths, schema_=store.arrow_schema("documents"))
                entities = kept.table("entities", paths, schema_=store.arrow_schema("entities"))
                places = entities.filter(pc.equal(entities.column("kind"), "place"))
                yield ("docs", (docs.select(["doc_id", "source_path", "text"]), places), work.recompute, spec)

    n_tasks = sum(step.kind != "kept" for step in plan_steps)
    if executor == "dask":
        results = _run_dask(tasks(), scheduler=str(scheduler))
    else:
        results = _run_local(tasks(), workers=n_workers, n_tasks=n_tasks)
    tick = _progress(n_tasks, enabled=progress)
    computed_signatures = 0
    with contextlib.closing(results), store.StagedTables(out) as staged:
        staged.options(SIGNATURES, compression="none", use_dictionary=False)  # hashes: nothing to gain
        staged.options(_SCRATCH, compression="none", use_dictionary=False)
        if work.reuse and kept is None:  # read while the first tasks run
            kept = Kept(out, names=names)
        documents = Spool(
            staged, _SCRATCH, schema_=store.arrow_schema("documents"), limit=HELD_IN_MEMORY, always_staged=False
        )
        signatures = Spool(staged, SIGNATURES, schema_=signature_schema(), limit=HELD_IN_MEMORY, always_staged=True)
        light: list[pa.Table] = []  # the documents columns the near-duplicate stage reads

        def add(tables: dict[str, pa.Table]) -> None:
            for name, table in tables.items():
                if name == "documents":
                    documents.add(table)
                    light.append(table.select(list(DUP_COLUMNS)))
                elif name == SIGNATURES:
                    signatures.add(table)
                else:
                    staged.append_arrow(name, table)

        for step in plan_steps:
            paths = [f.source_path for f in step.files]
            if step.kind == "new":
                fresh = next(results)
                tick(1)
                computed_signatures += fresh[SIGNATURES].num_rows
                add(fresh)
                continue
            assert kept is not None
            fresh = next(results) if step.kind == "recompute" else {}
            if step.kind == "recompute":
                tick(1)
            for name in [*schema.TABLES, SIGNATURES]:
                if name in fresh or name in schema.CORPUS_TABLES:
                    continue
                if name == SIGNATURES and SIGNATURES not in kept:
                    stored = kept.table("documents", paths, schema_=store.arrow_schema("documents"))
                    frame = duplicates.signature_table(stored.select(["doc_id", "text"]).to_pandas())
                    computed_signatures += len(frame)
                    add({SIGNATURES: signatures_arrow(frame)})
                    continue
                for rows in kept.rows(name, paths):
                    add({name: rows})
            add(fresh)
        kept = None  # the previous tables are not needed any more
        results.close()  # nor the workers, whose memory the near-duplicate stage may use
        columns = pa.concat_tables(light) if light else store.arrow_schema("documents").empty_table()
        docs = columns.select(list(DUP_COLUMNS)).to_pandas()
        dups = duplicates.duplicate_groups(
            docs, signatures=(t.to_pandas() for t in signatures.pieces(batch_size=4_096))
        )
        groups = dict(zip(dups["doc_id"].tolist(), dups["group_id"].tolist(), strict=True))
        for piece in documents.pieces():
            staged.append_arrow("documents", _with_groups(piece, groups))
        staged.append("duplicates", dups)
        staged.finish(SIGNATURES, empty=signature_schema())
        seconds = time.perf_counter() - started
        reused_signatures = len(docs) - computed_signatures
        staged.commit(
            _manifest(
                files, staged.counts, digests=digests, seconds=seconds, work=work, reused_signatures=reused_signatures
            )
        )
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
    files: list[InputFile],
    counts: dict[str, int],
    *,
    digests: dict[str, str],
    seconds: float,
    work: Plan,
    reused_signatures: int,
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
        "counts": {name: n for name, n in counts.items() if name in schema.TABLES},
        "signatures": {"file": f"{SIGNATURES}.parquet", "rows": counts.get(SIGNATURES, 0), "key": _signature_key()},
        "reused": {
            "files_reused": len(work.reuse),
            "files_processed": len(work.process),
            "tables_recomputed": list(work.recompute),
            "signatures_reused": reused_signatures,
        },
    }
