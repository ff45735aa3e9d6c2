"""The Streamlit side of the app: corpus loaders, sidebar filters, URL state, downloads,
labels, charts, the map and the highlighted text.

This is the one module in lib/ that imports streamlit. Pages use:

- ``filtered_tables()``: every table restricted to the current filters;
- ``all_tables()``: the unfiltered corpus (e.g. for the options of a widget);
- ``t(key, **values)``: a label in the current language (data/i18n.csv);
- ``table(frame, view=...)`` / ``chart(fig, data=..., view=...)`` / ``download(frame, view=...)``:
  show a table or a Plotly chart with its CSV download;
- ``empty_notice()``: the friendly message for a filter that matches nothing;
- ``page_param(name)`` / ``set_page_param(name, value)``: page state kept in the URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from lib import (
    export,
    filters,
    highlight,
    i18n,
    maps,
    number_format,
    queries,
    store,
    termindex,
    textstore,
    workspaces,
)
from lib.filters import Filters
from lib.resources import DATA, ROOT

CORPUS_ENV = "ZHENGXIE_CORPUS"
DEFAULT_CORPUS = DATA / "processed"
BUNDLED_INPUT = DATA / "corpus"
LAZY_DOWNLOAD_ROWS = 2_000  # larger CSVs are written when the button is clicked, not on every run
# Up to this many source files the sidebar lists them all; with more, a typed part of the
# path finds them (the browser would receive every path on every run).
SOURCE_OPTIONS_MAX = 2_000
SOURCE_MATCHES_SHOWN = 100

_W = "flt_"  # widget-key prefix of the shared filters
_STATE_URL_LOADED = "_url_loaded"
_STATE_URL_INITIAL = "_url_initial"
_STATE_PAGE_PARAMS = "_page_params"
_STATE_FILTERS = "_filters"


# ---------------------------------------------------------------- corpus and loaders


def corpus_dir() -> Path:
    """The built corpus folder the app reads: the tables of the workspace chosen in the
    sidebar, else $ZHENGXIE_CORPUS, else data/processed."""
    name = chosen_workspace()
    if name:
        return workspaces.open_workspace(name).tables
    env = os.environ.get(CORPUS_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else DEFAULT_CORPUS


_CORPUS = "corpus"  # widget key and URL parameter of the corpus switch ("" = the bundled corpus)
_CORPUS_CHOICE = "_corpus_choice"  # the choice itself, kept apart from the widget's own state


def built_workspaces() -> list[str]:
    """Names of the workspaces that have tables."""
    return [n for n in workspaces.list_workspaces() if workspaces.open_workspace(n).is_built()]


def chosen_workspace() -> str:
    """The workspace chosen in the sidebar, "" for the bundled corpus (or a vanished workspace)."""
    try:
        name = str(st.session_state.get(_CORPUS_CHOICE) or "")
    except Exception:  # outside a script run
        return ""
    if not name or workspaces.name_error(name):
        return ""
    try:
        return name if workspaces.open_workspace(name).is_built() else ""
    except KeyError:
        return ""


def switch_corpus(name: str) -> None:
    """Show workspace ``name`` ("" for the bundled corpus) from the next run on."""
    st.session_state[_CORPUS_CHOICE] = name


def _corpus_changed() -> None:
    st.session_state[_CORPUS_CHOICE] = st.session_state.get(_CORPUS) or ""


def corpus_switch() -> None:
    """The sidebar's choice between the bundled corpus and the built workspaces."""
    options = ["", *built_workspaces()]
    chosen = chosen_workspace()
    st.session_state[_CORPUS_CHOICE] = chosen
    st.session_state[_CORPUS] = chosen if chosen in options else ""
    bundled = t("workspace.bundled")  # formatted now: the format function may run outside the script
    st.selectbox(
        t("workspace.switch"),
        options,
        key=_CORPUS,
        format_func=lambda v: v or bundled,
        help=t("workspace.switch_help"),
        on_change=_corpus_changed,
    )


def _stamp(folder: Path) -> str:
    """A version of a built folder that changes whenever a build replaces it."""
    try:
        info = (folder / store.MANIFEST).stat()
    except FileNotFoundError:
        return ""
    return f"{info.st_mtime_ns}-{info.st_size}"


