"""Corpora: upload a person's own files or a zip of them into a named workspace, see the
ingest report, edit the workspace's dictionary, stop words, theme lexicon and boilerplate
patterns (checked line by line), and rebuild. The bundled corpus is read-only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import store, ui, workspaces
from lib.resources import Resources
from lib.validate import EDITABLE

MANY_FILES = 50  # from this many files on, the build uses worker processes

ui.require_frame()
st.title(ui.t("workspace.title"))

current = ui.chosen_workspace()
workspace = workspaces.open_workspace(current) if current else None
info = ui.manifest()
if workspace is None:
    st.caption(ui.t("workspace.current_bundled", documents=info.get("counts", {}).get("documents", 0)))
else:
    st.caption(
        ui.t(
            "workspace.current",
            name=workspace.name,
            files=len(workspace.input_names()),
            documents=info.get("counts", {}).get("documents", 0),
        )
    )

for message in st.session_state.pop("wsp_flash", []):
    st.success(message)


def _press(flag: str) -> None:
    """A button's callback: the flag outlives a rerun that would lose the button's value."""
    st.session_state[flag] = True


def _pressed(flag: str) -> bool:
    return bool(st.session_state.pop(flag, False))


tab_upload, tab_report, tab_resources = st.tabs(
    [ui.t("workspace.tab_upload"), ui.t("workspace.tab_report"), ui.t("workspace.tab_resources")],
    key="wsp_tab",
    on_change="rerun",
)


def _progress_bar() -> workspaces.Progress:
    bar = st.progress(0.0, text=ui.t("workspace.checking"))

    def show(fraction: float, message: str) -> None:
        label = ui.t("workspace.checking") if message == "checking files" else ui.t("workspace.building")
        bar.progress(min(1.0, max(0.0, fraction)), text=f"{label} {fraction:.0%}")

    return show


# ---------------------------------------------------------------- upload

with tab_upload:
    st.markdown(ui.t("workspace.upload_help", limit=workspaces.size_label(workspaces.MAX_FILE_BYTES)))
    existing = workspaces.list_workspaces()
    name = st.text_input(
        ui.t("workspace.name"),
        value=current,
        key="wsp_name",
        max_chars=64,
        help=ui.t("workspace.name_help"),
    ).strip()
    if name and workspaces.name_error(name):
        st.error(ui.t("workspace.bad_name"))
    elif name in existing:
        st.caption(ui.t("workspace.adds_to", name=name))
    elif name:
        st.caption(ui.t("workspace.creates", name=name))
    round_ = st.session_state.get("wsp_round", 0)
    uploaded = st.file_uploader(
        ui.t("workspace.files"),
        accept_multiple_files=True,
        key=f"wsp_files_{round_}",
        help=ui.t("workspace.files_help"),
    )
    st.button(
        ui.t("workspace.process"),
        type="primary",
        key="wsp_process",
        disabled=not name or bool(workspaces.name_error(name)),
        on_click=_press,
        args=("wsp_go",),
    )
    go = _pressed("wsp_go")
    if go and not uploaded:
        st.warning(ui.t("workspace.no_files"))
    if go and uploaded and name and not workspaces.name_error(name):
        target = workspaces.open_or_create(name)
        show = _progress_bar()
        try:
            report = workspaces.add_files(
                target,
                [(f.name, f.getvalue()) for f in uploaded],
                workers=None if len(uploaded) >= MANY_FILES else 1,
                progress=show,
            )
        except Exception as exc:  # the workspace is left as it was; say what went wrong
            st.error(ui.t("workspace.failed", error=f"{type(exc).__name__}: {exc}"))
        else:
            ok = int(report["status"].eq("ok").sum())
            st.session_state["wsp_flash"] = [ui.t("workspace.done", name=name, ok=ok, other=len(report) - ok)]
            st.session_state["wsp_round"] = round_ + 1
            ui.switch_corpus(name)
            st.rerun()


# ---------------------------------------------------------------- ingest report

with tab_report:
    if workspace is not None:
        st.subheader(ui.t("workspace.last_upload"))
        last = workspaces.last_report(workspace)
        if last.empty:
            st.caption(ui.t("common.no_rows"))
        else:
            counts = last["status"].value_counts()
            st.caption(
                ui.t(
                    "workspace.report_counts",
                    ok=int(counts.get("ok", 0)),
                    skipped=int(counts.get("skipped", 0)),
                    error=int(counts.get("error", 0)),
                )
            )
            ui.table(last, view="upload-report", key="wsp_last")
    st.subheader(ui.t("workspace.all_files"))
    ui.table(ui.all_tables()["ingest_report"], view="ingest-report", key="wsp_ingest")


# ---------------------------------------------------------------- resources and rebuild


def _pending(ws: workspaces.Workspace) -> list[str]:
    """Resource files saved since the tables were built."""
    built = store.read_manifest(ws.tables).get("resources", {})
    now = ws.resources().digests()
    return [n for n in EDITABLE if built.get(n) != now.get(n)]


with tab_resources:
    resource_labels = {n: f"{ui.t('workspace.res.' + n.removesuffix('.txt'))} ({n})" for n in EDITABLE}
    which = st.selectbox(
        ui.t("workspace.resource"),
        list(EDITABLE),
        key="wsp_resource",
        format_func=lambda n: resource_labels[n],
    )
    if workspace is None:
        st.info(ui.t("workspace.readonly"))
        bundled = Resources().path(which).read_text(encoding="utf-8")
        st.text_area(ui.t("workspace.content"), value=bundled, height=360, disabled=True, key=f"wsp_ro_{which}")
    else:
        key = f"wsp_text_{workspace.name}_{which}"
        if key not in st.session_state:
            st.session_state[key] = workspaces.resource_text(workspace, which)
        text = st.text_area(ui.t("workspace.content"), key=key, height=360, help=ui.t(f"workspace.fmt.{which}"))
        st.button(ui.t("workspace.save"), key="wsp_save", on_click=_press, args=("wsp_save_go",))
        if _pressed("wsp_save_go"):
            errors = workspaces.save_resource(workspace, which, text)
            if errors:
                st.error(ui.t("workspace.invalid", n=len(errors)))
                frame = pd.DataFrame(errors, columns=["line", "message"])
                st.dataframe(frame, hide_index=True, key="wsp_errors", column_config=ui.column_labels(frame))
            else:
                st.success(ui.t("workspace.saved"))
        pending = _pending(workspace)
        if pending:
            st.warning(ui.t("workspace.pending", files="、".join(pending)))
        st.button(
            ui.t("workspace.rebuild"), key="wsp_rebuild", type="primary", on_click=_press, args=("wsp_rebuild_go",)
        )
        if _pressed("wsp_rebuild_go"):
            show = _progress_bar()
            try:
                summary = workspaces.rebuild(workspace, progress=show)
            except Exception as exc:
                st.error(ui.t("workspace.failed", error=f"{type(exc).__name__}: {exc}"))
            else:
                recomputed = "、".join(summary.recomputed) or "—"
                st.session_state["wsp_flash"] = [
                    ui.t("workspace.rebuilt", reused=summary.reused_files, files=summary.files, tables=recomputed)
                ]
                st.rerun()
