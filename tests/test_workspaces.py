"""Workspaces: names, uploads of files and zip archives, bad input, all-or-nothing updates,
editable resources applied by a rebuild, and the command line building into a workspace."""

from __future__ import annotations

import hashlib
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from lib import __main__ as cli
from lib import build, store, workspaces
from lib.resources import BUNDLED
from lib.workspaces import Limits

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "corpus"

# Two short reports written for these tests (one document each).
GUANTAO = (
    "馆陶县政协推行委员履职码\n"
    "馆陶县政协在全县推行委员履职码制度，委员履职码让群众随时评议委员。"
    "全县共有政协委员156名，其中中共党员委员62名。"
).encode()
QUZHOU = ("曲周县政协建立界别党小组\n曲周县政协在12个界别建立党小组，实现党的组织和党的工作全覆盖。").encode()
CHENGDE = ("承德市政协召开协商议事会\n承德市政协围绕生态保护召开协商议事会3次，提出意见建议40余条。").encode()


def zipped(members: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compress)
    return buf.getvalue()


def reasons(report: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {str(r.source_path): (str(r.status), str(r.reason)) for r in report.itertuples()}


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "workspaces"


@pytest.fixture
def built(root: Path) -> workspaces.Workspace:
    """A workspace with the 馆陶 and 曲周 reports built."""
    ws = workspaces.create_workspace("县级政协", root=root)
    report = workspaces.add_files(ws, [("馆陶.txt", GUANTAO), ("曲周.txt", QUZHOU)], workers=1)
    assert reasons(report) == {"馆陶.txt": ("ok", ""), "曲周.txt": ("ok", "")}
    return ws


# --- names and folders ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["县级政协", "corpus-2024", "承德_讲话", "a"])
def test_good_names(name: str) -> None:
    assert workspaces.name_error(name) == ""


@pytest.mark.parametrize("name", ["", "..", "../evil", ".hidden", "a/b", "a b", "-start", "x" * 65, "C:"])
def test_bad_names(name: str) -> None:
    assert workspaces.name_error(name) != ""


def test_create_list_open(root: Path) -> None:
    assert workspaces.list_workspaces(root=root) == []
    ws = workspaces.create_workspace("承德", root=root)
    assert ws.input.is_dir() and not ws.is_built()
    for name in workspaces.EDITABLE:
        assert (ws.resource_dir / name).read_bytes() == (BUNDLED / name).read_bytes()
    workspaces.create_workspace("曲周", root=root)
    (root / ".曲周.new-leftover").mkdir()  # a hidden staging folder is no workspace
    assert workspaces.list_workspaces(root=root) == ["承德", "曲周"]
    assert workspaces.open_workspace("承德", root=root).folder == root / "承德"
    with pytest.raises(FileExistsError):
        workspaces.create_workspace("承德", root=root)
    with pytest.raises(KeyError):
        workspaces.open_workspace("馆陶", root=root)
    with pytest.raises(ValueError):
        workspaces.create_workspace("../evil", root=root)
    assert not (root.parent / "evil").exists()


# --- uploads ----------------------------------------------------------------------------------


def test_upload_builds_tables_and_reports_every_file(built: workspaces.Workspace) -> None:
    docs = store.read_table(built.tables, "documents")
    assert sorted(docs["source_path"]) == ["曲周.txt", "馆陶.txt"]
    assert built.input_names() == ["曲周.txt", "馆陶.txt"]
    stats = store.read_table(built.tables, "statistics")
    assert 156.0 in set(stats["value"]) and 62.0 in set(stats["value"])
    assert reasons(workspaces.last_report(built))["馆陶.txt"] == ("ok", "")


def test_bad_files_each_get_a_reason(root: Path) -> None:
    ws = workspaces.create_workspace("杂项", root=root)
    uploads = [
        ("empty.txt", b""),
        ("english.txt", b"The committee met twice this year and adopted the work report."),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        ("承德.txt", CHENGDE),
    ]
    report = reasons(workspaces.add_files(ws, uploads, workers=1))
    assert report["empty.txt"] == ("skipped", "empty file")
    assert report["english.txt"] == ("ok", "no Chinese characters (kept)")
    assert report["photo.png"][0] == "skipped" and "PNG image" in report["photo.png"][1]
    assert report["承德.txt"] == ("ok", "")
    docs = store.read_table(ws.tables, "documents")
    assert "承德市" in set(docs["city"])


def test_oversize_file_names_the_limit(root: Path) -> None:
    ws = workspaces.create_workspace("限额", root=root)
    big = "政协委员积极履职。".encode() * 200  # 5,400 bytes
    report = reasons(
        workspaces.add_files(
            ws, [("big.txt", big), ("承德.txt", CHENGDE)], limits=Limits(max_file_bytes=4096), workers=1
        )
    )
    assert report["big.txt"] == ("skipped", "file too large: 5.3 KB, the limit is 4 KB per file")
    assert report["承德.txt"][0] == "ok"
    assert ws.input_names() == ["承德.txt"]


def test_duplicates_same_name_and_same_content(built: workspaces.Workspace) -> None:
    uploads = [
        ("承德.txt", CHENGDE),
        ("承德.txt", CHENGDE),  # the same file twice
        ("承德副本.txt", CHENGDE),  # same bytes, other name
        ("曲周.txt", QUZHOU),  # already in the corpus, unchanged
        ("馆陶副本.txt", GUANTAO),  # same bytes as a file already in the corpus
        ("新.txt", QUZHOU + "又讯。".encode()),
        ("新.txt", CHENGDE + "又讯。".encode()),  # same name, different content
    ]
    report = workspaces.add_files(built, uploads, workers=1)
    rows = list(report[["source_path", "status", "reason"]].itertuples(index=False, name=None))
    assert ("承德.txt", "ok", "") in rows
    assert ("承德.txt", "skipped", "the same file was given twice; it is kept once") in rows
    assert ("承德副本.txt", "skipped", "same content as '承德.txt' in this upload; it is kept once") in rows
    assert ("曲周.txt", "skipped", "already in this corpus, unchanged") in rows
    assert ("馆陶副本.txt", "skipped", "same content as '馆陶.txt', already in this corpus") in rows
    assert ("新.txt", "skipped", "another file in this upload is also named '新.txt'; rename one of them") in rows
    assert built.input_names() == ["承德.txt", "新.txt", "曲周.txt", "馆陶.txt"]
    assert (
        (built.input / "新.txt")
        .read_bytes()
        .endswith("曲周县政协在12个界别建立党小组，实现党的组织和党的工作全覆盖。又讯。".encode())
    )


def test_adding_a_file_reuses_the_others(built: workspaces.Workspace) -> None:
    workspaces.add_files(built, [("承德.txt", CHENGDE)], workers=1)
    reused = store.read_manifest(built.tables)["reused"]
    assert reused["files_reused"] == 2 and reused["files_processed"] == 1
    changed = GUANTAO.replace("156名".encode(), "160名".encode())
    report = reasons(workspaces.add_files(built, [("馆陶.txt", changed)], workers=1))
    assert report == {"馆陶.txt": ("ok", "")}
    stats = store.read_table(built.tables, "statistics")
    assert 160.0 in set(stats["value"]) and 156.0 not in set(stats["value"])
    assert store.read_manifest(built.tables)["reused"]["files_reused"] == 2


# --- zip archives ----------------------------------------------------------------------------------


def test_zip_members_are_taken_and_unsafe_ones_refused(root: Path, tmp_path: Path) -> None:
    ws = workspaces.create_workspace("压缩包", root=root)
    archive = zipped(
        {
            "报告/承德.txt": CHENGDE,
            "../evil.txt": QUZHOU,
            "../../outside/evil2.txt": QUZHOU,
            "/etc/evil3.txt": QUZHOU,
            "C:/evil4.txt": QUZHOU,
            "__MACOSX/._承德.txt": b"\x00\x05\x16\x07",
            "报告/馆陶.txt": GUANTAO,
        }
    )
    report = reasons(workspaces.add_files(ws, [("材料.zip", archive)], workers=1))
    assert report["报告/承德.txt"] == ("ok", "")
    assert report["报告/馆陶.txt"] == ("ok", "")
    assert report["材料.zip/../evil.txt"] == ("skipped", "path leads out of its folder (../): refused")
    assert report["材料.zip/../../outside/evil2.txt"][1] == "path leads out of its folder (../): refused"
    assert report["材料.zip//etc/evil3.txt"][1].startswith("absolute path: refused")
    assert report["材料.zip/C:/evil4.txt"][1].startswith("absolute path: refused")
    assert "hidden or system file" in report["材料.zip/__MACOSX/._承德.txt"][1]
    assert ws.input_names() == ["报告/承德.txt", "报告/馆陶.txt"]
    written = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert not written & {"evil.txt", "evil2.txt", "evil3.txt", "evil4.txt"}


def test_zip_bomb_is_refused_by_total_size(root: Path) -> None:
    ws = workspaces.create_workspace("炸弹", root=root)
    bomb = zipped({"bomb.txt": "政".encode() * 4_000_000})  # 12 MB of one character
    assert len(bomb) < 100_000
    report = reasons(
        workspaces.add_files(
            ws, [("bomb.zip", bomb), ("承德.txt", CHENGDE)], limits=Limits(max_total_bytes=5 << 20), workers=1
        )
    )
    status, reason = report["bomb.zip"]
    assert status == "error"
    assert reason == "archive refused: it unpacks to 11.4 MB, the limit is 5 MB per upload (zip bomb?)"
    assert ws.input_names() == ["承德.txt"]


def test_zip_bomb_is_refused_by_file_count(root: Path) -> None:
    ws = workspaces.create_workspace("计数", root=root)
    many = zipped({f"{i}.txt": CHENGDE + str(i).encode() for i in range(30)})
    report = reasons(workspaces.add_files(ws, [("many.zip", many)], limits=Limits(max_files=20), workers=1))
    assert report["many.zip"] == ("error", "archive refused: 30 files, the limit is 20 files per upload")
    assert ws.input_names() == []


def test_zip_member_that_unpacks_beyond_the_file_limit(root: Path) -> None:
    ws = workspaces.create_workspace("成员", root=root)
    archive = zipped({"长文.txt": "委员".encode() * 3000, "承德.txt": CHENGDE})
    report = reasons(workspaces.add_files(ws, [("a.zip", archive)], limits=Limits(max_file_bytes=10_000), workers=1))
    assert report["长文.txt"] == ("skipped", "file too large: 17.6 KB, the limit is 9.8 KB per file")
    assert report["承德.txt"] == ("ok", "")


def test_zip_member_whose_declared_size_lies(root: Path) -> None:
    """A member header may claim a small size; reading stops at the limit all the same."""
    ws = workspaces.create_workspace("谎报", root=root)
    archive = bytearray(zipped({"长文.txt": "委员".encode() * 3000}))
    real = (18000).to_bytes(4, "little")
    fake = (100).to_bytes(4, "little")
    assert archive.count(real) == 2  # local header and central directory
    archive = bytearray(bytes(archive).replace(real, fake))
    report = reasons(
        workspaces.add_files(ws, [("a.zip", bytes(archive))], limits=Limits(max_file_bytes=1000), workers=1)
    )
    status, _ = report["长文.txt"]
    assert status in ("skipped", "error")
    assert ws.input_names() == []


# --- all or nothing ---------------------------------------------------------------------------------


def test_interrupted_build_leaves_the_workspace_as_it_was(
    built: workspaces.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built.folder)
    calls = []
    real = build.run_task

    def failing(task: build.Task) -> build.FileTables:
        calls.append(task)
        if len(calls) == 2:
            raise KeyboardInterrupt("interrupted")
        return real(task)

    monkeypatch.setattr(build, "run_task", failing)
    with pytest.raises(KeyboardInterrupt):
        workspaces.add_files(built, [("承德.txt", CHENGDE), ("新.txt", QUZHOU + "又讯。".encode())], workers=1)
    assert len(calls) == 2
    assert snapshot(built.folder) == before
    assert sorted(p.name for p in built.folder.iterdir()) == [
        ".lock",
        "input",
        "resources",
        "tables",
        "upload_report.parquet",
    ]


def test_failed_table_write_leaves_the_workspace_as_it_was(
    built: workspaces.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built.folder)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "_swap_in", broken)
    with pytest.raises(OSError, match="disk full"):
        workspaces.add_files(built, [("承德.txt", CHENGDE)], workers=1)
    assert snapshot(built.folder) == before


