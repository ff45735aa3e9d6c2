"""A small corpus written by hand from the seed texts, with its tables filled in by reading.

The app tests use it so that region, date, theme and duplicate filters have known
answers regardless of how far the extraction stages have come. Passages are copied
from data/corpus; every metadata value below was read off the text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib import schema, store

QUZHOU = (
    "曲周县政协在河北省率先实现“两个全覆盖”\n\n"
    "曲周县政协积极探索创新县级政协党组织设置方式,在全县16个界别建立了8个临时党支部,"
    "实行党员委员“组织关系一方隶属、参加双重组织生活”的办法,将全县72名党员委员,科学编入8个界别党支部。\n\n"
    "如今,这棵党建大树已在邯郸市政协系统蔚然成林。“曲周经验”在邯郸市18个县(市、区)政协推广开来,"
    "全面覆盖3861名县级政协委员。\n\n"
    "如何加强政协党建工作?曲周县政协主席李占文一直在思考着这些问题。"
)
TANGSHAN = (
    "构建理论武装大格局 推动政协党建与履职双提升\n\n唐山市政协主席、党组书记 胡国辉\n\n"
    "近五年来，唐山市政协以“理论学习+思想大武装”为切入点，以学习坚定政治定力、巩固思想基础、"
    "提升业务能力、激发履职活力，为推动新时代政协事业发展注入了不竭动力。"
)
QINHUANGDAO = (
    "以“四个强化”为抓手 激发政协党建工作新活力\n\n秦皇岛市政协主席、党组书记 闫五一\n\n"
    "党的十九大以来，秦皇岛市政协坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实中央政协工作会议精神。"
)
GUAN = (
    "突出特色 把牢方向 推动党的工作向政协委员全覆盖\n\n廊坊市固安县政协主席、党组书记 刘军\n\n"
    "近年来，固安县政协坚持和强化“三个引领”，引导委员知责于心、担责于身、履责于行，"
    "实现政协党建与委员履职深度融合，推动党的工作向政协委员全覆盖。"
)
TEMPLATE = (
    "基层政协党组织建设工作经验材料\n\n"
    "今年以来，我县针对政协委员多为兼职、党外委员比例高等现实情况，积极探索加强基层政协党组织建设的新途径。"
    "在全县230名政协委员中设立了10个界别党支部。X县政协于XX年实现全覆盖。"
)
SCRIPT = "网页残留\n\n责任编辑:王炜娜<script>alert('xss')</script> 政协党建<b>加粗</b>"

# doc_id -> row of ``documents`` (text and n_chars are added below)
DOCUMENTS: list[dict[str, object]] = [
    {
        "doc_id": "003.txt#01",
        "source_path": "003.txt",
        "part": 1,
        "title": "曲周县政协在河北省率先实现“两个全覆盖”",
        "date": "2018-11-23",
        "year": 2018,
        "source": "河北新闻网",
        "doc_type": "新闻报道",
        "province": "河北省",
        "city": "邯郸市",
        "county": "曲周县",
        "level": "county",
        "adcode": "130435",
        "region_evidence": "标题：曲周县政协在河北省率先实现“两个全覆盖”",
        "dup_group": 1,
        "text": QUZHOU,
    },
    {
        "doc_id": "003-copy.txt#01",
        "source_path": "003-copy.txt",
        "part": 1,
        "title": "曲周县政协在河北省率先实现“两个全覆盖”",
        "date": "2018-11-23",
        "year": 2018,
        "source": "河北新闻网",
        "doc_type": "新闻报道",
        "province": "河北省",
        "city": "邯郸市",
        "county": "曲周县",
        "level": "county",
        "adcode": "130435",
        "region_evidence": "标题：曲周县政协在河北省率先实现“两个全覆盖”",
        "dup_group": 1,
        "text": QUZHOU,
    },
    {
        "doc_id": "002.md#01",
        "source_path": "002.md",
        "part": 1,
        "title": "构建理论武装大格局 推动政协党建与履职双提升",
        "date": "2019-05",
        "year": 2019,
        "author": "胡国辉",
        "author_title": "唐山市政协主席、党组书记",
        "doc_type": "讲话",
        "province": "河北省",
        "city": "唐山市",
        "level": "city",
        "adcode": "130200",
        "region_evidence": "作者职务：唐山市政协主席、党组书记",
        "text": TANGSHAN,
    },
    {
        "doc_id": "002.md#03",
        "source_path": "002.md",
        "part": 3,
        "title": "以“四个强化”为抓手 激发政协党建工作新活力",
        "date": "2019-05",
        "year": 2019,
        "author": "闫五一",
        "author_title": "秦皇岛市政协主席、党组书记",
        "doc_type": "讲话",
        "province": "河北省",
        "city": "秦皇岛市",
        "level": "city",
        "adcode": "130300",
        "region_evidence": "作者职务：秦皇岛市政协主席、党组书记",
        "text": QINHUANGDAO,
    },
    {
        "doc_id": "002.md#07",
        "source_path": "002.md",
        "part": 7,
        "title": "突出特色 把牢方向 推动党的工作向政协委员全覆盖",
        "date": "2019",
        "year": 2019,
        "author": "刘军",
        "author_title": "廊坊市固安县政协主席、党组书记",
        "doc_type": "讲话",
        "province": "河北省",
        "city": "廊坊市",
        "county": "固安县",
        "level": "county",
        "adcode": "131022",
        "region_evidence": "作者职务：廊坊市固安县政协主席、党组书记",
        "text": GUAN,
    },
    {
        "doc_id": "000.txt#01",
        "source_path": "000.txt",
        "part": 1,
        "title": "基层政协党组织建设工作经验材料",
        "doc_type": "经验材料",
        "level": "unknown",
        "is_template": True,
        "text": TEMPLATE,
    },
    {
        "doc_id": "web.html#01",
        "source_path": "web.html",
        "part": 1,
        "title": "网页残留",
        "date": "2021-03-01",
        "year": 2021,
        "doc_type": "其他",
        "province": "北京市",
        "city": "北京市",
        "level": "city",
        "adcode": "110000",
        "region_evidence": "测试：<script>alert('evidence')</script>",
        "text": SCRIPT,
    },
]


def _span(doc_id: str, text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def tables() -> dict[str, pd.DataFrame]:
    """Every table of the hand corpus."""
    docs = []
    for row in DOCUMENTS:
        row = dict(row)
        row["n_chars"] = len(str(row["text"]))
        docs.append(row)
    documents = schema.from_records(docs, "documents")

    entities = []
    for doc_id in ("003.txt#01", "003-copy.txt#01"):
        for surface, kind, norm, province, city, county in (
            ("曲周县", "place", "曲周县", "河北省", "邯郸市", "曲周县"),
            ("河北省", "place", "河北省", "河北省", "", ""),
            ("邯郸市", "place", "邯郸市", "河北省", "邯郸市", ""),
            ("曲周县政协", "org", "曲周县政协", "", "", ""),
            ("李占文", "person", "李占文", "", "", ""),
        ):
            start, end = _span(doc_id, QUZHOU, surface)
            entities.append(
                {
                    "doc_id": doc_id,
                    "kind": kind,
                    "text": surface,
                    "norm": norm,
                    "start": start,
                    "end": end,
                    "province": province,
                    "city": city,
                    "county": county,
                    "title": "政协主席" if kind == "person" else "",
                }
            )
    start, end = _span("002.md#01", TANGSHAN, "唐山市")
    entities.append(
        {"doc_id": "002.md#01", "kind": "place", "text": "唐山市", "norm": "唐山市", "start": start, "end": end}
    )

    statistics = []
    for surface, value, unit, subject, category in (
        ("16个界别", 16, "个", "界别", "sectors"),
        ("8个临时党支部", 8, "个", "临时党支部", "branches"),
        ("72名党员委员", 72, "名", "党员委员", "members"),
        ("3861名县级政协委员", 3861, "名", "县级政协委员", "members"),
    ):
        for doc_id in ("003.txt#01", "003-copy.txt#01"):
            start, end = _span(doc_id, QUZHOU, surface)
            statistics.append(
                {
                    "doc_id": doc_id,
                    "start": start,
                    "end": end,
                    "surface": surface,
                    "number_text": str(value),
                    "value": float(value),
                    "unit": unit,
                    "subject": subject,
                    "category": category,
                    "sentence": surface,
                }
            )
    start, end = _span("000.txt#01", TEMPLATE, "230名政协委员")
    statistics.append(
        {
            "doc_id": "000.txt#01",
            "start": start,
            "end": end,
            "surface": "230名政协委员",
            "number_text": "230",
            "value": 230.0,
            "unit": "名",
            "subject": "政协委员",
            "category": "members",
        }
    )

    themes = [
        {"doc_id": "003.txt#01", "theme": "组织覆盖", "hits": 3, "score": 1.0},
        {"doc_id": "003-copy.txt#01", "theme": "组织覆盖", "hits": 3, "score": 1.0},
        {"doc_id": "002.md#07", "theme": "组织覆盖", "hits": 2, "score": 0.8},
        {"doc_id": "002.md#01", "theme": "理论学习", "hits": 2, "score": 0.9},
        {"doc_id": "002.md#03", "theme": "理论学习", "hits": 1, "score": 0.4},
        {"doc_id": "000.txt#01", "theme": "组织覆盖", "hits": 0, "score": 0.0},
    ]
    duplicates = [
        {"doc_id": "003.txt#01", "group_id": 1, "canonical_doc_id": "003.txt#01", "similarity": 1.0},
        {"doc_id": "003-copy.txt#01", "group_id": 1, "canonical_doc_id": "003.txt#01", "similarity": 1.0},
    ]
    report = [
        {"source_path": p, "status": "ok", "reason": "", "n_documents": n}
        for p, n in (("003.txt", 1), ("003-copy.txt", 1), ("002.md", 3), ("000.txt", 1), ("web.html", 1))
    ]
    return {
        "documents": documents,
        "entities": schema.from_records(entities, "entities"),
        "statistics": schema.from_records(statistics, "statistics"),
        "terms": schema.empty("terms"),
        "keywords": schema.empty("keywords"),
        "themes": schema.from_records(themes, "themes"),
        "duplicates": schema.from_records(duplicates, "duplicates"),
        "ingest_report": schema.from_records(report, "ingest_report"),
    }


def write(folder: Path) -> Path:
    """Store the hand corpus as a built folder (Parquet tables + manifest)."""
    built = tables()
    manifest = {"built_at": "2026-01-01T00:00:00+00:00", "counts": {k: len(v) for k, v in built.items()}}
    store.write_tables(folder, built, manifest)
    return folder
