"""Place matching speed and document-region accuracy on the real corpora.

    .venv/bin/python -m bench.places                 # all of cn_laws_regs and cn_gov_work_reports
    .venv/bin/python -m bench.places --files 500     # the first 500 files of each corpus only

Speed: ``places.place_mentions`` over every file of cn_laws_regs (characters per second,
after the matcher is built once). Accuracy: ``places.document_region`` (title from the
metadata, no speaker title) against the region columns of each corpus's metadata.csv:
local regulations must get their province and, for city regulations, their city; national
laws, regulations and judicial interpretations should get no region (a province there is
counted as a false region); government work reports must get their province and level.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from bench.measure import corpus, machine, text_files
from lib import places


def scan_speed(files: list[Path]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in files]
    started = time.perf_counter()
    places.matcher()
    built = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = sum(len(places.place_mentions(str(i), text)) for i, text in enumerate(texts))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    chars = sum(map(len, texts))
    print(
        f"scan: {len(texts)} files, {chars:,} characters, {rows:,} place mentions; "
        f"matcher built in {built:.2f} s, scan {seconds:.1f} s wall ({cpu:.1f} s CPU) = "
        f"{chars / seconds:,.0f} characters/s ({chars / cpu:,.0f} per CPU second)"
    )


def laws_accuracy(folder: Path, limit: int | None) -> None:
    with (folder / "metadata.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    local = [r for r in rows if r["region"] != "全国"]
    national = [r for r in rows if r["region"] == "全国"]
    province_ok = city_ok = city_n = 0
    for row in local:
        text = (folder / row["file"]).read_text(encoding="utf-8")
        out = places.document_region(
            text=text, title=row["title"], author_title="", mentions=places.place_mentions(row["file"], text)
        )
        province_ok += out["province"].startswith(row["province"][:2])
        if row["city"]:
            city_n += 1
            city_ok += out["city"].startswith(row["city"][:2])
    false_region = 0
    for row in national:
        text = (folder / row["file"]).read_text(encoding="utf-8")
        out = places.document_region(
            text=text, title=row["title"], author_title="", mentions=places.place_mentions(row["file"], text)
        )
        false_region += out["level"] != "unknown"
    print(
        f"cn_laws_regs local regulations: province {province_ok}/{len(local)} = {province_ok / max(1, len(local)):.3f}, "
        f"city {city_ok}/{city_n} = {city_ok / max(1, city_n):.3f}; "
        f"national texts given a region: {false_region}/{len(national)}"
    )


def reports_accuracy(folder: Path, limit: int | None) -> None:
    with (folder / "metadata.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    ok = 0
    for row in rows:
        text = (folder / row["file"]).read_text(encoding="utf-8")
        out = places.document_region(
            text=text, title=row["title"], author_title="", mentions=places.place_mentions(row["file"], text)
        )
        level = "county" if row["level"].startswith("县级") else "province"
        ok += out["province"] == row["province"] and out["level"] == level
    print(f"cn_gov_work_reports: province and level right {ok}/{len(rows)} = {ok / max(1, len(rows)):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=None, help="only the first N files of each corpus")
    args = parser.parse_args()
    print(machine())
    laws = corpus("cn_laws_regs")
    scan_speed(text_files(laws)[: args.files])
    laws_accuracy(laws, args.files)
    reports_accuracy(corpus("cn_gov_work_reports"), args.files)


if __name__ == "__main__":
    main()
