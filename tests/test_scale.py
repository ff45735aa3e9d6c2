"""The build gives the same tables whatever the schedule: one process, workers, Dask, batches
of files, documents held in memory or in a scratch file, and reuse of a previous build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

from lib import build as build_module
from lib import schema, store
from lib.build import build
from lib.pipeline import concat, process_file, process_files
from lib.resources import BUNDLED, Resources

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
GOLDEN = ROOT / "tests" / "fixtures" / "golden" / "input"


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


def test_a_batch_of_files_gives_the_rows_of_each_file_in_order() -> None:
    files = [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir())]
    files += [(p.name, p.read_bytes()) for p in sorted(GOLDEN.iterdir())]
    resources = Resources()
    batch = process_files(files, resources=resources)
    one_by_one = [process_file(path, data, resources=resources) for path, data in files]
    for name in schema.TABLES:
        if name in schema.CORPUS_TABLES:
            continue
        expected = concat([tables[name] for tables in one_by_one], name)
        pd.testing.assert_frame_equal(batch[name], expected, obj=name)
    # each file's place entities come before its other entities, as in process_file
    entities = batch["entities"]
    first = entities[entities["doc_id"].str.startswith("001_")]
    kinds = first["kind"].tolist()
    assert kinds[0] == "place" and "place" not in kinds[kinds.index(next(k for k in kinds if k != "place")) :]


@pytest.mark.parametrize("limits", [{"MAX_BATCH_BYTES": 1}, {"MAX_BATCH_BYTES": 1 << 30, "TASKS_PER_WORKER": 1}])
def test_batch_size_does_not_change_the_tables(
    single: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limits: dict[str, int]
) -> None:
    for name, value in limits.items():
        monkeypatch.setattr(build_module, name, value)
    out = tmp_path / "batched"
    build([CORPUS], out=out, workers=1)
    _assert_same(single, out)


def test_documents_and_signatures_read_back_from_files_give_the_same_tables(
    single: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "HELD_IN_MEMORY", 0)
    out = tmp_path / "spilled"
    build([CORPUS], out=out, workers=1)
    _assert_same(single, out)
    assert pq.read_table(out / "signatures.parquet").equals(pq.read_table(single / "signatures.parquet"))
    assert not list(out.glob(".*")), "the scratch file is not part of the build"


def test_rebuild_keeps_the_signatures_of_unchanged_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    build([corpus], out=out, workers=1)
    signatures = pq.read_table(out / "signatures.parquet")
    docs = store.read_table(out, "documents")
    assert signatures.column("doc_id").to_pylist() == docs["doc_id"].tolist()
    target = corpus / "000_45fffbf136039e96.txt"  # one document; the other files hold 10 + 8 + 1
    target.write_text(target.read_text(encoding="utf-8") + "\n县政协新设立了3个界别党支部。\n", encoding="utf-8")
    build([corpus], out=out, workers=1)
    manifest = store.read_manifest(out)
    assert manifest["reused"]["signatures_reused"] == 19
    assert manifest["signatures"]["rows"] == 20
    fresh = tmp_path / "fresh"
    build([corpus], out=fresh, workers=1, reuse=False)
    _assert_same(out, fresh)
    assert pq.read_table(out / "signatures.parquet").equals(pq.read_table(fresh / "signatures.parquet"))


def test_signatures_of_another_version_are_computed_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([CORPUS], out=out, workers=1)
    manifest = store.read_manifest(out)
    manifest["signatures"]["key"]["version"] = -1  # as if another signature algorithm had made them
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    summary = build([CORPUS], out=out, workers=1)
    assert summary.reused_files == 4
    assert store.read_manifest(out)["reused"]["signatures_reused"] == 0
    fresh = tmp_path / "fresh"
    build([CORPUS], out=fresh, workers=1, reuse=False)
    _assert_same(out, fresh)


def test_changed_slogan_list_recomputes_entities_and_keeps_the_place_rows(tmp_path: Path) -> None:
    own = tmp_path / "resources"
    own.mkdir()
    out = tmp_path / "out"
    build([CORPUS], out=out, workers=2, resources=Resources(own))
    slogans = (BUNDLED / "slogans.txt").read_text(encoding="utf-8")
    (own / "slogans.txt").write_text(slogans + "\n委员作业\n", encoding="utf-8")
    summary = build([CORPUS], out=out, workers=2, resources=Resources(own))
    assert summary.reused_files == 4
    assert summary.recomputed == ("entities",)
    entities = store.read_table(out, "entities")
    assert "委员作业" in set(entities.loc[entities["kind"] == "slogan", "text"])
    assert (entities["kind"] == "place").any()
    fresh = tmp_path / "fresh"
    build([CORPUS], out=fresh, workers=1, resources=Resources(own), reuse=False)
    _assert_same(out, fresh)
