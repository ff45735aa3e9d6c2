"""The real app in headless Chromium: pages, navigation, URL state, downloads, offline map.

Starts ``streamlit run dashboard.py`` on a free port against a corpus this test builds
from data/corpus (and a second server on the hand-read corpus of tests/hand_corpus.py,
whose regions and texts are known), drives the system Chromium (Debian's ``chromium``
package, which ./manage test installs) with Playwright, blocks every request that does
not go to the local server, and saves screenshots to tests/screenshots/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import hand_corpus
import pandas as pd
import pytest

from lib import i18n, ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
SEED_003 = "003_43cb40c7cae0b93c.txt"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, corpus: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, **{ui.CORPUS_ENV: str(corpus)})
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {log}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "processed"
    subprocess.run(
        [sys.executable, "-m", "lib", "build", str(ROOT / "data" / "corpus"), "--out", str(out), "--workers", "1"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def server(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(built, tmp_path_factory.mktemp("log") / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def hand_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = hand_corpus.write(tmp_path_factory.mktemp("hand") / "processed")
    srv = Server(folder, tmp_path_factory.mktemp("log") / "hand.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("the browser tests need /usr/bin/chromium (./manage test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


class Page:
    """A browser tab that may only talk to the local server; outside requests are recorded."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 2200}, accept_downloads=True)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:).*"), self._block)

    def _block(self, route: object) -> None:
        self.outside.append(route.request.url)  # type: ignore[attr-defined]
        route.abort()  # type: ignore[attr-defined]

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.settle()

    def settle(self) -> None:
        self.page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        # wait until the script run has finished and every widget has loaded
        self.page.wait_for_function(
            "() => !document.querySelector(\"[data-testid='stStatusWidget'], [data-testid='stSkeleton']\")",
            timeout=60_000,
        )
        self.page.wait_for_timeout(800)

    def text(self) -> str:
        return str(self.page.inner_text("body"))

    def errors(self) -> int:
        return int(self.page.locator("[data-testid='stException']").count())

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: object) -> Iterator[Page]:
    page = Page(browser)
    yield page
    page.close()


def test_first_load_of_a_page_url_runs_inside_the_frame(server: Server, tab: Page) -> None:
    """The very first request of a fresh server names a page: it still gets the sidebar."""
    tab.open(f"{server.url}/documents?src={SEED_003}")
    assert tab.errors() == 0
    assert tab.page.locator("h1", has_text="文档阅读").count() == 1
    sidebar = tab.page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("筛选", exact=True).count() == 1
    # the file filter from the URL is applied and shown in the sidebar
    assert f"当前筛选：{SEED_003}" in tab.text()
    assert sidebar.locator(f"[title='{SEED_003}']").count() >= 1
    assert tab.page.locator("[data-testid='stSidebarNav']").count() == 0
    assert tab.outside == []


def test_overview(server: Server, built: Path, tab: Page) -> None:
    tab.open(server.url)
    assert tab.errors() == 0
    body = tab.text()
    assert "语料概览" in body and "各地区文档数" in body and "文档数" in body
    docs = pd.read_parquet(built / "documents.parquet")
    first_metric = tab.page.locator("[data-testid='stMetricValue']").first.inner_text()
    assert first_metric.replace(",", "") == str(len(docs))
    # map, type, year, region and source-file charts (plotly.js loads after the page)
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 5", timeout=30_000)
    # the map: one SVG outline per province from our GeoJSON, with nothing fetched
    tab.page.wait_for_selector(".choroplethlayer path", timeout=30_000)
    assert tab.page.locator(".choroplethlayer path").count() == 34
    assert tab.page.locator(".modebar-btn[data-title='Download plot as a PNG']").count() >= 5  # PNG export
    # one link per page of ui.PAGES, with our titles, and no automatic page list
    links = tab.page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']")
    titles = [links.nth(i).inner_text().strip() for i in range(links.count())]
    assert titles == [i18n.translate(label, "zh") for _, label, _ in ui.PAGES]
    assert titles[:2] == ["概览", "文档阅读"]
    assert tab.page.locator("[data-testid='stSidebarNav']").count() == 0
    assert tab.outside == []
    tab.shot("overview")


def test_csv_download(server: Server, built: Path, tab: Page) -> None:
    tab.open(f"{server.url}/?src={SEED_003}")
    buttons = tab.page.get_by_role("button", name=re.compile("下载 CSV"))
    with tab.page.expect_download() as info:
        buttons.last.click()  # the documents table
    download = info.value
    assert download.suggested_filename == f"overview-documents_{SEED_003}.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    docs = pd.read_parquet(built / "documents.parquet")
    expected = docs[docs["source_path"] == SEED_003]
    lines = data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + len(expected)  # header + exactly the rows shown
    assert all(SEED_003 in line for line in lines[1:])


