"""Extracted statistics: every number the texts state, filtered by unit, category, subject,
exactness and placeholders; counts by category; one subject's values across regions; each
row shown as written and as a value, linked to its sentence and document."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import export, filters, links, schema, statview, ui

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]
KEY = ui.view_key()
NO_REGION = ui.t("overview.no_region")


MAX_ROWS = 5_000  # rows drawn in the table (and in its CSV); every filtered row stays downloadable
MAX_SUBJECTS = 300  # subjects offered for the chart, most regions first
POINTS_PER_REGION = 200  # values drawn per region in the subject chart (the largest); the CSV has them all
TABLE_COLUMNS = ["region", "surface", "number_text", "value", "value_max", "unit", "subject", "sentence"]
TABLE_COLUMNS += ["qualifier", "category", "approx", "placeholder", "title", "doc_id", "start", "end"]


# Cached as objects (st.cache_resource), not copied on every run: the page only reads them.
@st.cache_resource(max_entries=16, show_spinner=False)
def all_rows(key: str, missing: str) -> pd.DataFrame:
    t = ui.filtered_tables()
    return statview.statistic_rows(t["statistics"], t["documents"], missing=missing)


@st.cache_resource(max_entries=16, show_spinner=False)
def widget_options(key: str, missing: str) -> dict[str, list[str]]:
    rows = all_rows(key, missing)
    return {"unit": statview.options(rows, "unit"), "category": statview.options(rows, "category")}


# The columns the counts and the subjects read: the filtered rows are held with these only
# (every column of every filtered row is made only for the full download, when it is clicked).
COUNTED = ["doc_id", "region", "category", "subject", "unit", "value"]


class Choice(NamedTuple):
    """What the page shows: the corpus view, the label of rows without a region, the page's
    own filters and the language (the key of its caches)."""

    key: str
    missing: str
    units: tuple[str, ...]
    categories: tuple[str, ...]
    subject: str
    approx: str
    placeholders: bool
    lang: str

    def mask(self, rows: pd.DataFrame) -> np.ndarray:
        return statview.row_mask(
            rows,
            units=self.units,
            categories=self.categories,
            subject=self.subject,
            approx=self.approx,
            placeholders=self.placeholders,
        )


@st.cache_resource(max_entries=32, show_spinner=False)
def prepared(choice: Choice) -> dict[str, Any]:
    """The rows kept (``mask`` over ``all_rows``, and how many), the table as shown (labels,
    links), counts by category, subjects."""
    every = all_rows(choice.key, choice.missing)
    mask = choice.mask(every)
    kept = bool(mask.all())
    rows = pd.DataFrame({c: every[c].array if kept else every[c].array[mask] for c in COUNTED})
    labels = {c: category_label(c) for c in set(rows["category"]) | {"other"}}
    first = every.iloc[np.flatnonzero(mask)[:MAX_ROWS]]
    shown = schema.conform(first, "statistic_rows")[TABLE_COLUMNS]
    shown = shown.assign(category=shown["category"].map(labels))
    # the link to the document reader next to the sentence, where it is seen without scrolling
    shown.insert(TABLE_COLUMNS.index("sentence"), "link", links.document_urls(shown["doc_id"], params=ui.url_params()))
    counts = statview.category_counts(rows)
    return {
        "mask": mask,
        "n": int(mask.sum()),
        "sizes": pd.DataFrame({"documents": [rows["doc_id"].nunique()], "regions": [rows["region"].nunique()]}),
        "shown": shown,
        "counts": counts.assign(category=counts["category"].map(labels)),
        "subjects": statview.subject_units(rows).head(MAX_SUBJECTS),
    }


@st.cache_resource(max_entries=32, show_spinner=False)
def category_figure(choice: Choice) -> go.Figure:
    """The bar chart of statistics per category (made once per view; never changed)."""
    counts_shown = prepared(choice)["counts"]
    fig = go.Figure(
        go.Bar(
            x=counts_shown["statistics"].iloc[::-1],
            y=counts_shown["category"].iloc[::-1],
            orientation="h",
            marker_color="#3c6fb0",
            customdata=counts_shown["documents"].iloc[::-1],
            hovertemplate="%{y}: %{x}<br>" + ui.t("col.documents") + ": %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(220, 30 * len(counts_shown) + 80),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis_title=ui.t("col.statistics"),
        yaxis={"type": "category", "automargin": True},
    )
    return ui.frozen(fig)


@st.cache_resource(max_entries=32, show_spinner=False)
def subject_figure(choice: Choice, subject_name: str, unit: str) -> tuple[pd.DataFrame, go.Figure, int]:
    """One subject's values across regions, their chart and the number of points it draws
    (made once per view; never changed)."""
    rows = all_rows(choice.key, choice.missing)
    hit = prepared(choice)["mask"].copy()
    hit &= rows["subject"].fillna("").eq(subject_name).to_numpy(dtype=bool)
    hit &= rows["unit"].fillna("").eq(unit).to_numpy(dtype=bool)
    every = statview.subject_values(rows[hit], subject=subject_name, unit=unit)
    values = every.groupby("region", sort=False).head(POINTS_PER_REGION)  # sorted by value within a region
    spread = (values["value_max"] - values["value"]).where(values["value_max"].notna(), 0.0)
    fig = go.Figure(
        go.Scatter(
            x=values["region"],
            y=values["value"],
            mode="markers+text",
            text=values["surface"],
            textposition="middle right",
            marker={"size": 11, "color": "#3c6fb0"},
            error_y={"type": "data", "array": spread.tolist(), "symmetric": False, "arrayminus": [0] * len(values)},
            customdata=values[["title"]].to_numpy(),  # the hover shows the title; the CSV has the sentence
            hovertemplate="%{x}: %{text}<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category", "title": ui.t("col.region")},
        yaxis={"title": f"{subject_name}（{unit}）", "rangemode": "tozero"},
    )
    return every, ui.frozen(fig), len(values)


def category_label(category: str) -> str:
    return ui.t(f"statcat.{category}")


st.title(ui.t("statistics.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()

options = widget_options(KEY, NO_REGION)

c1, c2, c3 = st.columns([2, 2, 3])
units = c1.multiselect(ui.t("statistics.units"), options["unit"], key="stat_units", placeholder=ui.t("filters.choose"))
categories = c2.multiselect(
    ui.t("statistics.categories"),
    options["category"],
    key="stat_categories",
    format_func=category_label,
    placeholder=ui.t("filters.choose"),
)
subject = c3.text_input(ui.t("statistics.subject"), key="stat_subject", help=ui.t("statistics.subject_help"))
c4, c5 = st.columns([3, 2])
approx = c4.segmented_control(
    ui.t("statistics.approx"),
    list(statview.APPROX_CHOICES),
    default="all",
    key="stat_approx",
    format_func=lambda v: ui.t(f"statistics.approx_{v}"),
    required=True,
)
show_placeholders = c5.toggle(
    ui.t("statistics.placeholders"), value=False, key="stat_placeholders", help=ui.t("statistics.placeholders_help")
)

CHOICE = Choice(
    KEY, NO_REGION, tuple(units), tuple(categories), subject or "", approx or "all", bool(show_placeholders), ui.lang()
)
view = prepared(CHOICE)
n_picked = view["n"]


def picked() -> pd.DataFrame:
    """Every filtered row with every column (made for the full download only)."""
    rows = all_rows(KEY, NO_REGION)
    return schema.conform(rows[CHOICE.mask(rows)], "statistic_rows")


m1, m2, m3 = st.columns(3)
ui.metric(m1, ui.t("statistics.n_rows"), n_picked)
ui.metric(m2, ui.t("statistics.n_documents"), int(view["sizes"]["documents"].iloc[0]))
ui.metric(m3, ui.t("statistics.n_regions"), int(view["sizes"]["regions"].iloc[0]))

if not n_picked:
    st.info(ui.t("statistics.none"), icon=":material/filter_alt_off:")
    st.stop()

# ---------------------------------------------------------------- the table

st.subheader(ui.t("statistics.table"))
st.caption(ui.t("statistics.table_caption"))
shown = view["shown"]
if n_picked > len(shown):
    st.caption(ui.t("statistics.capped", shown=f"{len(shown):,}", total=f"{n_picked:,}"))
config = ui.column_labels(shown) | {
    "link": st.column_config.LinkColumn(ui.t("common.open_document"), display_text=ui.t("common.open")),
    "value": st.column_config.NumberColumn(ui.t("col.value"), format="%g"),
    "value_max": st.column_config.NumberColumn(ui.t("col.value_max"), format="%g"),
}
st.dataframe(shown, hide_index=True, column_config=config, key="stat_table")  # type: ignore[arg-type]
ui.download(shown.drop(columns=["link"]), view="statistics")
if n_picked > len(shown):
    st.caption(ui.t("statistics.download_all", total=f"{n_picked:,}"))
    # made only when clicked: writing every row as CSV on each run would cost more than the page
    st.download_button(
        ui.t("common.download"),
        data=lambda: export.csv_bytes(picked()),
        file_name=filters.download_name("statistics-all", ui.current_filters()),
        mime="text/csv",
        key="dl_statistics_all",
        on_click="ignore",
        help=ui.t("common.download_help"),
        icon=":material/download:",
    )

# ---------------------------------------------------------------- summary charts

left, right = st.columns(2)
with left:
    st.subheader(ui.t("statistics.by_category"))
    counts_shown = view["counts"]
    fig = category_figure(CHOICE)
    ui.chart(fig, data=counts_shown, view="statistics-by-category")

with right:
    st.subheader(ui.t("statistics.by_region"))
    subjects = view["subjects"]
    if subjects.empty:
        st.caption(ui.t("common.no_rows"))
    else:
        choices = [f"{s}\t{u}" for s, u in zip(subjects["subject"], subjects["unit"], strict=True)]
        template = ui.t("statistics.subject_choice")
        described = {
            c: template.format(subject=s, unit=u, regions=r, figures=f)
            for c, s, u, r, f in zip(
                choices, subjects["subject"], subjects["unit"], subjects["regions"], subjects["figures"], strict=True
            )
        }
        if st.session_state.get("stat_pick") not in described:
            st.session_state.pop("stat_pick", None)
        pick = st.selectbox(
            ui.t("statistics.pick_subject"), choices, key="stat_pick", format_func=lambda c: described.get(c, c)
        )
        subject_name, unit = pick.split("\t", 1)
        values, fig, drawn = subject_figure(CHOICE, subject_name, unit)
        if drawn < len(values):
            st.caption(ui.t("statistics.subject_shown", per=POINTS_PER_REGION, shown=drawn, total=len(values)))
        ui.chart(
            fig,
            data=values[["region", "surface", "value", "value_max", "unit", "subject", "sentence", "title", "doc_id"]],
            view=f"statistics-subject-{subject_name}-{unit}",
        )
