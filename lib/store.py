"""Reading and writing a built corpus: Parquet tables plus manifest.json in one folder.

Writes are atomic: the new tables go to a sibling temporary folder that replaces the old
one only when complete, so an interrupted build leaves the previous tables intact.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
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


class StagedTables:
    """Tables written piece by piece into a staging folder that replaces ``out`` on commit.

    Pieces of a table are buffered and written as Parquet row groups, so a build never
    needs a whole per-document table in memory. Leaving the ``with`` block without
    ``commit`` (an error, an interrupt) removes the staging folder and keeps ``out``.
    """

    def __init__(self, out: Path, *, rows_per_group: int = 200_000, frames_per_group: int = 2_000) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.folder.chmod(0o755)  # mkdtemp makes it private; the tables are for every user of the corpus
        self.rows_per_group = rows_per_group
        self.frames_per_group = frames_per_group
        self.counts: dict[str, int] = {}
        self._buffers: dict[str, list[pd.DataFrame]] = {}
        self._buffered: dict[str, int] = {}  # rows waiting in each buffer
        self._writers: dict[str, pq.ParquetWriter] = {}

    def __enter__(self) -> StagedTables:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.folder.exists():
            self._close_writers()
            shutil.rmtree(self.folder, ignore_errors=True)

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Add rows to table ``name``."""
        self.counts[name] = self.counts.get(name, 0) + len(frame)
        buffer = self._buffers.setdefault(name, [])
        if len(frame):
            buffer.append(frame)
            self._buffered[name] = self._buffered.get(name, 0) + len(frame)
        if self._buffered.get(name, 0) >= self.rows_per_group or len(buffer) >= self.frames_per_group:
            self._flush(name)

    def _flush(self, name: str) -> None:
        frames = self._buffers.get(name, [])
        frame = schema.conform(pd.concat(frames, ignore_index=True), name) if frames else schema.empty(name)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", table.schema)
        if table.num_rows or not frames:
            self._writers[name].write_table(table)
        self._buffers[name] = []
        self._buffered[name] = 0

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def commit(self, manifest: Mapping[str, Any]) -> None:
        """Finish every table, write the manifest and swap the folder in place of ``out``."""
        for name in schema.TABLES:
            self.counts.setdefault(name, 0)
        for name in self.counts:
            if self._buffers.get(name) or name not in self._writers:
                self._flush(name)
        self._close_writers()
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
    folder: Path, name: str, *, columns: Sequence[str], batch_size: int = 1_024
) -> Iterator[pa.RecordBatch]:
    """Columns of table ``name`` as Arrow record batches of up to ``batch_size`` rows, read in turn
    (nothing when the file is absent)."""
    path = folder / f"{name}.parquet"
    if not path.exists():
        return
    yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=list(columns))


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
            return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(schema.TABLES)

    def __len__(self) -> int:
        return len(schema.TABLES)

    def loaded(self) -> list[str]:
        """The tables read so far."""
        return list(self._frames)
