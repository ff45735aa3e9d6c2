"""Small multiples: one bar panel per item in a grid, as a single Plotly figure.

Plotly's ``make_subplots`` validates a layout per cell and takes a few hundred
milliseconds for a 4 × 4 grid; this writes the same grid of axes as plain figure data and
skips Plotly's property validation (the structure is fixed here), so a page can redraw it
on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

GAP_X = 0.04
GAP_Y = 0.10


def bar_grid(
    panels: Sequence[tuple[str, Sequence[Any], Sequence[float], dict[str, Any]]],
    *,
    cols: int = 4,
    panel_height: int = 220,
    color: str = "#3c6fb0",
    y_range: tuple[float, float] | None = None,
    y_format: str = "",
) -> go.Figure:
    """A grid of bar charts: each panel is (title, x, y, extra ``go.Bar`` properties)."""
    n = len(panels)
    cols = max(1, min(cols, n))
    rows = max(1, (n + cols - 1) // cols)
    width = (1 - GAP_X * (cols - 1)) / cols
    height = (1 - GAP_Y * (rows - 1)) / rows
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "height": panel_height * rows + 40,
        "showlegend": False,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "annotations": [],
    }
    for i, (title, x, y, extra) in enumerate(panels):
        row, col = divmod(i, cols)
        suffix = "" if i == 0 else str(i + 1)
        x0 = col * (width + GAP_X)
        y1 = 1 - row * (height + GAP_Y)
        bar = {"type": "bar", "x": list(x), "y": list(y), "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data.append({**bar, "marker": {"color": color}, **extra})
        layout[f"xaxis{suffix}"] = {
            "domain": [max(0.0, x0), min(1.0, x0 + width)],
            "anchor": f"y{suffix}",
            "type": "category",
        }
        yaxis: dict[str, Any] = {"domain": [max(0.0, y1 - height), min(1.0, y1)], "anchor": f"x{suffix}"}
        if y_range is not None:
            yaxis["range"] = list(y_range)
        if y_format:
            yaxis["tickformat"] = y_format
        layout[f"yaxis{suffix}"] = yaxis
        layout["annotations"].append(
            {
                "text": title,
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    return go.Figure({"data": data, "layout": layout}, _validate=False)