# The documents' text is the largest column by far; it is held apart, compressed (``texts()``).
HELD_APART = {"documents": ("text",)}


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(folder: str, stamp: str) -> store.LazyTables:
    return store.LazyTables(Path(folder), without=HELD_APART)


@st.cache_resource(max_entries=2, show_spinner=False)
def _texts(folder: str, stamp: str) -> textstore.TextStore:
    held = textstore.TextStore(store.iter_batches(Path(folder), "documents", columns=["doc_id", "text"]))
    pa.default_memory_pool().release_unused()  # the decoded pages, freed, go back to the system
    return held


@st.cache_resource(max_entries=2, show_spinner=False)
def _term_index(folder: str, stamp: str) -> termindex.TermIndex:
    path = Path(folder)
    columns = ["doc_id", "term", "pos", "count"]
    batches = store.iter_batches(path, "terms", columns=columns, batch_size=1 << 20, dictionary=columns[:3])
    docs = _load(folder, stamp)["documents"]["doc_id"].astype(str)
    index = termindex.from_batches(batches, doc_ids=docs, rows=store.row_count(path, "terms"))
    pa.default_memory_pool().release_unused()
    return index


@st.cache_resource(max_entries=4, show_spinner=False)
def _manifest(folder: str, stamp: str) -> dict[str, Any]:
    return store.read_manifest(Path(folder))


@st.cache_resource(max_entries=8, show_spinner=False)
def _filtered(folder: str, stamp: str, query: str) -> filters.Restricted:
    chosen = filters.from_query_params(json.loads(query))

    def search(needle: str, ignore_case: bool) -> pd.Index:
        return _texts(folder, stamp).containing(needle, ignore_case=ignore_case)

    return filters.Restricted(chosen, _load(folder, stamp), text_search=search)


def ensure_corpus(folder: Path | None = None) -> Path:
    """The corpus folder, built from the bundled corpus first if it is the default and missing.

    Any other missing folder stops the page with a message saying how to build it.
    """
    folder = folder or corpus_dir()
    if store.is_built(folder):
        return folder
    if folder == DEFAULT_CORPUS and BUNDLED_INPUT.is_dir():
        with st.spinner(t("corpus.building")):
            subprocess.run(
                [sys.executable, "-m", "lib", "build", "--out", str(folder)], cwd=ROOT, check=False, capture_output=True
            )
        if store.is_built(folder):
            return folder
    st.info(t("corpus.missing"))
    st.stop()
    raise AssertionError("unreachable")


def all_tables() -> Mapping[str, pd.DataFrame]:
    """Every table of the corpus, unfiltered, each read on first use (cached; treat as read-only).

    The documents come without their text: see ``texts()`` and ``text_of()``. The ``terms``
    table is for export only; views count terms with ``term_index()``.
    """
    folder = corpus_dir()
    return _load(str(folder), _stamp(folder))


def texts() -> textstore.TextStore:
    """The cleaned text of every document of the corpus (read once per build, held compressed)."""
    folder = corpus_dir()
    return _texts(str(folder), _stamp(folder))


def text_of(doc_id: str) -> str:
    """The cleaned text of one document."""
    return texts().text(doc_id)


def with_text(documents: pd.DataFrame) -> pd.DataFrame:
    """``documents`` (any of its columns) with the ``text`` column added, for the views that read it."""
    found = texts().texts(documents["doc_id"].astype(str))
    return documents.reset_index(drop=True).assign(text=found["text"].to_numpy())


def term_index() -> termindex.TermIndex:
    """The ``terms`` table of the corpus as integer ids (built once per build)."""
    folder = corpus_dir()
    return _term_index(str(folder), _stamp(folder))


def manifest() -> dict[str, Any]:
    folder = corpus_dir()
    return _manifest(str(folder), _stamp(folder))


def view_key() -> str:
    """A key that changes with the corpus build and the current filters.

    Pages pass it to their ``st.cache_data`` functions so a cached result is reused
    only for the same corpus and the same filters.
    """
    folder = corpus_dir()
    query = json.dumps(filters.to_query_params(current_filters()), ensure_ascii=False, sort_keys=True)
    return f"{folder}|{_stamp(folder)}|{query}"


def corpus_key() -> str:
    """A key that changes with the corpus build (not with the filters), for caches of the whole corpus."""
    folder = corpus_dir()
    return f"{folder}|{_stamp(folder)}"


