"""Reading and writing a built corpus: Parquet tables plus manifest.json in one folder.

Writes are atomic: the new tables go to a sibling temporary folder that replaces the old
one only when complete, so an interrupted build leaves the previous tables intact.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib import schema

MANIFEST = "manifest.json"


def write_tables(out: Path, tables: Mapping[str, pd.DataFrame], manifest: Mapping[str, Any]) -> None:
    """Write every table and the manifest to ``out``, replacing what was there atomically."""
    with StagedTables(out) as staged:
        for name, frame in tables.items():
            staged.append(name, frame)
        staged.commit(manifest)


@functools.cache
def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema table ``name`` is stored with: its declared columns and dtypes."""
    return pa.Table.from_pandas(schema.empty(name), preserve_index=False).schema


def to_arrow(frame: pd.DataFrame, name: str) -> pa.Table:
    """Table ``name`` as an Arrow table with the stored schema (``frame`` conformed first)."""
    return pa.Table.from_pandas(schema.conform(frame, name), schema=arrow_schema(name), preserve_index=False)


class StagedTables:
    """Tables written piece by piece into a staging folder that replaces ``out`` on commit.

    Pieces of a table are buffered as Arrow tables and written as Parquet row groups of at
    most ``rows_per_group`` rows or about ``bytes_per_group`` bytes, so a build never needs a
    whole table in memory. Each table is encoded in a thread of its own (in order), while the
    caller goes on, up to ``pending_groups`` row groups ahead of it. Leaving the ``with``
    block without ``commit`` (an error, an interrupt) removes the staging folder and keeps
    ``out``. Besides the declared tables, a build may
    stage other Arrow tables (caches, scratch files) by name; ``options`` sets how they are
    written.
    """

    def __init__(self, out: Path, *, rows_per_group: int = 200_000, bytes_per_group: int = 32 << 20) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.folder.chmod(0o755)  # mkdtemp makes it private; the tables are for every user of the corpus
        self.rows_per_group = rows_per_group
        self.bytes_per_group = bytes_per_group
        self.pending_groups = 2  # row groups of one table waiting to be encoded, at most
        self.counts: dict[str, int] = {}
        self._buffers: dict[str, list[pa.Table]] = {}
        self._buffered: dict[str, tuple[int, int]] = {}  # rows and bytes waiting in each buffer
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._options: dict[str, dict[str, Any]] = {}
        self._threads: dict[str, ThreadPoolExecutor] = {}
        self._writes: dict[str, list[Future[None]]] = {}
        self._closed: set[str] = set()

    def __enter__(self) -> StagedTables:
        return self

    def __exit__(self, *exc: object) -> None:
        for writes in self._writes.values():
            for write in writes:
                write.cancel()
        self._stop_threads()
        if self.folder.exists():
            for writer in self._writers.values():
                writer.close()
            self._writers = {}
            shutil.rmtree(self.folder, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Where table ``name`` is staged."""
        return self.folder / f"{name}.parquet"

    def options(self, name: str, **writer_options: Any) -> None:
        """``pyarrow.parquet.ParquetWriter`` options for table ``name`` (before its first rows)."""
        self._options[name] = writer_options

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Add the rows of ``frame`` to declared table ``name``."""
        self.append_arrow(name, to_arrow(frame, name))

    def append_arrow(self, name: str, table: pa.Table) -> None:
        """Add rows to table ``name``: an Arrow table with the stored schema (``arrow_schema``
        for a declared table; any fixed schema for a cache)."""
        if name in self._closed:
            raise ValueError(f"table {name} is already finished")
        self.counts[name] = self.counts.get(name, 0) + table.num_rows
        if table.num_rows == 0:
            return
        self._buffers.setdefault(name, []).append(table)
        rows, size = self._buffered.get(name, (0, 0))
        rows, size = rows + table.num_rows, size + table.nbytes
        self._buffered[name] = (rows, size)
        if rows >= self.rows_per_group or size >= self.bytes_per_group:
            self._flush(name)

    def finish(self, name: str, *, empty: pa.Schema | None = None) -> Path:
        """Write what is buffered of table ``name`` and close its file, which may then be read
        back (``empty``: the schema of the file if no row was added); returns its path.
        Finishing a finished table does nothing."""
        if name in self._closed:
            return self.path(name)
        self._flush(name, empty=empty)
        self._wait(name)
        writer = self._writers.pop(name, None)
        if writer is not None:
            writer.close()
        self._closed.add(name)
        self.counts.setdefault(name, 0)
        return self.path(name)

    def _flush(self, name: str, *, empty: pa.Schema | None = None) -> None:
        pieces = self._buffers.pop(name, [])
        self._buffered.pop(name, None)
        if not pieces and name in self._writers:
            return
        if pieces:
            table = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
        else:
            table = (empty or arrow_schema(name)).empty_table()
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.path(name), table.schema, **self._options.get(name, {}))
            self._threads[name] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"parquet-{name}")
        writes = self._writes.setdefault(name, [])
        for write in [w for w in writes if w.done()]:
            write.result()  # a failed write fails the build here, not later
            writes.remove(write)
        while len(writes) >= self.pending_groups:  # the caller outpaces the encoder: wait for it
            writes.pop(0).result()
        writes.append(self._threads[name].submit(self._writers[name].write_table, table, self.rows_per_group))

    def _wait(self, name: str) -> None:
        for write in self._writes.pop(name, []):
            write.result()
        thread = self._threads.pop(name, None)
        if thread is not None:
            thread.shutdown(wait=True)

    def _stop_threads(self) -> None:
        for thread in self._threads.values():
            thread.shutdown(wait=True, cancel_futures=True)
        self._threads = {}

    def commit(self, manifest: Mapping[str, Any]) -> None:
        """Finish every table, write the manifest and swap the folder in place of ``out``."""
        for name in schema.TABLES:
            self.counts.setdefault(name, 0)
        for name in self.counts:
            if name not in self._closed:
                self._flush(name)
        for name in list(self.counts):
            if name not in self._closed:
                self.finish(name)
        (self.folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap_in(self.folder, self.out)


def _swap_in(new: Path, out: Path) -> None:
    """Replace folder ``out`` by ``new`` (two renames; the old folder is removed last)."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """Table ``name`` from a built folder (empty table if that file is absent)."""
    path = folder / f"{name}.parquet"
    if not path.exists():
        return schema.empty(name)
    return schema.conform(pd.read_parquet(path), name)


def read_columns(folder: Path, name: str, *, without: Sequence[str] = ()) -> pd.DataFrame:
    """Table ``name`` as ``read_table`` gives it, minus the columns ``without`` (never read from disk)."""
    wanted = [c for c in schema.columns(name) if c not in without]
    path = folder / f"{name}.parquet"
    if not path.exists():
        return schema.empty(name)[wanted]
    present = set(pq.read_schema(path).names)
    frame = pd.read_parquet(path, columns=[c for c in wanted if c in present])
    if frame.empty:
        return schema.empty(name)[wanted]
    return schema.conform(frame, name)[wanted]


def read_arrow(folder: Path, name: str, *, columns: Sequence[str], dictionary: Sequence[str] = ()) -> pa.Table:
    """Columns of table ``name`` as an Arrow table; the ``dictionary`` columns come dictionary-encoded
    (integer codes per row group, the strings once), which is how a 20M-row column of repeated
    strings fits in memory. An absent file gives an empty table with those columns."""
    path = folder / f"{name}.parquet"
    if not path.exists():
        return pa.Table.from_pandas(schema.empty(name)[list(columns)], preserve_index=False)
    return pq.read_table(path, columns=list(columns), read_dictionary=list(dictionary) or None)


def iter_batches(
    folder: Path, name: str, *, columns: Sequence[str], batch_size: int = 1_024, dictionary: Sequence[str] = ()
) -> Iterator[pa.RecordBatch]:
    """Columns of table ``name`` as Arrow record batches of up to ``batch_size`` rows, read in turn
    (nothing when the file is absent); the ``dictionary`` columns come dictionary-encoded."""
    path = folder / f"{name}.parquet"
    if not path.exists():
        return
    # a buffered stream: pages are read as they are decoded, not a whole column chunk at once
    source = pq.ParquetFile(path, read_dictionary=list(dictionary) or None, buffer_size=8 << 20, pre_buffer=False)
    yield from source.iter_batches(batch_size=batch_size, columns=list(columns))


def row_count(folder: Path, name: str) -> int:
    """Rows of table ``name`` from its Parquet footer (0 when the file is absent)."""
    path = folder / f"{name}.parquet"
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a built folder ({} if there is none)."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def is_built(folder: Path) -> bool:
    """True when ``folder`` holds a complete build."""
    return (folder / MANIFEST).exists() and (folder / "documents.parquet").exists()


class LazyTables(Mapping[str, pd.DataFrame]):
    """The tables of a built folder as a read-only mapping; each table is read on first use.

    ``without`` names columns left on disk (e.g. ``{"documents": ("text",)}``): a page that
    needs one table does not pay for reading, or holding, the others.
    """

    def __init__(self, folder: Path, *, without: Mapping[str, Sequence[str]] | None = None) -> None:
        self.folder = folder
        self.without = dict(without or {})
        self._frames: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in schema.TABLES:
            raise KeyError(name)
        with self._lock:
            if name not in self._frames:
                self._frames[name] = read_columns(self.folder, name, without=self.without.get(name, ()))
                pa.default_memory_pool().release_unused()  # what reading the file needed goes back
            return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(schema.TABLES)

    def __len__(self) -> int:
        return len(schema.TABLES)

    def loaded(self) -> list[str]:
        """The tables read so far."""
        return list(self._frames)
