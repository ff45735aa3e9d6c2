"""Comparison: two or more groups of documents (regions, levels, document types, years or
source files) side by side — the terms each group uses more than the others (keyness with
frequency per 10,000 characters, log ratio and G²), a two-group term scatter, and small
multiples of theme shares and of chosen statistics per group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import keyness, multiples, termindex, ui

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]
KEY = ui.view_key()
P_CHOICES = (1.0, 0.05, 0.01, 0.001)
SCATTER_POINTS = 1500  # terms drawn in the scatter (the most frequent); the CSV has them all
TIDY = ["group", "term", "count", "per_10k", "log_ratio", "g2", "p"]


@st.cache_data(max_entries=32, show_spinner=False)
def sizes_of(key: str, by: str) -> pd.DataFrame:
    d = ui.filtered_tables()["documents"]
    return keyness.group_sizes(d, keyness.document_groups(d, by=by))


@st.cache_resource(max_entries=16, show_spinner=False)
def compared(key: str, by: str, chosen: tuple[str, ...], min_count: int) -> dict[str, pd.DataFrame]:
    t = ui.filtered_tables()
    groups = keyness.document_groups(t["documents"], by=by)
    sizes = sizes_of(key, by)
    sizes = sizes[sizes["group"].isin(list(chosen))].reset_index(drop=True)
    index = ui.term_index()
    number = {g: i for i, g in enumerate(chosen)}
    doc_group = groups.map(number).reindex(pd.Index(index.doc_ids, dtype="string")).fillna(-1).to_numpy("int64")
    counts = termindex.group_term_counts(index, doc_group, chosen)
    return {
        "sizes": sizes,
        "counts": counts,
        "keyness": keyness.keyness(counts, sizes, min_count=min_count),
        "themes": keyness.group_themes(t["themes"], groups, sizes),
    }


@st.cache_data(max_entries=32, show_spinner=False)
def stats_of(key: str, by: str, chosen: tuple[str, ...], subjects: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    t = ui.filtered_tables()
    groups = keyness.document_groups(t["documents"], by=by)
    out = keyness.group_statistics(t["statistics"], groups, subjects=subjects)
    return out[out["group"].isin(list(chosen))].reset_index(drop=True)


@st.cache_data(max_entries=32, show_spinner=False)
def subjects_of(key: str) -> list[tuple[str, str]]:
    return keyness.subject_choices(ui.filtered_tables()["statistics"])


@st.cache_resource(max_entries=16, show_spinner=False)
def scatter_of(key: str, by: str, chosen: tuple[str, ...], min_count: int, a: str, b: str) -> pd.DataFrame:
    result = compared(key, by, chosen, min_count)
    return keyness.scatter(result["counts"], result["sizes"], a=a, b=b, min_count=min_count)


# The figures are made once per view and held as objects (never changed): building a
# 1,500-point scatter or a grid of panels on every run costs more than the rest of the page.
@st.cache_resource(max_entries=16, show_spinner=False)
def scatter_figure(key: str, by: str, chosen: tuple[str, ...], min_count: int, a: str, b: str, lang: str) -> go.Figure:
    """The two-group term scatter: the SCATTER_POINTS terms most frequent in the two groups together."""
    points = scatter_of(key, by, chosen, min_count, a, b)
    if len(points) > SCATTER_POINTS:
        total = points["count_a"] + points["count_b"]
        points = points.loc[total.sort_values(ascending=False, kind="stable").index[:SCATTER_POINTS]]
    positive = np.concatenate([points["per_10k_a"].to_numpy(), points["per_10k_b"].to_numpy()])
    floor = float(positive[positive > 0].min()) / 2
    x = points["per_10k_a"].where(points["per_10k_a"] > 0, floor)
    y = points["per_10k_b"].where(points["per_10k_b"] > 0, floor)
    labelled = points["g2"].rank(ascending=False, method="first") <= 15
    limit = float(np.nanmax(np.abs(points["log_ratio"]))) or 1.0
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            text=points["term"].where(labelled, ""),
            textposition="top center",
            marker={
                "size": 8,
                "color": points["log_ratio"],
                "colorscale": "RdBu_r",
                "cmin": -limit,
                "cmax": limit,
                "colorbar": {"title": {"text": "log₂"}, "thickness": 12},
                "opacity": 0.75,
            },
            customdata=points[["term", "count_a", "count_b", "g2", "p"]].to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>"
            + f"{a}: %{{customdata[1]}}<br>{b}: %{{customdata[2]}}<br>"
            + "G² %{customdata[3]:.2f} · p %{customdata[4]:.3g}<extra></extra>",
        )
    )
    lo, hi = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
    fig.add_trace(
        go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line={"dash": "dot", "color": "#999"}, hoverinfo="skip")
    )
    fig.update_layout(
        height=600,
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "log", "title": ui.t("compare.per_10k_in", group=a)},
        yaxis={"type": "log", "title": ui.t("compare.per_10k_in", group=b)},
    )
    return ui.frozen(fig)


@st.cache_resource(max_entries=16, show_spinner=False)
def themes_figure(key: str, by: str, chosen: tuple[str, ...], min_count: int) -> go.Figure:
    """Small multiples of each theme's share of the groups' documents."""
    result = compared(key, by, chosen, min_count)
    themes = result["themes"]
    names = list(themes.groupby("theme")["mentioning"].sum().sort_values(ascending=False, kind="stable").index)
    share = themes.pivot(index="theme", columns="group", values="share").reindex(index=names, columns=list(chosen))
    mentioning = themes.pivot(index="theme", columns="group", values="mentioning").reindex(
        index=names, columns=list(chosen)
    )
    group_docs = dict(zip(result["sizes"]["group"], result["sizes"]["documents"], strict=True))
    docs_row = [int(group_docs.get(g, 0)) for g in chosen]
    share_rows = share.fillna(0).to_numpy().tolist()
    mention_rows = mentioning.fillna(0).astype(int).to_numpy().tolist()
    theme_panels = [
        (
            theme,
            list(chosen),
            share_rows[i],
            {
                "customdata": [[m, d] for m, d in zip(mention_rows[i], docs_row, strict=True)],
                "hovertemplate": "%{x}: %{y:.0%} (%{customdata[0]}/%{customdata[1]})<extra>" + theme + "</extra>",
            },
        )
        for i, theme in enumerate(names)
    ]
    return ui.frozen(multiples.bar_grid(theme_panels, y_range=(0, 1), y_format=".0%"))


@st.cache_resource(max_entries=16, show_spinner=False)
def statistics_figure(
    key: str, by: str, chosen: tuple[str, ...], picked: tuple[tuple[str, str], ...], lang: str
) -> go.Figure:
    """Small multiples of the chosen statistics' totals per group."""
    stats = stats_of(key, by, chosen, picked)

    def per_group(column: str) -> pd.DataFrame:
        wide = stats.pivot_table(index=["subject", "unit"], columns="group", values=column, aggfunc="sum")
        return wide.reindex(columns=list(chosen)).astype("float64").fillna(0.0)

    totals, figures, ndocs = per_group("total"), per_group("figures"), per_group("documents")
    rows = {key: i for i, key in enumerate(totals.index)}
    hover = (
        "%{x}: %{y:,}<br>"
        + ui.t("col.figures")
        + " %{customdata[0]} · "
        + ui.t("col.documents")
        + " %{customdata[1]}<extra></extra>"
    )
    stat_panels = []
    for subject, unit in picked:
        if (subject, unit) not in rows:
            continue
        i = rows[(subject, unit)]
        custom = [[int(f), int(d)] for f, d in zip(figures.iloc[i], ndocs.iloc[i], strict=True)]
        title = f"{subject}（{unit}）" if unit else subject
        stat_panels.append(
            (title, list(chosen), totals.iloc[i].tolist(), {"customdata": custom, "hovertemplate": hover})
        )
    return ui.frozen(multiples.bar_grid(stat_panels, color="#b7312c", panel_height=240))