def filtered_tables() -> Mapping[str, pd.DataFrame]:
    """Every table restricted to the current sidebar filters, each when first used (cached; read-only)."""
    folder = corpus_dir()
    query = json.dumps(filters.to_query_params(current_filters()), ensure_ascii=False, sort_keys=True)
    return _filtered(str(folder), _stamp(folder), query)


# ---------------------------------------------------------------- language


def lang() -> str:
    return i18n.language(st.session_state.get("lang"))


def t(key: str, /, **values: object) -> str:
    """The label ``key`` in the current language."""
    return i18n.translate(key, lang(), **values)


def column_labels(frame: pd.DataFrame) -> dict[str, Any]:
    """Column headers in the current language for ``st.dataframe`` (data keeps its names)."""
    out: dict[str, Any] = {}
    for col in frame.columns:
        key = f"col.{col}"
        if key in i18n.labels():
            out[str(col)] = st.column_config.Column(label=t(key))
    return out


# ---------------------------------------------------------------- URL state


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def load_url_state() -> None:
    """On the first run of a session, copy the URL's query string into the widget state."""
    if st.session_state.get(_STATE_URL_LOADED):
        return
    params = _query_params()
    st.session_state[_STATE_URL_INITIAL] = params
    chosen = filters.from_query_params(params)
    _set_widgets(chosen)
    lang_values = params.get("lang") or []
    corpus_values = params.get(_CORPUS) or []
    st.session_state[_CORPUS_CHOICE] = corpus_values[-1] if corpus_values else ""
    st.session_state["lang"] = i18n.language(lang_values[-1] if lang_values else None)
    st.session_state[_STATE_URL_LOADED] = True


def _set_widgets(chosen: Filters) -> None:
    st.session_state[_W + "province"] = chosen.province
    st.session_state[_W + "city"] = chosen.city
    st.session_state[_W + "county"] = chosen.county
    st.session_state[_W + "levels"] = list(chosen.levels)
    st.session_state[_W + "themes"] = list(chosen.themes)
    st.session_state[_W + "doc_types"] = list(chosen.doc_types)
    st.session_state[_W + "sources"] = list(chosen.sources)
    st.session_state[_W + "search"] = chosen.search
    st.session_state[_W + "reprints_once"] = chosen.reprints_once
    st.session_state[_W + "date_url"] = (chosen.date_from, chosen.date_to)
    st.session_state.pop(_W + "date", None)


def page_param(name: str, default: str = "") -> str:
    """A page's own URL parameter: its value from the URL the session opened with."""
    initial = st.session_state.get(_STATE_URL_INITIAL, {}).get(name) or []
    return str(initial[-1]) if initial else default


def set_page_param(name: str, value: str) -> None:
    """Keep ``name=value`` in the URL for the page being shown."""
    st.session_state.setdefault(_STATE_PAGE_PARAMS, {})[name] = value


def url_params(chosen: Filters | None = None) -> dict[str, str | list[str]]:
    """The shared query parameters: the filters and the language."""
    params = filters.to_query_params(chosen if chosen is not None else current_filters())
    if lang() != i18n.DEFAULT_LANGUAGE:
        params["lang"] = lang()
    if chosen_workspace():
        params[_CORPUS] = chosen_workspace()
    return params


_STATE_FRAME = "_frame_running"


def begin_page_run() -> None:
    """Called by dashboard.py at the start of every run, before the page."""
    st.session_state[_STATE_PAGE_PARAMS] = {}
    st.session_state[_STATE_FRAME] = True


def end_page_run() -> None:
    st.session_state.pop(_STATE_FRAME, None)
    write_url()
    pa.default_memory_pool().release_unused()  # what the run's computations freed goes back to the system


def require_frame() -> None:
    """Make sure a page runs inside dashboard.py (navigation, filters, URL state).

    Because the project keeps its pages in a folder named ``pages/``, Streamlit runs the
    very first script of a fresh server process in its old folder-based mode, which
    executes a page file on its own when the URL names that page. Registering the
    navigation switches that mode off; the rerun then goes through dashboard.py.
    """
    if st.session_state.get(_STATE_FRAME):
        return
    st.navigation(app_pages(), position="hidden")
    st.rerun()


