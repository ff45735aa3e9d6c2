"""Shared helpers of the AppTest suites: run the app, record downloads, read charts and CSVs."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from lib import ui

ROOT = Path(__file__).resolve().parent.parent


def spy_downloads(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> dict[str, bytes]:
    """Point the app at ``corpus`` and record every download: file name -> bytes."""
    monkeypatch.setenv(ui.CORPUS_ENV, str(corpus))
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self: MemoryMediaFileStorage, path_or_data: Any, mimetype: str, kind: Any, filename: Any = None) -> str:
        if filename and isinstance(path_or_data, bytes):
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


def run_app(
    *, page: str | None = None, params: dict[str, str | list[str]] | None = None, timeout: int = 120
) -> AppTest:
    """Run the app with ``params`` in the URL, then switch to ``page``; fail on any exception."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figure specs on the page."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def read_csv(data: bytes, *, as_text: bool = False) -> pd.DataFrame:
    """A downloaded CSV, which must start with a UTF-8 byte-order mark."""
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark"
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str if as_text else None, keep_default_na=False)