st.title(ui.t("compare.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()

c1, c2 = st.columns([1, 3])
by = c1.selectbox(
    ui.t("compare.by"),
    list(keyness.GROUPINGS),
    index=list(keyness.GROUPINGS).index("province"),
    key="cmp_by",
    format_func=lambda g: ui.t(f"grouping.{g}"),
)
sizes = sizes_of(KEY, by)
options = list(sizes["group"].astype(str))
labels = {
    str(g): ui.t("compare.group_option", group=g, docs=int(d))
    for g, d in zip(sizes["group"], sizes["documents"], strict=True)
}
wanted = [g for g in ui.page_param("groups").split("|") if g in options]
if st.session_state.get("cmp_by_seen") != by:  # first run of the page, or a new grouping
    first = "cmp_by_seen" not in st.session_state and len(wanted) >= 2
    st.session_state["cmp_groups"] = wanted if first else options[:2]
    st.session_state["cmp_by_seen"] = by
else:
    kept = [g for g in st.session_state.get("cmp_groups") or [] if g in options]
    st.session_state["cmp_groups"] = kept if "cmp_groups" in st.session_state else options[:2]
chosen = c2.multiselect(
    ui.t("compare.groups"),
    options,
    key="cmp_groups",
    format_func=lambda g: labels.get(g, g),
    placeholder=ui.t("filters.choose"),
)
ui.set_page_param("groups", "|".join(chosen))

if len(chosen) < 2:
    st.info(ui.t("compare.need_two") if len(options) >= 2 else ui.t("compare.too_few", n=len(options)))
    st.stop()

c1, c2, c3 = st.columns(3)
min_count = c1.number_input(ui.t("compare.min_count"), 1, 100, 2, key="cmp_min")
max_p = c2.selectbox(
    ui.t("compare.max_p"),
    list(P_CHOICES),
    index=1,
    key="cmp_p",
    format_func=lambda p: ui.t("compare.any_p") if p >= 1 else f"p ≤ {p:g}",
)
n_top = c3.slider(ui.t("compare.top"), 5, 50, 15, key="cmp_top")

result = compared(KEY, by, tuple(chosen), int(min_count))
table = result["keyness"]
st.caption(
    ui.t(
        "compare.sizes",
        sizes="；".join(
            ui.t("compare.size_item", group=g, docs=int(d), chars=int(c))
            for g, d, c in zip(
                result["sizes"]["group"], result["sizes"]["documents"], result["sizes"]["characters"], strict=True
            )
        ),
    )
)

# ---------------------------------------------------------------- keyness

st.subheader(ui.t("compare.keyness"))
st.caption(ui.t("compare.keyness_caption"))
if table.empty:
    st.info(ui.t("compare.no_terms"))
else:
    best = keyness.top_keyness(table, n=n_top, max_p=max_p)
    if best.empty:
        st.info(ui.t("compare.no_key_terms"))
    else:
        ui.table(best[[*TIDY, "other_count", "other_per_10k"]], view=f"compare-keyness-{by}", key="cmp_keyness_table")
    st.caption(ui.t("compare.tidy_caption", n=len(table)))
    ui.download(table[TIDY], view=f"compare-keyness-all-{by}", key="dl_compare_tidy")

# ---------------------------------------------------------------- scatter

st.subheader(ui.t("compare.scatter"))
c1, c2 = st.columns(2)
a = c1.selectbox(ui.t("compare.group_a"), chosen, index=0, key="cmp_a", format_func=lambda g: labels.get(g, g))
rest = [g for g in chosen if g != a]
b = c2.selectbox(ui.t("compare.group_b"), rest, index=0, key="cmp_b", format_func=lambda g: labels.get(g, g))
points = scatter_of(KEY, by, tuple(chosen), int(min_count), a, b)
if points.empty:
    st.info(ui.t("compare.no_terms"))
else:
    st.caption(ui.t("compare.scatter_caption", a=a, b=b))
    if len(points) > SCATTER_POINTS:
        st.caption(ui.t("compare.scatter_shown", shown=SCATTER_POINTS, total=len(points)))
    fig = scatter_figure(KEY, by, tuple(chosen), int(min_count), a, b, ui.lang())
    ui.chart(fig, data=points, view=f"compare-scatter-{a}-{b}")

# ---------------------------------------------------------------- theme shares

st.subheader(ui.t("compare.themes"))
themes = result["themes"]
if themes.empty:
    st.info(ui.t("compare.no_themes"))
else:
    fig = themes_figure(KEY, by, tuple(chosen), int(min_count))
    ui.chart(fig, data=themes, view=f"compare-themes-{by}")

# ---------------------------------------------------------------- statistics

st.subheader(ui.t("compare.statistics"))
choices = subjects_of(KEY)
if not choices:
    st.info(ui.t("compare.no_statistics"))
else:
    picked = st.multiselect(
        ui.t("compare.subjects"),
        choices,
        default=choices[:4],
        key="cmp_subjects",
        format_func=lambda su: f"{su[0]}（{su[1]}）" if su[1] else su[0],
    )
    stats = stats_of(KEY, by, tuple(chosen), tuple(picked))
    if stats.empty:
        st.info(ui.t("compare.no_statistics"))
    else:
        fig = statistics_figure(KEY, by, tuple(chosen), tuple(picked), ui.lang())
        st.caption(ui.t("compare.statistics_caption"))
        ui.chart(fig, data=stats, view=f"compare-statistics-{by}")