# The pages of the app: file, label key, URL path. The first one is the home page.
# (No page icons: a page icon becomes the favicon, and Material icons are fetched online.)
PAGES: list[tuple[str, str, str]] = [
    ("pages/overview.py", "nav.overview", "overview"),
    ("pages/documents.py", "nav.documents", "documents"),
    ("pages/coverage.py", "nav.coverage", "coverage"),
    ("pages/statistics.py", "nav.statistics", "statistics"),
    ("pages/corpus.py", "nav.corpus", "corpus"),
    ("pages/terms.py", "nav.terms", "terms"),
    ("pages/compare.py", "nav.compare", "compare"),
]


def app_pages() -> list[Any]:
    """The ``st.Page`` objects of ``PAGES`` with titles in the current language."""
    return [
        st.Page(str(ROOT / path), title=t(label), url_path=url, default=i == 0)
        for i, (path, label, url) in enumerate(PAGES)
    ]


def write_url() -> None:
    """Put the current filters, language and page parameters into the URL."""
    params = url_params()
    for name, value in st.session_state.get(_STATE_PAGE_PARAMS, {}).items():
        if value:
            params[name] = value
    wanted = {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}
    if wanted != _query_params():
        if params:
            st.query_params.from_dict(params)
        else:
            st.query_params.clear()  # from_dict({}) would not tell the browser


# ---------------------------------------------------------------- sidebar filters


def current_filters() -> Filters:
    """The filters the sidebar set in this run (defaults before it ran)."""
    value = st.session_state.get(_STATE_FILTERS)
    return value if isinstance(value, Filters) else Filters()


def _options(series: pd.Series) -> list[str]:
    return sorted({str(v).strip() for v in series.dropna().unique()} - {""})


def _keep_valid(key: str, options: list[str]) -> None:
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value not in options:
        st.session_state[key] = ""


def _reset_filters() -> None:
    _set_widgets(Filters())
    st.session_state[_W + "source_find"] = ""
    st.session_state[_W + "date"] = None


@st.cache_resource(max_entries=256, show_spinner=False)
def _choices(
    key: str, _tables: Mapping[str, pd.DataFrame], table: str, column: str, within: tuple[str, ...]
) -> list[str]:
    """The options of a filter widget, once per corpus build (``key``) and enclosing region.

    ``within`` is (province, city) for the cascade of region widgets; the tables are not hashed.
    """
    frame = _tables[table]
    for name, value in zip(("province", "city"), within, strict=False):
        if value:
            frame = frame[frame[name].eq(value)]
    return _options(frame[column])


def sidebar_filters(tables: Mapping[str, pd.DataFrame]) -> Filters:
    """Render the shared filters in the sidebar and return them."""
    key = corpus_key()

    def options(column: str, *within: str, table: str = "documents") -> list[str]:
        return _choices(key, tables, table, column, within)  # type: ignore[arg-type]

    any_label = t("filters.any")
    sb = st.sidebar
    sb.subheader(t("filters.header"))

    provinces = ["", *options("province")]
    _keep_valid(_W + "province", provinces)
    province = sb.selectbox(t("filters.province"), provinces, key=_W + "province", format_func=lambda v: v or any_label)
    cities = ["", *options("city", province or "")]
    _keep_valid(_W + "city", cities)
    city = sb.selectbox(t("filters.city"), cities, key=_W + "city", format_func=lambda v: v or any_label)
    counties = ["", *options("county", province or "", city or "")]
    _keep_valid(_W + "county", counties)
    county = sb.selectbox(t("filters.county"), counties, key=_W + "county", format_func=lambda v: v or any_label)

    _keep_valid(_W + "levels", list(filters.LEVELS))
    levels = sb.multiselect(
        t("filters.level"),
        list(filters.LEVELS),
        key=_W + "levels",
        format_func=lambda v: t(f"level.{v}"),
        placeholder=t("filters.choose"),
    )
    theme_options = options("theme", table="themes")
    _keep_valid(_W + "themes", theme_options)
    themes = sb.multiselect(t("filters.theme"), theme_options, key=_W + "themes", placeholder=t("filters.choose"))
    type_options = options("doc_type")
    _keep_valid(_W + "doc_types", type_options)
    doc_types = sb.multiselect(
        t("filters.doc_type"), type_options, key=_W + "doc_types", placeholder=t("filters.choose")
    )

    date_from, date_to = _date_widget(_date_range(key, tables))

    sources = _source_widget(key, tables)
    search = sb.text_input(t("filters.search"), key=_W + "search", help=t("filters.search_help"))
    once = sb.toggle(t("filters.reprints_once"), key=_W + "reprints_once", help=t("filters.reprints_help"))
    chosen = filters.normalized(
        Filters(
            province=province or "",
            city=city or "",
            county=county or "",
            levels=tuple(levels),
            themes=tuple(themes),
            doc_types=tuple(doc_types),
            date_from=date_from,
            date_to=date_to,
            sources=tuple(sources),
            search=search or "",
            reprints_once=bool(once),
        )
    )
    sb.button(t("filters.reset"), on_click=_reset_filters, disabled=chosen.is_default(), key=_W + "reset")
    st.session_state[_STATE_FILTERS] = chosen
    return chosen


