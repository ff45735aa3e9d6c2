"""Small multiples: a grid of bar panels with their own axes and titles."""

from __future__ import annotations

from typing import Any

from lib import multiples


def test_five_panels_in_rows_of_four() -> None:
    panels: list[tuple[str, list[str], list[float], dict[str, Any]]] = [
        (f"主题{i}", ["河北省", "四川省"], [0.5, 0.25], {}) for i in range(5)
    ]
    fig = multiples.bar_grid(panels, cols=4, panel_height=200, y_range=(0, 1))
    assert len(fig.data) == 5
    assert [a.text for a in fig.layout.annotations] == [f"主题{i}" for i in range(5)]
    assert fig.layout.height == 2 * 200 + 40
    # panel 5 sits under panel 1 in the second row, on its own axes
    first, fifth = fig.layout.xaxis, fig.layout.xaxis5
    assert fig.data[4].xaxis == "x5" and fig.data[4].yaxis == "y5"
    assert tuple(first.domain) == tuple(fifth.domain)
    assert fig.layout.yaxis5.domain[1] < fig.layout.yaxis.domain[0]
    assert tuple(fig.layout.yaxis3.range) == (0, 1)
    assert list(fig.data[0].x) == ["河北省", "四川省"] and list(fig.data[0].y) == [0.5, 0.25]


def test_one_panel_fills_the_width() -> None:
    fig = multiples.bar_grid([("党员委员（名）", ["甲", "乙"], [72, 30], {})])
    assert tuple(fig.layout.xaxis.domain) == (0.0, 1.0)
