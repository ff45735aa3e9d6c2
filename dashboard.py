"""政协党建文本分析 — the Streamlit app: navigation, shared filters and URL state, defined once.

Run with ``./manage serve`` (or ``streamlit run dashboard.py``). The corpus folder is
data/processed unless the environment variable ZHENGXIE_CORPUS names another one.
The pages are listed in lib/ui.py (``PAGES``); each page reads ``ui.filtered_tables()``.
"""

from __future__ import annotations

import streamlit as st

from lib import ui

st.set_page_config(page_title="政协党建文本分析", page_icon="🏛️", layout="wide")

ui.load_url_state()
ui.begin_page_run()
try:
    # One navigation mechanism: st.navigation picks the page, the sidebar shows our own
    # links (the automatic page list is off in .streamlit/config.toml).
    pages = ui.app_pages()
    page = st.navigation(pages, position="hidden")

    ui.ensure_corpus()
    tables = ui.all_tables()

    with st.sidebar:
        st.markdown(f"### {ui.t('app.title')}")
        st.segmented_control(
            ui.t("app.language"),
            ["zh", "en"],
            key="lang",
            format_func=lambda v: {"zh": "中文", "en": "English"}[v],
            selection_mode="single",
            required=True,
        )
        ui.corpus_switch()
        nav = st.container()
        st.divider()
    chosen = ui.sidebar_filters(tables)
    params = ui.url_params(chosen)
    for entry in pages:
        nav.page_link(entry, query_params=params)

    page.run()
finally:
    ui.end_page_run()