@st.cache_resource(max_entries=16, show_spinner=False)
def _source_paths(key: str, _tables: Mapping[str, pd.DataFrame]) -> tuple[pa.Array, frozenset[str]]:
    """Every source path of the corpus, sorted, as an Arrow array and a set; once per build."""
    paths = _choices(key, _tables, "documents", "source_path", ())
    return pa.array(paths, type=pa.string()), frozenset(paths)


def source_matches(paths: pa.Array, needle: str, *, limit: int) -> tuple[list[str], int]:
    """The first ``limit`` of ``paths`` containing ``needle`` (case-blind) and how many do."""
    needle = needle.strip()
    if not needle:
        return [], 0
    hits = paths.filter(pc.match_substring(paths, needle, ignore_case=True))
    return hits.slice(0, limit).to_pylist(), len(hits)


def _source_widget(key: str, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The source-file filter: all files as options when there are few, else found by a typed part of the path."""
    sb = st.sidebar
    paths, known = _source_paths(key, tables)
    if len(paths) <= SOURCE_OPTIONS_MAX:
        options = paths.to_pylist()
        _keep_valid(_W + "sources", options)
        return sb.multiselect(t("filters.source"), options, key=_W + "sources", placeholder=t("filters.choose"))
    chosen = [v for v in st.session_state.get(_W + "sources") or [] if v in known]
    st.session_state[_W + "sources"] = chosen
    needle = sb.text_input(
        t("filters.source_find"),
        key=_W + "source_find",
        placeholder=t("filters.source_find_placeholder"),
        help=t("filters.source_find_help", files=number_format.exact(len(paths))),
    )
    found, total = source_matches(paths, needle or "", limit=SOURCE_MATCHES_SHOWN)
    if needle and needle.strip():
        if total > len(found):
            sb.caption(t("filters.source_found_some", shown=len(found), total=number_format.exact(total)))
        else:
            sb.caption(t("filters.source_found", total=total))
    options = chosen + [p for p in found if p not in set(chosen)]
    return sb.multiselect(t("filters.source"), options, key=_W + "sources", placeholder=t("filters.choose"))


@st.cache_resource(max_entries=16, show_spinner=False)
def _date_range(key: str, _tables: Mapping[str, pd.DataFrame]) -> tuple[date, date] | None:
    """The first and last day the corpus's dates cover (None without dates), once per build."""
    known = _tables["documents"]["date"].fillna("").astype(str)
    known = known[known.str.match(r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    if known.empty:
        return None
    return _as_date(known.min(), end=False), _as_date(known.max(), end=True)


def _date_widget(bounds: tuple[date, date] | None) -> tuple[str, str]:
    """The date-range widget; returns ISO from/to, empty when the whole range is chosen."""
    pending = st.session_state.pop(_W + "date_url", None)
    if bounds is None:
        return pending if pending and any(pending) else ("", "")  # type: ignore[return-value]
    lo, hi = bounds
    if pending is not None:
        start = _clamp(pending[0], lo, hi) if pending[0] else lo
        end = _clamp(pending[1], lo, hi) if pending[1] else hi
        st.session_state[_W + "date"] = (start, end)
    value = st.session_state.get(_W + "date")
    if not isinstance(value, tuple) or not value:
        st.session_state[_W + "date"] = (lo, hi)
    else:
        st.session_state[_W + "date"] = tuple(_clamp(v.isoformat(), lo, hi) for v in value)
    picked = st.sidebar.date_input(
        t("filters.date"),
        min_value=lo,
        max_value=hi,
        key=_W + "date",
        help=t("filters.date_help"),
        format="YYYY-MM-DD",
    )
    values = list(picked) if isinstance(picked, tuple) else [picked]
    start = values[0] if values and values[0] else lo
    end = values[1] if len(values) > 1 and values[1] else hi
    return ("" if start == lo else start.isoformat(), "" if end == hi else end.isoformat())


def _as_date(text: str, *, end: bool) -> date:
    parts = text.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    day = int(parts[2]) if len(parts) > 2 else (31 if end and month == 12 else 1)
    if end and len(parts) == 2:
        day = (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).day
    return date(year, month, day)


def _clamp(text: str, lo: date, hi: date) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return lo
    return min(max(value, lo), hi)


def filter_caption() -> None:
    """One line naming the active filters."""
    f = filters.normalized(current_filters())
    parts = [p for p in (f.province, f.city, f.county) if p]
    parts += [t(f"level.{v}") for v in f.levels] + list(f.themes) + list(f.doc_types)
    if f.date_from or f.date_to:
        parts.append(f"{f.date_from or '…'} ~ {f.date_to or '…'}")
    parts += [s.rsplit("/", 1)[-1] for s in f.sources]
    if f.search:
        parts.append(f"{t('filters.search')}“{f.search}”")
    if f.reprints_once:
        parts.append(t("filters.reprints_once"))
    st.caption(t("filters.active", filters=" · ".join(parts)) if parts else t("filters.none"))


# ---------------------------------------------------------------- output helpers


def metric(container: Any, label: str, count: int) -> None:
    """A count in a metric tile, written short when it is large; the exact number is in its tooltip."""
    shown = number_format.compact(count, lang=lang())
    full = number_format.exact(count)
    container.metric(label, shown, help=t("common.exact_count", count=full) if shown != full else None)


def empty_notice() -> None:
    st.info(t("common.empty"), icon=":material/filter_alt_off:")


def download(frame: pd.DataFrame, *, view: str, key: str | None = None) -> None:
    """A CSV download of ``frame`` named after ``view`` and the active filters."""
    name = filters.download_name(view, current_filters())
    data: Any = export.csv_bytes(frame) if len(frame) <= LAZY_DOWNLOAD_ROWS else (lambda: export.csv_bytes(frame))
    st.download_button(
        t("common.download"),
        data=data,
        file_name=name,
        mime="text/csv",
        key=key or f"dl_{view}",
        on_click="ignore",
        help=t("common.download_help"),
        icon=":material/download:",
    )


def table(frame: pd.DataFrame, *, view: str, height: int | str = "auto", key: str | None = None) -> None:
    """A sortable table with translated headers and its CSV download."""
    if frame.empty:
        st.caption(t("common.no_rows"))
        return
    st.dataframe(frame, hide_index=True, column_config=column_labels(frame), height=height, key=key)  # type: ignore[arg-type]
    download(frame, view=view)


class FrozenFigure(go.Figure):
    """A figure whose plotly dict is made once.

    ``st.plotly_chart`` turns a figure into a dict on every run, a deep copy of all its data
    (the map's outlines: most of a page's time). Pages cache a frozen figure and reuse it;
    it must not be changed after it is frozen.
    """

    def __init__(self, figure: go.Figure, *, geojson: dict[str, Any] | None = None) -> None:
        super().__init__()  # the figure's content lives only in the spec below
        # plain JSON values (no numpy arrays), so encoding it again on each run is cheap
        self._frozen_spec = json.loads(plotly.io.to_json(figure, validate=False))
        if geojson is not None:  # shared, not copied: it must not be changed either
            for trace in self._frozen_spec.get("data", []):
                if trace.get("type") == "choropleth":
                    trace["geojson"] = geojson

    def to_dict(self) -> dict[str, Any]:
        return self._frozen_spec


def frozen(figure: go.Figure) -> go.Figure:
    """``figure`` made once into the dict every later run reuses (see ``FrozenFigure``)."""
    return figure if isinstance(figure, FrozenFigure) else FrozenFigure(figure)


def frozen_choropleth(matched: pd.DataFrame, *, level: str, parent_adcode: str = "", value_label: str) -> FrozenFigure:
    """``maps.choropleth`` frozen, its outlines put in the spec as they are (no copy of them is made)."""
    fig = maps.choropleth(
        matched, level=level, parent_adcode=parent_adcode, value_label=value_label, with_outlines=False
    )
    return FrozenFigure(fig, geojson=maps.area(level, parent_adcode))


def chart(fig: go.Figure, *, data: pd.DataFrame, view: str) -> None:
    """A Plotly chart (PNG export in its toolbar) and the CSV of the rows it draws."""
    stem = filters.download_name(view, current_filters(), ext="png")[:-4]
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": stem, "scale": 2},
        "topojsonURL": maps.TOPOJSON_URL,
    }
    st.plotly_chart(fig, config=config, key=f"chart_{view}")
    download(data, view=view)


def bar_figure(counts: pd.DataFrame, *, title: str, horizontal: bool, docs_label: str) -> go.Figure:
    """The bar chart of a ``doc_counts`` view (every row drawn)."""
    if horizontal:
        shown = counts.iloc[::-1]
        fig = go.Figure(
            go.Bar(
                x=shown["documents"],
                y=shown["group"],
                orientation="h",
                marker_color="#3c6fb0",
                hovertemplate="%{y}: %{x}<extra></extra>",
            )
        )
        height = max(220, 28 * len(counts) + 80)
        fig.update_layout(xaxis_title=docs_label, yaxis={"automargin": True, "type": "category"})
    else:
        fig = go.Figure(
            go.Bar(
                x=counts["group"],
                y=counts["documents"],
                marker_color="#3c6fb0",
                hovertemplate="%{x}: %{y}<extra></extra>",
            )
        )
        height = 320
        fig.update_layout(yaxis_title=docs_label, xaxis={"type": "category"})
    fig.update_layout(title=title, height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_bars(key: str, title: str, horizontal: bool, docs_label: str, _counts: pd.DataFrame) -> go.Figure:
    """A frozen ``bar_figure``; ``key`` names the rows (corpus build, filters, view), which are not hashed."""
    return frozen(bar_figure(_counts, title=title, horizontal=horizontal, docs_label=docs_label))


def bar_chart(
    counts: pd.DataFrame, *, view: str, title: str, horizontal: bool = True, limit: int = 30, cache_key: str = ""
) -> None:
    """A bar chart of a ``doc_counts`` view with its download; horizontal charts show the first ``limit`` bars.

    With ``cache_key`` (which must change whenever ``counts`` may), the figure is made once.
    """
    if counts.empty:
        st.caption(t("common.no_rows"))
        return
    if horizontal and len(counts) > limit:
        st.caption(t("common.top_bars", shown=limit, total=number_format.exact(len(counts))))
        counts = counts.head(limit)
    label = t("col.documents")
    if cache_key:
        fig = _cached_bars(f"{cache_key}|{view}|{limit}", title, horizontal, label, counts)
    else:
        fig = bar_figure(counts, title=title, horizontal=horizontal, docs_label=label)
    chart(fig, data=counts, view=view)


@st.cache_resource(show_spinner=False, max_entries=32)
def _region_map(
    key: str, _documents: pd.DataFrame, province: str, city: str, label: str
) -> tuple[str, pd.DataFrame, go.Figure]:
    """Counts and figure of a map of the current filters' documents: ``key`` names the corpus build,
    the filters and the view, so the frame itself is not hashed. Held as objects, never changed."""
    level, parent, matched = queries.map_counts(_documents, province=province, city=city)
    return level, matched, frozen_choropleth(matched, level=level, parent_adcode=parent, value_label=label)


def region_map(documents: pd.DataFrame, chosen: Filters, *, view: str = "map") -> None:
    """Documents per province (per city under a province filter, per county under a city filter)."""
    key = f"{view_key()}|{view}"
    level, matched, fig = _region_map(key, documents, chosen.province, chosen.city, t("col.documents"))
    if level == "province":
        st.caption(t("overview.map_caption_province"))
    else:
        st.caption(t("overview.map_caption_city", province=chosen.city or chosen.province))
    chart(fig, data=matched[matched["documents"] > 0].reset_index(drop=True), view=view)
    unmatched = matched[matched["adcode"].eq("")]
    if len(unmatched):
        st.caption(t("overview.map_unmatched", names="、".join(unmatched["region"].astype(str))))


def highlighted_text(text: str, spans: pd.DataFrame, legend: dict[str, str]) -> None:
    """The document text, escaped, with ``spans`` (a ``highlights`` view) marked."""
    st.html(highlight.css() + highlight.legend_html(legend) + highlight.document_html(text, spans))
