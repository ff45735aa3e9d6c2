"""Term frequency: the most frequent terms (with part-of-speech and length filters), a word
cloud, n-grams, TF-IDF keywords per document, keyword in context, a co-occurrence network
and terms over time. Words a person adds for the session (dictionary words, stop words)
change every chart."""

from __future__ import annotations

import io
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import cloud, concordance, cooccurrence, keywords, termindex, terms, ui

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]
KEY = ui.view_key()
SECTIONS = ("cloud", "ngrams", "keywords", "kwic", "network", "trend")
POS_CHOICES = ("n", "v", "a", "nr", "ns", "nt", "nz", "vn", "l", "i", "j")
NETWORK_MAX_DOCS = 2000
KWIC_SHOWN = 1000  # concordance lines in the table; the download has them all


def word_list(text: str) -> tuple[str, ...]:
    return tuple(sorted({w for w in re.split(r"[\s,，、;；]+", text or "") if w}))


@st.cache_resource(max_entries=16, show_spinner=False)
def recounted_index(key: str, words: tuple[str, ...]) -> termindex.TermIndex:
    d = ui.filtered_tables()["documents"]
    counted = terms.count_terms(ui.with_text(d[["doc_id"]]), extra_words=words)
    return termindex.build(counted, doc_ids=d["doc_id"].astype(str))


@st.cache_data(max_entries=64, show_spinner=False)
def top(
    key: str, words: tuple[str, ...], stops: tuple[str, ...], n: int, pos: tuple[str, ...], lengths: tuple[int, int]
) -> pd.DataFrame:
    index = recounted_index(key, words) if words else ui.term_index()
    d = ui.filtered_tables()["documents"]
    mask = termindex.doc_mask(index, d["doc_id"].astype(str))
    keep = termindex.term_mask(index, pos=pos, min_len=lengths[0], max_len=lengths[1], exclude=stops)
    return termindex.top_terms(index, mask, n=n, terms=keep, characters=int(d["n_chars"].fillna(0).sum()))


@st.cache_data(max_entries=32, show_spinner=False)
def ngram_counts(key: str, n: int, words: tuple[str, ...], stops: tuple[str, ...], top_n: int) -> pd.DataFrame:
    d = ui.filtered_tables()["documents"]
    grams = terms.count_ngrams(ui.with_text(d[["doc_id"]]), n=n, extra_words=words, extra_stopwords=stops)
    index = termindex.build(grams, doc_ids=d["doc_id"].astype(str))
    mask = termindex.doc_mask(index, d["doc_id"].astype(str))
    return termindex.top_terms(index, mask, n=top_n, characters=int(d["n_chars"].fillna(0).sum()))


@st.cache_data(max_entries=32, show_spinner=False)
def doc_keywords(key: str, doc_id: str, words: tuple[str, ...], stops: tuple[str, ...]) -> pd.DataFrame:
    t = ui.filtered_tables()
    if not words and not stops:
        return t["keywords"][t["keywords"]["doc_id"].eq(doc_id)].reset_index(drop=True)
    text = ui.text_of(doc_id)
    return keywords.document_keywords(doc_id, text, extra_words=words, extra_stopwords=stops)


@st.cache_resource(max_entries=16, show_spinner=False)
def kwic(key: str, query: str, window: int, sort: str) -> tuple[pd.DataFrame, int]:
    """The concordance lines and the number of documents they come from (kept, not copied, per run)."""
    d = ui.filtered_tables()["documents"]
    lines = concordance.concordance(ui.with_text(d[["doc_id"]]), query, window=window, sort=sort)
    return lines, int(lines["doc_id"].nunique())


@st.cache_data(max_entries=32, show_spinner=False)
def network(
    key: str, nodes: tuple[str, ...], unit: str, window: int, words: tuple[str, ...], stops: tuple[str, ...]
) -> pd.DataFrame:
    d = ui.filtered_tables()["documents"].head(NETWORK_MAX_DOCS)
    return cooccurrence.cooccurrence(
        ui.with_text(d[["doc_id"]]), chosen=nodes, unit=unit, window=window, extra_words=words, extra_stopwords=stops
    )


