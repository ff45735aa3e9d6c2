"""HTML for a document text with highlighted spans; the text is always escaped."""

from __future__ import annotations

import html
import itertools

import pandas as pd

# kind -> CSS declarations; entity kinds colour the background, statistics underline,
# placeholders get a dashed outline, so overlapping spans stay readable.
STYLES: dict[str, str] = {
    "place": "background:#d8ecff",
    "org": "background:#e6dcff",
    "person": "background:#ffe3c2",
    "doc_title": "background:#d9f2dd",
    "slogan": "background:#fff3b0",
    "statistic": "border-bottom:2px solid #d62728;font-weight:600",
    "placeholder": "outline:1px dashed #7f7f7f;background:#eeeeee",
}
_FALLBACK = "background:#eeeeee"


def css() -> str:
    """The style sheet for ``document_html`` and ``legend_html``."""
    rules = [
        ".zx-doc{white-space:pre-wrap;line-height:1.9;font-size:1rem;max-height:70vh;overflow-y:auto;"
        "padding:0.5rem 0.75rem;border:1px solid #e6e9ef;border-radius:0.5rem}",
        ".zx-doc mark{color:inherit;background:transparent;padding:0 1px;border-radius:2px}",
        ".zx-legend mark{color:inherit;background:transparent;padding:0 4px;margin-right:0.6rem;border-radius:2px}",
    ]
    for kind, style in STYLES.items():
        rules.append(f".zx-doc mark.zx-{kind},.zx-legend mark.zx-{kind}{{{style}}}")
    return "<style>" + "".join(rules) + "</style>"


def _class(kind: str) -> str:
    return "zx-" + "".join(c if c.isalnum() or c == "_" else "-" for c in kind)


def document_html(text: str, spans: pd.DataFrame) -> str:
    """``text`` as HTML with every span of ``spans`` (a ``highlights`` view) marked.

    Overlapping spans are cut at every boundary; each piece carries the classes and
    tooltips of all spans covering it. All text, labels and tooltips are escaped.
    """
    n = len(text)
    valid = [
        (int(r["start"]), int(r["end"]), str(r["kind"]), str(r["detail"]))
        for r in spans.to_dict("records")
        if pd.notna(r["start"]) and pd.notna(r["end"]) and 0 <= int(r["start"]) < int(r["end"]) <= n
    ]
    cuts = sorted({0, n, *(s for s, _, _, _ in valid), *(e for _, e, _, _ in valid)})
    starts: dict[int, list[int]] = {}
    for i, (s, _, _, _) in enumerate(valid):
        starts.setdefault(s, []).append(i)
    active: set[int] = set()
    pieces: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active.update(starts.get(a, ()))
        active = {i for i in active if valid[i][1] > a}
        chunk = html.escape(text[a:b], quote=False)
        if not active:
            pieces.append(chunk)
            continue
        covering = sorted(active, key=lambda i: (valid[i][1] - valid[i][0], i))
        classes = " ".join(dict.fromkeys(_class(valid[i][2]) for i in covering))
        title = html.escape(" | ".join(dict.fromkeys(valid[i][3] for i in covering if valid[i][3])), quote=True)
        pieces.append(f'<mark class="{classes}" title="{title}">{chunk}</mark>')
    return '<div class="zx-doc">' + "".join(pieces) + "</div>"


def legend_html(labels: dict[str, str]) -> str:
    """A legend: one coloured sample per kind, ``labels`` maps kind -> shown name."""
    items = "".join(f'<mark class="{_class(k)}">{html.escape(v, quote=False)}</mark>' for k, v in labels.items())
    return f'<div class="zx-legend">{items}</div>'
