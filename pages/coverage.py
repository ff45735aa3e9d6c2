"""Coverage: which themes each region's texts speak of (heatmap and map), and the
organisational coverage the texts claim per region — committee members, party-member
members, branches, sectors and "全覆盖" claims, each linked to its sentence and document."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import coverage, links, ui

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]
chosen = ui.current_filters()
KEY = ui.view_key()
CORPUS_KEY = f"{ui.corpus_dir()}|{ui.manifest().get('built_at', '')}"  # changes with every build
NO_REGION = ui.t("overview.no_region")
TOP_REGIONS = 30  # regions in the heatmap by default, most documents first
CLAIM_BATCH = 2_000  # documents whose text is decompressed at a time when finding claims


@st.cache_resource(max_entries=64, show_spinner=False)
def theme_matrix(key: str, level: str, missing: str) -> pd.DataFrame:
    t = ui.filtered_tables()
    return coverage.theme_regions(t["documents"], t["themes"], level=level, missing=missing)


@st.cache_resource(max_entries=64, show_spinner=False)
def theme_on_map(key: str, theme: str, province: str, city: str) -> tuple[str, str, pd.DataFrame]:
    t = ui.filtered_tables()
    return coverage.theme_map(t["documents"], t["themes"], theme=theme, province=province, city=city)


@st.cache_resource(max_entries=4, show_spinner=False)
def corpus_claims(corpus_key: str, missing: str) -> pd.DataFrame:
    """The claims of the whole corpus, found once per build (the filters then only pick rows)."""
    t = ui.all_tables()
    docs = t["documents"]
    # only texts that say 覆盖 can hold a claim; they are read CLAIM_BATCH documents at a time
    speaking = docs[docs["doc_id"].isin(ui.texts().containing("覆盖"))].reset_index(drop=True)
    slogans = t["entities"][t["entities"]["kind"].eq("slogan")]
    parts = []
    for start in range(0, len(speaking), CLAIM_BATCH):
        batch = ui.with_text(speaking.iloc[start : start + CLAIM_BATCH])
        parts.append(coverage.coverage_claims(batch, slogans[slogans["doc_id"].isin(batch["doc_id"])], missing=missing))
    if not parts:
        return coverage.coverage_claims(speaking.iloc[0:0].assign(text=""), slogans, missing=missing)
    # each document's claims are in one batch, so sorting the batches' rows again gives the single-call order
    claims = pd.concat(parts, ignore_index=True).sort_values(["region", "doc_id", "start"], kind="stable")
    return claims.reset_index(drop=True)


@st.cache_resource(max_entries=64, show_spinner=False)
def org_coverage(key: str, placeholders: bool, missing: str) -> dict[str, pd.DataFrame]:
    t = ui.filtered_tables()
    figures = coverage.coverage_figures(
        t["statistics"], t["documents"], include_placeholders=placeholders, missing=missing
    )
    claims = corpus_claims(CORPUS_KEY, missing)
    claims = claims[claims["doc_id"].isin(t["documents"]["doc_id"])].reset_index(drop=True)
    return {
        "figures": figures,
        "claims": claims,
        "summary": coverage.coverage_summary(figures, claims),
        "branches": coverage.branch_mentions(t["documents"], t["entities"], missing=missing),
    }


# Figures are cached as objects (st.cache_resource): building the map's outlines into a
# figure costs more than the rest of the page. They are never changed after they are made.
@st.cache_resource(max_entries=32, show_spinner=False)
def heatmap_figure(key: str, level: str, measure: str, include_unknown: bool, top: int, lang: str) -> go.Figure:
    long = coverage.largest_regions(theme_matrix(key, level, NO_REGION if include_unknown else ""), n=top)
    wide = coverage.matrix(long, measure=measure)
    z = wide.drop(columns=["region"])
    as_share = measure == "share"
    labels = z.map(lambda v: f"{v:.0%}" if as_share else f"{int(v)}")
    value_label = ui.t(f"coverage.measure_{measure}")
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype="float64").tolist(),
            x=list(z.columns),
            y=wide["region"].tolist(),
            text=labels.to_numpy().tolist(),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1 if as_share else None,
            colorbar={"title": {"text": value_label}, "thickness": 12},
            hovertemplate="%{y} · %{x}<br>" + value_label + ": %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(260, 34 * len(wide) + 140),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"side": "top", "type": "category"},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
    )
    return ui.frozen(fig)


@st.cache_resource(max_entries=32, show_spinner=False)
def map_figure(key: str, theme: str, province: str, city: str, measure: str, lang: str) -> go.Figure:
    map_level, parent, on_map = theme_on_map(key, theme, province, city)
    shown = on_map.assign(documents=(on_map["share"] * 100) if measure == "share" else on_map["mentioning"])
    label = ui.t(f"coverage.map_value_{measure}")
    return ui.frozen_choropleth(shown, level=map_level, parent_adcode=parent, value_label=label)


st.title(ui.t("coverage.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()

# ---------------------------------------------------------------- theme × region heatmap

st.subheader(ui.t("coverage.heatmap"))
left, right = st.columns(2)
level = left.segmented_control(
    ui.t("coverage.level"),
    list(coverage.LEVELS),
    default="province",
    key="cov_level",
    format_func=lambda v: ui.t(f"level.{v}"),
    required=True,
)
measure = right.segmented_control(
    ui.t("coverage.measure"),
    list(coverage.MEASURES),
    default="documents",
    key="cov_measure",
    format_func=lambda v: ui.t(f"coverage.measure_{v}"),
    required=True,
)
level = level or "province"
measure = measure or "documents"
left, right = st.columns(2)
include_unknown = left.toggle(ui.t("coverage.include_unknown"), value=False, key="cov_unknown")
top = int(
    right.number_input(ui.t("coverage.top"), min_value=1, max_value=500, value=TOP_REGIONS, step=5, key="cov_top")
)
long = theme_matrix(KEY, level, NO_REGION if include_unknown else "")
st.caption(ui.t("coverage.heatmap_caption"))
if long.empty:
    st.caption(ui.t("coverage.no_regions"))
else:
    shown_long = coverage.largest_regions(long, n=top)
    n_regions = long["region"].nunique()
    if n_regions > top:
        st.caption(ui.t("coverage.top_caption", shown=top, total=n_regions))
    fig = heatmap_figure(KEY, level, measure, include_unknown, top, ui.lang())
    ui.chart(fig, data=shown_long, view=f"coverage-heatmap-{level}")

# ---------------------------------------------------------------- one theme on the map

st.subheader(ui.t("coverage.map"))
theme_names = list(dict.fromkeys(long["theme"])) if not long.empty else sorted(set(tables["themes"]["theme"]))
if not theme_names:
    st.caption(ui.t("common.no_rows"))
else:
    theme = st.selectbox(ui.t("coverage.map_theme"), theme_names, key="cov_theme")
    map_level, parent, on_map = theme_on_map(KEY, theme, chosen.province, chosen.city)
    fig = map_figure(KEY, theme, chosen.province, chosen.city, measure, ui.lang())
    st.caption(ui.t(f"coverage.map_caption_{map_level}", theme=theme))
    ui.chart(fig, data=on_map[on_map["documents"] > 0].reset_index(drop=True), view=f"coverage-map-{theme}")
    unmatched = on_map[on_map["adcode"].eq("") & on_map["documents"].gt(0)]
    if len(unmatched):
        st.caption(ui.t("overview.map_unmatched", names="、".join(unmatched["region"].astype(str))))

# ---------------------------------------------------------------- organisational coverage

st.subheader(ui.t("coverage.org"))
st.caption(ui.t("coverage.org_caption"))
placeholders = st.toggle(ui.t("coverage.placeholders"), value=False, key="cov_placeholders")
org = org_coverage(KEY, placeholders, NO_REGION)
params = ui.url_params()


def kind_label(kind: str) -> str:
    return ui.t(f"covkind.{kind}")


def linked(frame: pd.DataFrame, *, view: str, key: str, columns: list[str]) -> None:
    """A table whose rows link to their document on the document reader, with its CSV."""
    if frame.empty:
        st.caption(ui.t("common.no_rows"))
        return
    shown = frame[columns].copy()
    if "kind" in shown.columns:
        shown["kind"] = shown["kind"].map(kind_label)
    if "origin" in shown.columns:
        shown["origin"] = shown["origin"].map({o: ui.t(f"covorigin.{o}") for o in set(shown["origin"])})
    # the link to the document reader just before the sentence, where it is seen without scrolling
    shown.insert(columns.index("sentence"), "link", links.document_urls(shown["doc_id"], params=params))
    config = ui.column_labels(shown) | {
        "link": st.column_config.LinkColumn(ui.t("common.open_document"), display_text=ui.t("common.open")),
    }
    st.dataframe(shown, hide_index=True, column_config=config, key=key)  # type: ignore[arg-type]
    ui.download(shown.drop(columns=["link"]), view=view)


summary = org["summary"]
if summary.empty:
    st.caption(ui.t("coverage.no_figures"))
else:
    st.markdown(f"**{ui.t('coverage.summary')}**")
    shown_summary = summary.assign(kind=summary["kind"].map(kind_label))
    ui.table(shown_summary, view="coverage-summary", key="cov_summary_table")

tab_figures, tab_claims, tab_branches = st.tabs(
    [ui.t("coverage.figures"), ui.t("coverage.claims"), ui.t("coverage.branches")]
)
with tab_figures:
    linked(
        org["figures"],
        view="coverage-figures",
        key="cov_figures_table",
        columns=["region", "kind", "surface", "subject", "value", "value_max", "unit", "sentence", "title", "doc_id"],
    )
with tab_claims:
    linked(
        org["claims"],
        view="coverage-claims",
        key="cov_claims_table",
        columns=["region", "claim", "by", "covers", "origin", "sentence", "title", "doc_id"],
    )
with tab_branches:
    st.caption(ui.t("coverage.branches_caption"))
    ui.table(org["branches"], view="coverage-branches", key="cov_branches_table")
