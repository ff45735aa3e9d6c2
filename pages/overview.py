"""Overview: the corpus at a glance under the current filters."""

from __future__ import annotations

import streamlit as st

from lib import queries, ui

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]
chosen = ui.current_filters()

st.title(ui.t("overview.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()

figures = queries.overview_figures(docs)
cols = st.columns(6)
for col, key in zip(cols, ("documents", "characters", "regions", "types", "years", "files"), strict=True):
    col.metric(ui.t(f"overview.{key}"), f"{figures[key]:,}")

st.subheader(ui.t("overview.map"))
ui.region_map(docs, chosen, view="overview-map")

left, right = st.columns(2)
with left:
    ui.bar_chart(
        queries.counts_by(docs, "doc_type", missing=ui.t("common.unknown")),
        view="overview-by-type",
        title=ui.t("overview.by_type"),
    )
with right:
    ui.bar_chart(
        queries.counts_by(docs, "year", missing=ui.t("overview.no_year"), order="group"),
        view="overview-by-year",
        title=ui.t("overview.by_year"),
        horizontal=False,
    )
left, right = st.columns(2)
with left:
    ui.bar_chart(
        queries.counts_by(docs, "region", missing=ui.t("overview.no_region")),
        view="overview-by-region",
        title=ui.t("overview.by_region"),
    )
with right:
    ui.bar_chart(
        queries.counts_by(docs, "source_path"),
        view="overview-by-source",
        title=ui.t("overview.by_source"),
    )

st.subheader(ui.t("overview.table"))
st.caption(ui.t("overview.table_caption"))
ui.table(queries.document_list(docs), view="overview-documents", key="overview_documents")
