"""Overview: the corpus at a glance under the current filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import queries, ui

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]
chosen = ui.current_filters()

KEY = ui.view_key()


@st.cache_resource(max_entries=16, show_spinner=False)
def summary(key: str, unknown: str, no_year: str, no_region: str) -> tuple[dict[str, int], dict[str, pd.DataFrame]]:
    """The headline figures and the counts behind the bar charts, once per corpus build and filters."""
    d = ui.filtered_tables()["documents"]
    return queries.overview_figures(d), {
        "type": queries.counts_by(d, "doc_type", missing=unknown),
        "year": queries.counts_by(d, "year", missing=no_year, order="group"),
        "region": queries.counts_by(d, "region", missing=no_region),
        "source": queries.counts_by(d, "source_path"),
        "list": queries.document_list(d),
    }


st.title(ui.t("overview.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()

figures, view = summary(KEY, ui.t("common.unknown"), ui.t("overview.no_year"), ui.t("overview.no_region"))
cols = st.columns(6)
for col, key in zip(cols, ("documents", "characters", "regions", "types", "years", "files"), strict=True):
    ui.metric(col, ui.t(f"overview.{key}"), figures[key])

st.subheader(ui.t("overview.map"))
ui.region_map(docs, chosen, view="overview-map")

left, right = st.columns(2)
with left:
    ui.bar_chart(
        view["type"],
        view="overview-by-type",
        title=ui.t("overview.by_type"),
        cache_key=KEY,
    )
with right:
    ui.bar_chart(
        view["year"],
        view="overview-by-year",
        title=ui.t("overview.by_year"),
        horizontal=False,
        cache_key=KEY,
    )
left, right = st.columns(2)
with left:
    ui.bar_chart(
        view["region"],
        view="overview-by-region",
        title=ui.t("overview.by_region"),
        cache_key=KEY,
    )
with right:
    ui.bar_chart(
        view["source"],
        view="overview-by-source",
        title=ui.t("overview.by_source"),
        cache_key=KEY,
    )

st.subheader(ui.t("overview.table"))
st.caption(ui.t("overview.table_caption"))
ui.table(view["list"], view="overview-documents", key="overview_documents")