@st.cache_data(max_entries=32, show_spinner=False)
def network_layout(
    key: str,
    nodes: tuple[str, ...],
    counts: tuple[int, ...],
    unit: str,
    window: int,
    words: tuple[str, ...],
    stops: tuple[str, ...],
    limit: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    edges = network(key, nodes, unit, window, words, stops).head(limit)
    return edges, cooccurrence.network_nodes(list(nodes), list(counts), edges)


@st.cache_data(max_entries=32, show_spinner=False)
def cloud_png(key: str, frequencies: tuple[tuple[str, int], ...]) -> bytes:
    image, _ = cloud.cloud_image(dict(frequencies))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@st.cache_data(max_entries=32, show_spinner=False)
def over_time(key: str, names: tuple[str, ...], words: tuple[str, ...]) -> pd.DataFrame:
    index = recounted_index(key, words) if words else ui.term_index()
    d = ui.filtered_tables()["documents"]
    mask = termindex.doc_mask(index, d["doc_id"].astype(str))
    ids = d["doc_id"].astype(str).to_numpy()
    return termindex.trend(
        index,
        mask,
        years=pd.Series(d["year"].to_numpy(), index=ids),
        characters=pd.Series(d["n_chars"].to_numpy(), index=ids),
        names=names,
    )


st.title(ui.t("terms.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()

with st.expander(ui.t("terms.extras"), expanded=False):
    left, right = st.columns(2)
    words = word_list(left.text_area(ui.t("terms.extra_words"), key="terms_words", help=ui.t("terms.extra_words_help")))
    stops = word_list(
        right.text_area(ui.t("terms.extra_stops"), key="terms_stops", help=ui.t("terms.extra_stops_help"))
    )

# ---------------------------------------------------------------- top terms

st.subheader(ui.t("terms.top"))
c1, c2, c3 = st.columns([1, 2, 1])
n = c1.slider(ui.t("terms.n"), 5, 100, 20, step=5, key="terms_n")
pos = c2.multiselect(
    ui.t("terms.pos"),
    list(POS_CHOICES),
    key="terms_pos",
    format_func=lambda p: f"{p} · {ui.t(f'pos.{p}')}",
    placeholder=ui.t("terms.pos_any"),
)
lengths = c3.slider(ui.t("terms.length"), 1, 8, (2, 8), key="terms_len")
counts = top(KEY, words, stops, n, tuple(pos), (lengths[0], 0 if lengths[1] == 8 else lengths[1]))
if counts.empty:
    st.info(ui.t("terms.none"))
else:
    shown = counts.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=shown["count"],
            y=shown["term"],
            orientation="h",
            marker_color="#3c6fb0",
            customdata=shown[["documents", "per_10k", "pos"]].to_numpy(),
            hovertemplate="%{y}: %{x}<br>"
            + ui.t("col.documents")
            + ": %{customdata[0]}<br>"
            + ui.t("col.per_10k")
            + ": %{customdata[1]:.2f}<br>%{customdata[2]}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(260, 22 * len(counts) + 80),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis_title=ui.t("col.count"),
        yaxis={"type": "category", "automargin": True},
    )
    ui.chart(fig, data=counts, view="terms-top")

# ---------------------------------------------------------------- sections

section = st.segmented_control(
    ui.t("terms.section"),
    list(SECTIONS),
    default=ui.page_param("view", "cloud") if ui.page_param("view", "cloud") in SECTIONS else "cloud",
    key="terms_section",
    format_func=lambda s: ui.t(f"terms.{s}"),
    required=True,
)
section = section or "cloud"
ui.set_page_param("view", section)

if section == "cloud":
    st.caption(ui.t("terms.cloud_caption"))
    many = top(KEY, words, stops, 150, tuple(pos), (lengths[0], 0 if lengths[1] == 8 else lengths[1]))
    if many.empty:
        st.info(ui.t("terms.none"))
    else:
        pairs = tuple(zip(many["term"].astype(str), many["count"].astype(int), strict=True))
        st.image(cloud_png(KEY, pairs), width="stretch")
        ui.download(many, view="terms-cloud")

elif section == "ngrams":
    size = st.segmented_control(ui.t("terms.ngram_n"), [2, 3, 4], default=2, key="terms_ngram_n", required=True) or 2
    grams = ngram_counts(KEY, int(size), words, stops, 30)
    if grams.empty:
        st.info(ui.t("terms.none"))
    else:
        shown = grams.iloc[::-1]
        fig = go.Figure(go.Bar(x=shown["count"], y=shown["term"], orientation="h", marker_color="#b7312c"))
        fig.update_layout(
            height=max(260, 22 * len(grams) + 80),
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            xaxis_title=ui.t("col.count"),
            yaxis={"type": "category", "automargin": True},
        )
        ui.chart(fig, data=grams, view=f"terms-{size}grams")

elif section == "keywords":
    st.caption(ui.t("terms.keywords_caption"))
    labels = dict(zip(docs["doc_id"].astype(str), docs["title"].fillna("").astype(str), strict=True))
    doc_id = st.selectbox(
        ui.t("documents.pick"),
        list(labels),
        key="terms_doc",
        format_func=lambda i: f"{labels.get(i) or i}  ({i})",
    )
    rows = doc_keywords(KEY, doc_id, words, stops)
    if rows.empty:
        st.info(ui.t("terms.none"))
    else:
        ui.table(rows[["term", "score", "method"]], view="terms-keywords", key="terms_keywords_table")

elif section == "kwic":
    default_query = str(counts["term"].iloc[0]) if len(counts) else ""
    c1, c2, c3 = st.columns([2, 2, 2])
    query = c1.text_input(ui.t("terms.query"), value=default_query, key="terms_query")
    window = c2.slider(ui.t("terms.window_chars"), 5, 60, 20, key="terms_window")
    sort = (
        c3.segmented_control(
            ui.t("terms.sort"),
            list(concordance.SORTS),
            default="position",
            key="terms_sort",
            format_func=lambda s: ui.t(f"terms.sort_{s}"),
            required=True,
        )
        or "position"
    )
    lines, n_docs = kwic(KEY, query, window, sort)
    if lines.empty:
        st.info(ui.t("terms.no_lines", query=query))
    else:
        st.caption(ui.t("terms.n_lines", n=len(lines), docs=n_docs))
        if len(lines) > KWIC_SHOWN:
            st.caption(ui.t("terms.kwic_shown", shown=KWIC_SHOWN))
        st.dataframe(
            lines[["left", "match", "right", "doc_id", "start"]].head(KWIC_SHOWN),
            hide_index=True,
            key="terms_kwic_table",
            column_config=ui.column_labels(lines)
            | {"left": st.column_config.TextColumn(ui.t("col.left"), width="large", alignment="right")},
        )
        ui.download(lines, view=f"terms-kwic-{query}")

elif section == "network":
    c1, c2, c3 = st.columns(3)
    size = c1.slider(ui.t("terms.nodes"), 5, 60, 25, key="terms_nodes")
    unit = (
        c2.segmented_control(
            ui.t("terms.unit"),
            list(cooccurrence.UNITS),
            default="sentence",
            key="terms_unit",
            format_func=lambda u: ui.t(f"terms.unit_{u}"),
            required=True,
        )
        or "sentence"
    )
    window = c3.slider(ui.t("terms.window_terms"), 2, 20, 5, key="terms_net_window", disabled=unit != "window")
    nodes_top = top(KEY, words, stops, size, tuple(pos), (lengths[0], 0 if lengths[1] == 8 else lengths[1]))
    edges, nodes = network_layout(
        KEY,
        tuple(nodes_top["term"].astype(str)),
        tuple(int(c) for c in nodes_top["count"]),
        unit,
        window,
        words,
        stops,
        4 * size,
    )
    if len(docs) > NETWORK_MAX_DOCS:
        st.caption(ui.t("terms.network_sample", n=NETWORK_MAX_DOCS))
    if edges.empty:
        st.info(ui.t("terms.none"))
    else:
        where = {str(t): (float(x), float(y)) for t, x, y in zip(nodes["term"], nodes["x"], nodes["y"], strict=True)}
        fig = go.Figure()
        heaviest = float(edges["weight"].max())
        for low, high, width in ((0.0, 0.34, 0.6), (0.34, 0.67, 1.6), (0.67, 1.01, 3.2)):
            band = edges[(edges["weight"] / heaviest >= low) & (edges["weight"] / heaviest < high)]
            xs: list[float | None] = []
            ys: list[float | None] = []
            for a, b in zip(band["source"], band["target"], strict=True):
                xs += [where[a][0], where[b][0], None]
                ys += [where[a][1], where[b][1], None]
            fig.add_trace(
                go.Scatter(x=xs, y=ys, mode="lines", line={"width": width, "color": "#9bb0cc"}, hoverinfo="skip")
            )
        biggest = float(nodes["count"].max())
        fig.add_trace(
            go.Scatter(
                x=nodes["x"],
                y=nodes["y"],
                mode="markers+text",
                text=nodes["term"],
                textposition="top center",
                marker={"size": 10 + 30 * (nodes["count"] / biggest) ** 0.5, "color": "#b7312c", "opacity": 0.8},
                customdata=nodes[["count", "degree"]].to_numpy(),
                hovertemplate="%{text}<br>"
                + ui.t("col.count")
                + ": %{customdata[0]}<br>"
                + ui.t("col.degree")
                + ": %{customdata[1]}<extra></extra>",
            )
        )
        fig.update_layout(
            height=620,
            showlegend=False,
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            xaxis={"visible": False},
            yaxis={"visible": False},
        )
        ui.chart(fig, data=edges, view=f"terms-network-{unit}")

elif section == "trend":
    dated = docs["year"].notna().sum()
    if not dated:
        st.info(ui.t("terms.no_dates"))
    else:
        st.caption(ui.t("terms.trend_caption", n=int(dated), total=len(docs)))
        options = list(counts["term"].astype(str))
        chosen = st.multiselect(ui.t("terms.trend_terms"), options, default=options[:5], key="terms_trend_terms")
        trend = over_time(KEY, tuple(chosen), words)
        if trend.empty:
            st.info(ui.t("terms.none"))
        else:
            fig = go.Figure(
                [
                    go.Scatter(x=part["year"], y=part["per_10k"], mode="lines+markers", name=str(term))
                    for term, part in trend.groupby("term", sort=False)
                ]
            )
            fig.update_layout(
                height=380,
                margin={"l": 10, "r": 10, "t": 10, "b": 10},
                xaxis={"title": ui.t("col.year"), "type": "category"},
                yaxis_title=ui.t("col.per_10k"),
            )
            ui.chart(fig, data=trend, view="terms-trend")