def test_failed_swap_of_the_tables_puts_the_old_inputs_back(
    built: workspaces.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built.folder)
    real = workspaces._swap
    calls: list[Path] = []

    def second_fails(new: Path, current: Path, old: Path) -> None:
        calls.append(current)
        if current == built.tables:
            raise OSError("rename failed")
        real(new, current, old)

    monkeypatch.setattr(workspaces, "_swap", second_fails)
    with pytest.raises(OSError, match="rename failed"):
        workspaces.add_files(built, [("承德.txt", CHENGDE)], workers=1)
    assert calls == [built.input, built.tables]
    assert snapshot(built.folder) == before


def test_two_uploads_at_once_both_arrive(built: workspaces.Workspace) -> None:
    """Uploads to one workspace wait for each other, so neither replaces the other's files."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(workspaces.add_files, built, [("承德.txt", CHENGDE)], workers=1)
        second = pool.submit(workspaces.add_files, built, [("新.txt", QUZHOU + "又讯。".encode())], workers=1)
        first.result(), second.result()
    assert built.input_names() == ["承德.txt", "新.txt", "曲周.txt", "馆陶.txt"]
    docs = store.read_table(built.tables, "documents")
    assert sorted(docs["source_path"]) == sorted(built.input_names())


# --- resources and rebuild ----------------------------------------------------------------------------


def test_malformed_resource_is_not_saved(built: workspaces.Workspace) -> None:
    path = built.resource_dir / "userdict.txt"
    before = path.read_bytes()
    errors = workspaces.save_resource(built, "userdict.txt", "委员履职码 n\n界别活动组 3.5 n\n")
    assert [e.line for e in errors] == [2]
    assert path.read_bytes() == before


def test_saved_dictionary_is_applied_by_the_rebuild(built: workspaces.Workspace) -> None:
    def terms_of_guantao() -> dict[str, int]:
        terms = store.read_table(built.tables, "terms")
        mine = terms[terms["doc_id"].str.startswith("馆陶.txt")]
        return dict(zip(mine["term"], mine["count"], strict=True))

    assert "委员履职码" not in terms_of_guantao()
    text = workspaces.resource_text(built, "userdict.txt") + "\n委员履职码 n\n"
    assert workspaces.save_resource(built, "userdict.txt", text) == []
    assert "委员履职码" not in terms_of_guantao()  # saved, not applied until the rebuild
    summary = workspaces.rebuild(built, workers=1)
    assert terms_of_guantao()["委员履职码"] == 3  # the title, 推行委员履职码制度, 委员履职码让群众
    assert set(summary.recomputed) == {"terms", "keywords", "entities"}
    assert summary.reused_files == 2
    # the bundled dictionary is untouched
    assert "委员履职码" not in (BUNDLED / "userdict.txt").read_text(encoding="utf-8")


def test_stop_word_saved_and_applied(built: workspaces.Workspace) -> None:
    text = workspaces.resource_text(built, "stopwords.txt") + "\n群众\n"
    assert workspaces.save_resource(built, "stopwords.txt", text) == []
    workspaces.rebuild(built, workers=1)
    terms = store.read_table(built.tables, "terms")
    assert "群众" not in set(terms["term"])
    assert "政协" in set(terms["term"])


# --- command line ----------------------------------------------------------------------------------------


def test_command_line_builds_into_a_workspace(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workspaces.ROOT_ENV, str(root))
    folder = tmp_path / "材料"
    (folder / "2019").mkdir(parents=True)
    (folder / "2019" / "承德.txt").write_bytes(CHENGDE)
    (folder / "馆陶.txt").write_bytes(GUANTAO)
    (folder / "空.txt").write_bytes(b"")
    assert cli.main(["build", str(folder), "--workspace", "离线", "--workers", "1"]) == 0
    ws = workspaces.open_workspace("离线", root=root)
    assert ws.input_names() == ["2019/承德.txt", "空.txt", "馆陶.txt"]
    docs = store.read_table(ws.tables, "documents")
    assert sorted(docs["source_path"]) == ["2019/承德.txt", "馆陶.txt"]
    assert reasons(workspaces.last_report(ws))["空.txt"] == ("skipped", "empty file")
    assert cli.main(["build", str(folder), "--workspace", "../evil"]) == 2
    assert cli.main(["build", str(folder), "--workspace", "离线", "--out", str(tmp_path / "x")]) == 2
