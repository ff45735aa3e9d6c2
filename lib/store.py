"""Reading and writing a built corpus: Parquet tables plus manifest.json in one folder.

Writes are atomic: the new tables go to a sibling temporary folder that replaces the old
one only when complete, so an interrupted build leaves the previous tables intact.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from lib import schema

MANIFEST = "manifest.json"


def write_tables(out: Path, tables: Mapping[str, pd.DataFrame], manifest: Mapping[str, Any]) -> None:
    """Write every table and the manifest to ``out``, replacing what was there atomically."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the tables are for every user of the corpus
    try:
        for name, frame in tables.items():
            schema.conform(frame, name).to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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
