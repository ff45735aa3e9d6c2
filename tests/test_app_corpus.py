"""The corpus page (AppTest): upload files and a zip into a named workspace with the ingest
report, the sidebar switch and the URL, editing resources with validation, and the rebuild.
The bundled corpus stays read-only."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import hand_corpus
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from lib import build, store, ui, workspaces

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/corpus.py"

GUANTAO = (
    "馆陶县政协推行委员履职码\n"
    "馆陶县政协在全县推行委员履职码制度，委员履职码让群众随时评议委员。"
    "全县共有政协委员156名，其中中共党员委员62名。"
).encode()
CHENGDE = ("承德市政协召开协商议事会\n承德市政协围绕生态保护召开协商议事会3次，提出意见建议40余条。").encode()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hand_corpus.write(tmp_path_factory.mktemp("hand") / "processed")


@pytest.fixture
def root(tmp_path: Path, bundled: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "workspaces"
    monkeypatch.setenv(ui.CORPUS_ENV, str(bundled))
    monkeypatch.setenv(workspaces.ROOT_ENV, str(folder))
    return folder


def run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    kinds = ("caption", "markdown", "success", "error", "warning", "info")
    parts = [getattr(e, "value", "") for kind in kinds for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def test_bundled_corpus_is_read_only(root: Path) -> None:
    at = run()
    assert "内置示例语料（只读），7 篇文档" in texts(at)
    assert at.selectbox(key="corpus").value == ""
    assert "内置示例语料是只读的" in texts(at)
    area = at.text_area(key="wsp_ro_userdict.txt")
    assert area.disabled
    assert "党员委员 n" in str(area.value)
    assert not [b for b in at.button if b.key == "wsp_save"]
    assert at.button(key="wsp_process").disabled  # no name yet
    at.text_input(key="wsp_name").input("县级政协")
    at.run()
    at.button(key="wsp_process").click()
    at.run()
    assert "请先选择要上传的文件" in texts(at)
    assert workspaces.list_workspaces(root=root) == []


def test_upload_makes_a_workspace_with_a_report(root: Path) -> None:
    at = run()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("报告/承德.txt", CHENGDE)
        zf.writestr("../evil.txt", GUANTAO)
    at.text_input(key="wsp_name").input("县级政协")
    at.run()
    assert "将新建语料“县级政协”" in texts(at)
    uploader = at.get("file_uploader")[0]
    assert isinstance(uploader, FileUploader)
    uploader.set_value(
        [
            ("馆陶.txt", GUANTAO, "text/plain"),
            ("材料.zip", archive.getvalue(), "application/zip"),
            ("空白.txt", b"", "text/plain"),
        ]
    )
    at.button(key="wsp_process").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "语料“县级政协”已更新：2 个文件导入，2 个未导入" in texts(at)
    assert at.selectbox(key="corpus").value == "县级政协"
    assert at.query_params["corpus"] == "县级政协"
    assert "当前语料：县级政协，3 个文件，2 篇文档" in texts(at)
    report = at.dataframe[0].value
    rows = {r.source_path: (r.status, r.reason) for r in report.itertuples()}
    assert rows["材料.zip/../evil.txt"] == ("skipped", "path leads out of its folder (../): refused")
    assert rows["空白.txt"] == ("skipped", "empty file")
    assert rows["报告/承德.txt"][0] == "ok" and rows["馆陶.txt"][0] == "ok"
    assert not (root / "evil.txt").exists() and not (root.parent / "evil.txt").exists()
    # the other pages now read the workspace
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception
    assert at.query_params["corpus"] == "县级政协"


def test_corpus_in_the_url_and_resources_edited_then_rebuilt(root: Path) -> None:
    ws = workspaces.create_workspace("承德", root=root)
    workspaces.add_files(ws, [("馆陶.txt", GUANTAO)], workers=1)
    at = run({"corpus": "承德"})
    assert at.selectbox(key="corpus").value == "承德"
    assert "当前语料：承德，1 个文件，1 篇文档" in texts(at)
    key = "wsp_text_承德_userdict.txt"
    original = str(at.text_area(key=key).value)
    before = (ws.resource_dir / "userdict.txt").read_bytes()
    at.text_area(key=key).input(original + "\n委员履职码 n\n界别活动组 3.5 n\n")
    at.button(key="wsp_save").click()
    at.run()
    assert "有 1 行格式错误，未保存" in texts(at)
    errors = next(d.value for d in at.dataframe if list(d.value.columns) == ["line", "message"])
    assert list(errors["line"]) == [len(original.splitlines()) + 3]
    assert "whole number" in errors["message"].iloc[0]
    assert (ws.resource_dir / "userdict.txt").read_bytes() == before
    at.text_area(key=key).input(original + "\n委员履职码 n\n")
    at.button(key="wsp_save").click()
    at.run()
    assert "已保存" in texts(at)
    assert "已保存但尚未应用的修改：userdict.txt" in texts(at)
    at.button(key="wsp_rebuild").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已重新生成：1 个文件中 1 个沿用上次结果" in texts(at)
    assert "尚未应用" not in texts(at)
    terms = store.read_table(ws.tables, "terms")
    assert "委员履职码" in set(terms["term"])


def test_bad_name_is_refused(root: Path) -> None:
    at = run()
    at.text_input(key="wsp_name").input("../evil")
    at.run()
    assert "名称只能由字母、数字、汉字" in texts(at)
    assert at.button(key="wsp_process").disabled
    assert workspaces.list_workspaces(root=root) == []


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "processed"
    build.build([ROOT / "data" / "corpus"], out=out, workers=1)
    return out


def test_reader_shows_near_duplicates_and_what_differs(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """001's 篇八 is 002's 承德 speech with the names taken out (xx市, xjp)."""
    monkeypatch.setenv(ui.CORPUS_ENV, str(seeds))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["doc"] = "001_57f2af2ad45aefa1.txt#08"
    at.run()
    at.switch_page("pages/documents.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    siblings = next(f for f in frames if "similarity" in f.columns)
    assert list(siblings["doc_id"]) == ["002_0f1e9368376be244.txt#05"]
    changes = next(f for f in frames if "本文" in f.columns)
    pairs = list(zip(changes["本文"], changes["另一篇"], strict=True))
    assert any("xjp总书记" in a and "习近平总书记" in b for a, b in pairs)
    assert any("xx市政协党组" in a and "承德市政协党组" in b for a, b in pairs)
    assert set(changes["差异"]) <= {"改写", "仅本文有", "仅另一篇有"}
