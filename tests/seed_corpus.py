"""The bundled corpus (data/corpus, the four seed files) built once per test session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from lib import schema, store

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = "003_43cb40c7cae0b93c.txt#01"  # 曲周县政协在河北省率先实现“两个全覆盖” (河北新闻网)
SEED_000 = "000_45fffbf136039e96.txt#01"  # 基层政协党组织建设工作经验材料 (anonymised, XX县)


def build(base: Path) -> Path:
    """Build data/corpus into ``base``/seed_corpus unless a build is already there."""
    out = base / "seed_corpus"
    if not store.is_built(out):
        subprocess.run(
            [sys.executable, "-m", "lib", "build", str(ROOT / "data" / "corpus"), "--out", str(out), "--workers", "1"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return out


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every stored table of a built folder."""
    return {name: store.read_table(folder, name) for name in schema.TABLES}