def test_filters_live_in_the_url_across_pages(server: Server, built: Path, tab: Page) -> None:
    docs = pd.read_parquet(built / "documents.parquet")
    n = int((docs["source_path"] == SEED_003).sum())
    tab.open(f"{server.url}/?src={SEED_003}&lang=en")
    assert "Corpus at a glance" in tab.text()
    assert tab.page.locator("[data-testid='stMetricValue']").first.inner_text() == str(n)
    tab.page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", has_text="Documents").click()
    tab.page.wait_for_url(re.compile(r"/documents\?"), timeout=30_000)
    tab.settle()
    assert "Document reader" in tab.text()
    url = tab.page.url
    assert f"src={SEED_003}" in url and "lang=en" in url and "doc=" in url
    assert tab.errors() == 0
    tab.shot("documents-en")
    # a copied URL opens the same page with the same filters
    other = Page(tab.context.browser)
    try:
        other.open(url)
        assert "Document reader" in other.text()
        assert f"Active filters: {SEED_003}" in other.text()
        assert other.page.locator(f"[data-testid='stSidebar'] [title='{SEED_003}']").count() >= 1
        assert other.errors() == 0
    finally:
        other.close()


def test_hand_corpus_map_reader_and_escaping(hand_server: Server, tab: Page) -> None:
    tab.open(f"{hand_server.url}/?prov={quote('河北省')}")
    assert tab.errors() == 0
    assert tab.page.locator("[data-testid='stMetricValue']").first.inner_text() == "5"
    # zoomed to 河北省: its 11 prefecture-level cities
    tab.page.wait_for_selector(".choroplethlayer path", timeout=30_000)
    assert tab.page.locator(".choroplethlayer path").count() == 11
    assert tab.outside == []
    tab.shot("overview-hebei")

    tab.open(f"{hand_server.url}/documents?doc={quote('003.txt#01')}")
    marks = tab.page.locator(".zx-doc mark.zx-statistic")
    assert "72名党员委员" in [marks.nth(i).inner_text() for i in range(marks.count())]
    tab.shot("documents")

    tab.open(f"{hand_server.url}/documents?doc={quote('web.html#01')}")
    shown = tab.page.locator(".zx-doc").inner_text()
    assert "<script>alert('xss')</script>" in shown and "<b>加粗</b>" in shown
    assert tab.page.locator(".zx-doc script, .zx-doc b").count() == 0
    assert tab.errors() == 0
    tab.shot("documents-escaped")


def test_empty_result_message(hand_server: Server, tab: Page) -> None:
    tab.open(f"{hand_server.url}/?q={quote('不存在的说法')}")
    assert "没有符合当前筛选条件的文档" in tab.text()
    assert tab.errors() == 0
    assert tab.page.locator(".js-plotly-plot").count() == 0
    tab.shot("overview-empty")


def test_coverage_and_statistics_pages(server: Server, tab: Page) -> None:
    hebei = quote("河北省")
    tab.open(f"{server.url}/coverage?prov={hebei}")
    assert tab.errors() == 0
    body = tab.text()
    assert "覆盖分析" in body and "主题 × 地区" in body and "组织覆盖情况" in body
    # heatmap and the theme map (zoomed to the 11 cities of 河北省), drawn offline
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=30_000)
    tab.page.wait_for_selector(".choroplethlayer path", timeout=30_000)
    assert tab.page.locator(".choroplethlayer path").count() == 11
    assert tab.page.locator(".heatmaplayer").count() == 1
    assert tab.outside == []
    tab.shot("coverage-hebei")

    tab.open(f"{server.url}/statistics?prov={hebei}")
    assert tab.errors() == 0
    assert "统计数字列表" in tab.text() and "同一对象在各地区的数值" in tab.text()
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=30_000)
    assert tab.page.get_by_role("button", name=re.compile("下载 CSV")).count() == 3
    assert tab.outside == []
    tab.shot("statistics-hebei")

    # a row's link opens its document on the reader with the filters kept
    from lib.links import document_url

    tab.open(f"{server.url}/" + document_url(SEED_003 + "#01", params={"prov": "河北省"}))
    assert tab.errors() == 0
    assert "文档阅读" in tab.text() and "当前筛选：河北省" in tab.text()
    assert "曲周县政协在河北省率先实现" in tab.page.locator(".zx-doc").inner_text()


def test_terms_and_compare_pages(server: Server, tab: Page) -> None:
    tab.open(f"{server.url}/terms")
    assert tab.errors() == 0
    body = tab.text()
    assert "词频分析" in body and "高频词" in body and "词云" in body
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 1", timeout=30_000)
    # the bar chart names the most frequent term of the seed corpus; the cloud is an image
    assert tab.page.locator(".js-plotly-plot").first.get_by_text("政协", exact=True).count() >= 1
    assert tab.page.locator("[data-testid='stImage'] img").count() == 1
    assert tab.outside == []
    tab.shot("terms")

    tab.open(f"{server.url}/terms?view=kwic")
    assert tab.errors() == 0 and "检索词" in tab.text()
    tab.shot("terms-kwic")
    tab.open(f"{server.url}/terms?view=network")
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=30_000)
    assert tab.errors() == 0
    tab.shot("terms-network")

    tab.open(f"{server.url}/compare?groups={quote('河北省|四川省')}")
    assert tab.errors() == 0
    body = tab.text()
    assert "对比分析" in body and "各组的特征词" in body and "两组词频散点图" in body
    # scatter, theme shares and statistics per group
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=30_000)
    assert tab.page.get_by_role("button", name=re.compile("下载 CSV")).count() >= 5
    assert tab.outside == []
    tab.shot("compare")
