"""Document reader: one document's cleaned text with its entities, statistics and
placeholders highlighted, its metadata and the evidence for its region."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import clean, duplicates, queries, ui

PICK_LIMIT = 2000  # documents offered in the picker; filters and search narrow the rest

ui.require_frame()
tables = ui.filtered_tables()
docs = tables["documents"]

st.title(ui.t("documents.title"))
ui.filter_caption()

if docs.empty:
    ui.empty_notice()
    st.stop()


@st.cache_resource(max_entries=32, show_spinner=False)
def picker(key: str, keep: str) -> tuple[list[str], dict[str, str]]:
    """The doc_ids offered in the picker and their labels (made once per corpus, filters and kept document)."""
    choices = queries.pick_list(ui.filtered_tables()["documents"], keep=keep, limit=PICK_LIMIT)
    return choices["doc_id"].tolist(), {
        row["doc_id"]: queries.document_label(row) for row in choices.to_dict("records")
    }


wanted = st.session_state.get("doc_pick") or ui.page_param("doc")
ids, labels = picker(ui.view_key(), str(wanted or ""))
if wanted not in labels:
    wanted = ids[0]
if len(docs) > len(ids):
    st.caption(ui.t("documents.limited", shown=len(ids), n=len(docs)))
st.session_state["doc_pick"] = wanted
doc_id = st.selectbox(
    ui.t("documents.pick"),
    ids,
    key="doc_pick",
    format_func=lambda i: labels.get(i, i),
    help=ui.t("documents.count", n=len(docs)),
)
ui.set_page_param("doc", doc_id)

doc = docs[docs["doc_id"].eq(doc_id)].iloc[0]
text = ui.text_of(doc_id)
rows = queries.document_rows(
    {name: tables[name] for name in ("entities", "statistics", "themes", "duplicates")}, doc_id
)

if bool(doc["is_template"]):
    st.warning(ui.t("documents.template"))
if pd.notna(doc["dup_group"]):
    dups = rows.get("duplicates", pd.DataFrame())
    canonical = str(dups["canonical_doc_id"].iloc[0]) if len(dups) else ""
    st.caption(ui.t("documents.reprint", group=int(doc["dup_group"]), canonical=canonical))
    everything = ui.all_tables()  # siblings outside the filters count too
    group = everything["duplicates"]
    group = group[group["group_id"].eq(int(doc["dup_group"])) & group["doc_id"].ne(doc_id)]
    with st.expander(ui.t("documents.siblings", n=len(group)), expanded=True):
        titles = everything["documents"].set_index("doc_id")["title"]
        listing = group[["doc_id", "similarity"]].assign(title=group["doc_id"].map(titles))
        st.dataframe(listing, hide_index=True, key="doc_siblings", column_config=ui.column_labels(listing))
        if len(group):
            other = st.selectbox(ui.t("documents.compare_with"), group["doc_id"].tolist(), key=f"doc_sib_{doc_id}")
            other_text = ui.text_of(other)
            changes = [
                {
                    ui.t("documents.diff_op"): ui.t(f"documents.op.{d.op}"),
                    ui.t("documents.diff_this"): text[d.a_span[0] : d.a_span[1]],
                    ui.t("documents.diff_other"): other_text[d.b_span[0] : d.b_span[1]],
                }
                for d in duplicates.differences(text, other_text)
            ]
            if changes:
                st.dataframe(pd.DataFrame(changes), hide_index=True, key="doc_differences")
            else:
                st.caption(ui.t("documents.no_differences"))

text_col, side_col = st.columns([3, 2])
with side_col:
    st.subheader(ui.t("documents.meta"))
    fields = [c for c in queries.DOCUMENT_LIST_COLUMNS if c != "doc_id"]
    meta = pd.DataFrame(
        {
            "field": [ui.t(f"col.{c}") for c in ["doc_id", *fields]],
            "value": [
                ui.t(f"level.{doc[c]}") if c == "level" and doc[c] else (str(doc[c]) if pd.notna(doc[c]) else "")
                for c in ["doc_id", *fields]
            ],
        }
    )
    st.dataframe(meta, hide_index=True, key="doc_meta", column_config=ui.column_labels(meta))
    ui.download(meta, view="document-metadata")
    st.subheader(ui.t("documents.evidence"))
    evidence = str(doc["region_evidence"] or "")
    if evidence:
        st.text(evidence)
    else:
        st.caption(ui.t("documents.no_evidence"))

kind_names = {k: ui.t(f"kind.{k}") for k in ("place", "org", "person", "doc_title", "slogan")} | {
    "statistic": ui.t("documents.statistic"),
    "placeholder": ui.t("documents.placeholder"),
}
find_placeholders = getattr(clean, "placeholders", None)
placeholder_spans = list(find_placeholders(text)) if callable(find_placeholders) else []
spans = queries.highlights(
    text,
    entities=rows["entities"],
    statistics=rows["statistics"],
    placeholders=placeholder_spans,
    kind_label=lambda k: kind_names.get(k, k),
)

with text_col:
    st.subheader(ui.t("documents.text"))
    show = st.toggle(ui.t("documents.show"), value=True, key="doc_highlight")
    present = [k for k in kind_names if k in set(spans["kind"])]
    legend = {k: kind_names[k] for k in present}
    ui.highlighted_text(text, spans if show else spans.iloc[0:0], legend if show else {})

STAT_COLUMNS = ["surface", "value", "value_max", "unit", "subject", "qualifier", "approx", "placeholder"]
STAT_COLUMNS += ["category", "start", "end", "sentence"]
tab_ent, tab_stat, tab_theme, tab_ph = st.tabs(
    [ui.t("documents.entities"), ui.t("documents.statistics"), ui.t("documents.themes"), ui.t("documents.placeholders")]
)
with tab_ent:
    ui.table(
        rows["entities"][["kind", "text", "norm", "start", "end", "province", "city", "county", "adcode", "title"]],
        view="document-entities",
        key="doc_entities",
    )
with tab_stat:
    ui.table(
        rows["statistics"][STAT_COLUMNS],
        view="document-statistics",
        key="doc_statistics",
    )
with tab_theme:
    ui.table(rows["themes"][["theme", "hits", "score"]], view="document-themes", key="doc_themes")
with tab_ph:
    ui.table(
        spans[spans["kind"].eq("placeholder")][["start", "end", "label"]], view="document-placeholders", key="doc_ph"
    )
