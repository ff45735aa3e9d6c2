"""The build gives the same tables whatever the schedule: one process, workers, Dask, reuse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from distributed import LocalCluster

from lib import schema, store
from lib.build import build
from lib.resources import BUNDLED, Resources

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: store.read_table(folder, name) for name in schema.TABLES}


def _assert_same(a: Path, b: Path) -> None:
    left, right = _tables(a), _tables(b)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single") / "out"
    build([CORPUS], out=out, workers=1)
    return out


def test_workers_give_identical_tables(single: Path, tmp_path: Path) -> None:
    out = tmp_path / "parallel"
    build([CORPUS], out=out, workers=2)
    _assert_same(single, out)
    assert len(store.read_table(out, "documents")) >= 4


def test_dask_local_cluster_gives_identical_tables(single: Path, tmp_path: Path) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "dask"
        build([CORPUS], out=out, executor="dask", scheduler=cluster.scheduler_address)
    _assert_same(single, out)


def test_changed_file_reprocesses_only_that_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    build([corpus], out=out, workers=1)
    target = sorted(corpus.iterdir())[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n县政协新设立了3个界别党支部。\n", encoding="utf-8")
    summary = build([corpus], out=out, workers=1)
    assert summary.reused_files == 3
    manifest = store.read_manifest(out)
    assert manifest["reused"]["files_processed"] == 1
    fresh = tmp_path / "fresh"
    build([corpus], out=fresh, workers=1, reuse=False)
    _assert_same(out, fresh)


def test_changed_theme_lexicon_recomputes_only_themes(tmp_path: Path) -> None:
    own = tmp_path / "resources"
    own.mkdir()
    out = tmp_path / "out"
    build([CORPUS], out=out, workers=1, resources=Resources(own))
    lexicon = (BUNDLED / "themes.txt").read_text(encoding="utf-8")
    (own / "themes.txt").write_text(lexicon + "\n", encoding="utf-8")
    summary = build([CORPUS], out=out, workers=1, resources=Resources(own))
    assert summary.reused_files == 4
    assert summary.recomputed == ("themes",)
    fresh = tmp_path / "fresh"
    build([CORPUS], out=fresh, workers=1, resources=Resources(own), reuse=False)
    _assert_same(out, fresh)
