"""The corpus page in headless Chromium: a real upload of files and a zip through the file
picker, the ingest report, the sidebar switch in the URL, a malformed dictionary line, and
the reader's near-duplicate comparison. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from test_browser import Page, Server, browser, built, tab  # noqa: F401  (fixtures)

from lib import workspaces
from lib.resources import BUNDLED

pytestmark = pytest.mark.browser

GUANTAO = (
    "馆陶县政协推行委员履职码\n"
    "馆陶县政协在全县推行委员履职码制度，委员履职码让群众随时评议委员。"
    "全县共有政协委员156名，其中中共党员委员62名。"
)
CHENGDE = "承德市政协召开协商议事会\n承德市政协围绕生态保护召开协商议事会3次，提出意见建议40余条。"


@pytest.fixture(scope="module")
def ws_server(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:  # noqa: F811
    root = tmp_path_factory.mktemp("workspaces")
    old = os.environ.get(workspaces.ROOT_ENV)
    os.environ[workspaces.ROOT_ENV] = str(root)
    try:
        srv = Server(built, tmp_path_factory.mktemp("log") / "corpus.log")
    finally:
        if old is None:
            os.environ.pop(workspaces.ROOT_ENV, None)
        else:
            os.environ[workspaces.ROOT_ENV] = old
    yield srv, root
    srv.stop()


def test_upload_report_switch_and_validation(ws_server: tuple[Server, Path], tab: Page, tmp_path: Path) -> None:  # noqa: F811
    server, root = ws_server
    (tmp_path / "馆陶.txt").write_text(GUANTAO, encoding="utf-8")
    (tmp_path / "english.txt").write_text("The committee met twice.", encoding="utf-8")
    (tmp_path / "空白.txt").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "材料.zip", "w") as archive:
        archive.writestr("报告/承德.txt", CHENGDE)
        archive.writestr("../evil.txt", GUANTAO)
    tab.open(f"{server.url}/corpus")
    assert tab.errors() == 0
    assert "内置示例语料是只读的" in tab.text() or "内置示例语料（只读）" in tab.text()
    tab.shot("corpus-bundled")

    tab.page.get_by_label("语料名称", exact=True).fill("县级政协")
    tab.page.keyboard.press("Enter")
    tab.settle()
    tab.page.locator("input[type=file]").set_input_files(
        [str(tmp_path / n) for n in ("馆陶.txt", "english.txt", "空白.txt", "材料.zip")]
    )
    tab.page.wait_for_timeout(1500)
    tab.page.get_by_role("button", name="导入并生成数据表").click()
    # the build runs in the server: on a busy machine it takes longer than one settle
    tab.page.get_by_text("语料“县级政协”已更新", exact=False).wait_for(timeout=180_000)
    tab.settle()
    assert tab.errors() == 0
    body = tab.text()
    assert "语料“县级政协”已更新：3 个文件导入，2 个未导入" in body
    assert "当前语料：县级政协，4 个文件，3 篇文档" in body
    assert "corpus=" + quote("县级政协") in tab.page.url
    assert not (root / "evil.txt").exists() and not (root.parent / "evil.txt").exists()

    tab.page.get_by_role("tab", name="导入报告").click()
    tab.page.get_by_text("导入 3 个，跳过 2 个，出错 0 个", exact=False).wait_for(timeout=60_000)
    tab.shot("corpus-report")
    assert "导入 3 个，跳过 2 个，出错 0 个" in tab.text()  # the rows are drawn on a canvas: see the screenshot

    tab.page.get_by_role("tab", name="词典与规则").click()
    tab.page.wait_for_timeout(1500)
    tab.page.locator("textarea").first.fill("委员履职码 n\n界别活动组 3.5 n\n")
    tab.page.get_by_role("button", name="检查并保存").click()
    tab.page.get_by_text("有 1 行格式错误，未保存", exact=False).wait_for(timeout=60_000)
    tab.settle()
    tab.shot("corpus-invalid-line")
    assert "有 1 行格式错误，未保存" in tab.text()
    saved = (root / "县级政协" / "resources" / "userdict.txt").read_text(encoding="utf-8")
    assert saved == (BUNDLED / "userdict.txt").read_text(encoding="utf-8")  # nothing was saved
    assert tab.outside == []


def test_reader_compares_near_duplicates(ws_server: tuple[Server, Path], tab: Page) -> None:  # noqa: F811
    server, _ = ws_server
    tab.open(f"{server.url}/documents?doc={quote('001_57f2af2ad45aefa1.txt#08')}")
    assert tab.errors() == 0
    body = tab.text()
    assert "近似重复文档（1 篇）" in body
    assert "002_0f1e9368376be244.txt#05" in body
    tab.shot("documents-near-duplicates")
