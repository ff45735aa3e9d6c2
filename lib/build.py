"""Build the tables of a corpus from input files and store them in one folder."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from lib import __version__, duplicates, ingest, schema, store
from lib.pipeline import FileTables, concat, process_file
from lib.resources import Resources

PACKAGES = ("pandas", "pyarrow", "rjieba", "jieba", "opencc-python-reimplemented")


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the one-line summary and the tests."""

    files: int
    documents: int
    characters: int
    seconds: float
    out: Path

    def line(self) -> str:
        return (
            f"built {self.out}: {self.files} files, {self.documents} documents, "
            f"{self.characters:,} characters in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class InputFile:
    source_path: str  # relative name shown in the tables
    path: Path


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
            out.append(InputFile(rel, path))
    return out


def _process(item: tuple[str, bytes, Resources]) -> FileTables:
    source_path, data, resources = item
    return process_file(source_path, data, resources=resources)


def _file_results(
    files: list[InputFile], *, resources: Resources, workers: int, progress: bool
) -> Iterator[FileTables]:
    items = ((f.source_path, f.path.read_bytes(), resources) for f in files)
    bar = _progress(len(files), enabled=progress)
    if workers <= 1 or len(files) <= 1:
        for item in items:
            yield _process(item)
            bar(1)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_process, items, chunksize=max(1, min(16, len(files) // (workers * 8)))):
            yield result
            bar(1)


def _progress(total: int, *, enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", file=sys.stderr)
    return bar.update


def build(
    inputs: Sequence[Path],
    *,
    out: Path,
    resources: Resources | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> BuildSummary:
    """Build every table from ``inputs`` (files or folders) into folder ``out``."""
    started = time.perf_counter()
    resources = resources or Resources()
    files = input_files(inputs)
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.TABLES}
    for result in _file_results(files, resources=resources, workers=n_workers, progress=progress):
        for name, frame in result.items():
            collected[name].append(frame)
    tables = {name: concat(frames, name) for name, frames in collected.items()}
    tables["duplicates"] = duplicates.duplicate_groups(tables["documents"])
    tables["documents"] = duplicates.with_dup_group(tables["documents"], tables["duplicates"])
    seconds = time.perf_counter() - started
    manifest = _manifest(files, tables, resources=resources, seconds=seconds)
    store.write_tables(out, tables, manifest)
    docs = tables["documents"]
    return BuildSummary(len(files), len(docs), int(docs["n_chars"].sum()) if len(docs) else 0, seconds, out)


def _manifest(
    files: list[InputFile], tables: dict[str, pd.DataFrame], *, resources: Resources, seconds: float
) -> dict[str, Any]:
    versions = {"lib": __version__, "python": sys.version.split()[0]}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = ""
    return {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "inputs": [
            {
                "source_path": f.source_path,
                "sha256": hashlib.sha256(f.path.read_bytes()).hexdigest(),
                "bytes": f.path.stat().st_size,
            }
            for f in files
        ],
        "resources": resources.digests(),
        "versions": versions,
        "counts": {name: len(frame) for name, frame in tables.items()},
    }
