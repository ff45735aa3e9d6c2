"""End-to-end build invariants: every file accounted for, offsets slice back, declared
columns even when empty, clear CLI errors, and atomic writes."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lib import schema, store
from lib.__main__ import main
from lib.build import build

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
GOLDEN = ROOT / "tests" / "fixtures" / "golden" / "input"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus, the golden files and some unusable files in one folder tree."""
    root = tmp_path_factory.mktemp("inputs")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copytree(GOLDEN, root / "golden")
    odd = root / "odd"
    odd.mkdir()
    (odd / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (odd / "blank.txt").write_text("  \n\n\t \n", encoding="utf-8")
    (odd / "gbk.txt").write_bytes("政协委员履职报告\n县政协党组召开党建工作会议。".encode("gb18030"))
    return root


@pytest.fixture(scope="module")
def built(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "tables"
    build([inputs], out=out, workers=1)
    return out


def all_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_every_input_file_has_one_ingest_report_row(inputs: Path, built: Path) -> None:
    report = store.read_table(built, "ingest_report")
    assert sorted(report["source_path"]) == all_files(inputs)
    assert set(report["status"]) <= {"ok", "skipped", "error"}
    bad = report[report["status"] != "ok"]
    assert (bad["reason"].str.len() > 0).all()
    assert (bad["n_documents"] == 0).all()
    by_path = report.set_index("source_path")
    assert by_path.loc["golden/05_empty.txt", "status"] != "ok"
    assert by_path.loc["odd/blank.txt", "status"] != "ok"
    assert by_path.loc["odd/binary.txt", "status"] != "ok"


def test_document_counts_agree_with_the_report_and_the_seed_splits(built: Path) -> None:
    report = store.read_table(built, "ingest_report").set_index("source_path")
    docs = store.read_table(built, "documents")
    per_file = docs.groupby("source_path").size()
    for path, row in report.iterrows():
        assert per_file.get(path, 0) == row["n_documents"], path
    counts = {Path(str(p)).name[:3]: n for p, n in per_file.items() if str(p).startswith("corpus/")}
    assert counts == {"000": 1, "001": 10, "002": 8, "003": 1}
    assert docs["doc_id"].is_unique


@pytest.mark.parametrize("table,surface", [("statistics", "surface"), ("entities", "text")])
def test_offsets_slice_back_to_the_surface(built: Path, table: str, surface: str) -> None:
    texts = store.read_table(built, "documents").set_index("doc_id")["text"]
    rows = store.read_table(built, table)
    for doc_id, start, end, value in zip(rows["doc_id"], rows["start"], rows["end"], rows[surface], strict=True):
        assert texts[doc_id][int(start) : int(end)] == value, (doc_id, start, end, value)


def test_tables_on_disk_have_the_declared_columns(built: Path) -> None:
    manifest = store.read_manifest(built)
    for name in schema.TABLES:
        frame = pd.read_parquet(built / f"{name}.parquet")
        assert list(frame.columns) == schema.columns(name)
        schema.check(store.read_table(built, name), name)
        assert manifest["counts"][name] == len(frame)
    docs = store.read_table(built, "documents")
    assert (docs["n_chars"] == docs["text"].str.len()).all()
    assert (
        docs["doc_type"]
        .isin(["经验材料", "讲话", "工作报告", "述职报告", "调研报告", "新闻报道", "理论文章", "工作要点", "其他"])
        .all()
    )


def test_empty_input_folder_gives_empty_tables_with_declared_columns(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    summary = build([empty], out=tmp_path / "out", workers=1)
    assert (summary.files, summary.documents, summary.characters) == (0, 0, 0)
    for name in schema.TABLES:
        frame = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        assert len(frame) == 0
        assert list(frame.columns) == schema.columns(name)


# --- command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv,message",
    [
        (["build", "no/such/folder"], "not found"),
        (["build", str(GOLDEN), "--workers", "0"], "--workers"),
    ],
)
def test_cli_rejects_unusable_arguments(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--out", str(tmp_path / "out")]) != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_rejects_an_output_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "tables.parquet"
    target.write_text("not a folder", encoding="utf-8")
    assert main(["build", str(GOLDEN), "--out", str(target)]) != 0
    assert "not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("argv", [["build", "no/such/folder"], ["build", "--no-such-option"]])
def test_cli_exits_non_zero_with_a_message(argv: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lib", *argv, "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "error" in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_builds_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(GOLDEN), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    line = capsys.readouterr().out.strip()
    assert "5 files" in line and "8 documents" in line
    assert store.is_built(tmp_path / "out")


# --- atomic writes ------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "tables"
    build([GOLDEN], out=out, workers=1)
    return out


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_failed_write_leaves_the_previous_tables_intact(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    before = snapshot(previous)
    real = pq.ParquetWriter.write_table
    calls: list[int] = []

    def failing(self: pq.ParquetWriter, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with pytest.raises(type(error)):
        build([GOLDEN], out=previous, workers=1, reuse=False)
    assert len(calls) >= 3  # tables are encoded side by side: others' writes may have been under way
    assert snapshot(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]  # no half-written folder left
    assert json.loads((previous / "manifest.json").read_text(encoding="utf-8"))["counts"]["documents"] == 8


def test_failed_swap_restores_the_previous_tables(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(previous)
    real = Path.rename

    def failing(self: Path, target: Any) -> Path:
        if Path(target) == previous.resolve() and self.name.startswith(".tables.new"):
            raise OSError("rename failed")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError, match="rename failed"):
        build([GOLDEN], out=previous, workers=1, reuse=False)
    assert snapshot(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
