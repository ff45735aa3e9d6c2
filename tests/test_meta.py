"""Meta: dates, sources, bylines and document types, on hand-written texts and the seed corpus."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import clean
from lib.meta import DOC_TYPES, document_date, document_metadata, document_type, parse_date
from lib.split import Part, split_documents

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def seed_metadata(prefix: str) -> list[dict[str, Any]]:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    text = clean.clean_text(path.read_text(encoding="utf-8"))
    return [document_metadata(part, file_text=text) for part in split_documents(text)]


def metadata_of(text: str) -> list[dict[str, Any]]:
    return [document_metadata(part, file_text=text) for part in split_documents(text)]


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2018-11-23 10:40:00 来源:河北新闻网", "2018-11-23"),
        ("朱冬 2018 年 12 月 26 日", "2018-12-26"),
        ("时间:2022-09-12 13:00:04 来源:网友投稿", "2022-09-12"),
        ("二〇一八年十一月二十三日", "2018-11-23"),
        ("二○二三年三月五日", "2023-03-05"),
        ("2019年3月", "2019-03"),
        ("2021/7/1", "2021-07-01"),
        ("2016.02.19", "2016-02-19"),
        ("2018-13-40", ""),
        ("第18-11-23号", ""),
        ("今年以来", ""),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_a_year_alone_on_its_line_is_all_that_is_known() -> None:
    text = "县政协机关2021年党建工作要点\n(2021年)\n今年机关党建主要做好五个方面的工作。"
    meta = metadata_of(text)[0]
    assert (meta["date"], meta["year"], meta["title"]) == ("2021", 2021, "县政协机关2021年党建工作要点")


def test_markdown_heading_marks_are_not_part_of_the_title() -> None:
    text = "# **曲周县政协实现两个全覆盖**\n2018-11-23 来源:河北新闻网\n曲周县政协积极探索创新县级政协党组织设置方式。"
    assert metadata_of(text)[0]["title"] == "曲周县政协实现两个全覆盖"


def test_dateline_at_the_top_is_the_date() -> None:
    head = ["曲周县政协在河北省率先实现“两个全覆盖”", "2018-11-23 10:40:00 来源:河北新闻网"]
    assert document_date(head, [], []) == "2018-11-23"


def test_dated_subtitle_of_a_work_report() -> None:
    head = ["政府工作报告", "——2012年2月29日在海拉尔区第十三届人民代表大会第六次会议上", "各位代表:"]
    assert document_date(head, [], []) == "2012-02-29"


def test_a_date_mentioned_in_a_paragraph_is_not_the_document_date() -> None:
    text = (
        "进一步增强五种能力\n"
        "2018年11月以来,全省各级政协坚持以习近平新时代中国特色社会主义思想为统领,守正创新推进政协党的各项建设。\n"
        "2018 年 , 中办印发新时代加强人民政协党的建设工作的若干意见 , 提出了一系列新部署新要求 , 省委及时研究出台实施意见。"
    )
    assert metadata_of(text)[0]["date"] == ""


def test_signature_date_at_the_end() -> None:
    text = (
        "在县政协党组理论学习中心组会议上的讲话\n同志们:\n"
        + "今天我们集中学习。" * 40
        + "\n县政协党组\n二〇二三年三月十五日"
    )
    meta = metadata_of(text)[0]
    assert (meta["date"], meta["year"]) == ("2023-03-15", 2023)


def test_parts_of_a_compilation_fall_back_to_the_header_date_and_source() -> None:
    text = (
        "政协党建材料2篇\n时间:2022-09-12 13:00:04 来源:网友投稿\n"
        "篇一:政协党建材料\n“三个引领”为政协党建提质增效 朱冬 2018 年 12 月 26 日\n来源:人民政协报\n各级政协党组要突出“三个引领”。\n"
        "篇二:政协党建材料\n党建工作要点\n按照上述总体要求,今年机关党建主要做好五个方面的工作。"
    )
    first, second = metadata_of(text)
    assert (first["date"], first["source"], first["author"]) == ("2018-12-26", "人民政协报", "朱冬")
    assert first["title"] == "“三个引领”为政协党建提质增效"
    assert (second["date"], second["year"], second["source"]) == ("2022-09-12", 2022, "网友投稿")
    assert second["doc_type"] == "工作要点"


@pytest.mark.parametrize(
    "line,title,author,date",
    [
        ("“三个引领”为政协党建提质增效 朱冬 2018 年 12 月 26 日", "“三个引领”为政协党建提质增效", "朱冬", "2018-12-26"),
        ("“三个引领”为政协党建提质增效朱冬2018年12月26日", "“三个引领”为政协党建提质增效", "朱冬", "2018-12-26"),
        ("以党建引领政协履职提质增效李明华2019年5月14日", "以党建引领政协履职提质增效", "李明华", "2019-05-14"),
        ("政协党建工作推进会议纪要2019年5月14日", "政协党建工作推进会议纪要", "", "2019-05-14"),
    ],
)
def test_byline_between_title_and_date(line: str, title: str, author: str, date: str) -> None:
    meta = metadata_of(f"{line}\n各级政协党组要突出“三个引领”,理直气壮抓实党建。")[0]
    assert (meta["title"], meta["author"], meta["date"]) == (title, author, date)


def test_a_paragraph_opening_with_a_date_is_not_a_dateline() -> None:
    head = [
        "一是要站在把握新时代人民政协性质定位的高度来认识政协系统党建工作的重要性。",
        "2018年6月,全国政协召开了全国政协系统党的建设工作座谈会,同年8月,中办印发了《关于加强新时代人民政协党的建设工作的若干意见》。",
    ]
    assert document_date(head, [], []) == ""
    assert document_date(head, [], ["时间:2022-09-12 13:00:04 来源:网友投稿"]) == "2022-09-12"


# --- source and byline --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,source",
    [
        ("曲周县政协实现两个全覆盖\n2018-11-23 10:40:00 来源:河北新闻网\n正文。", "河北新闻网"),
        ("政协党建提质增效\n(来源:人民政协报)\n正文。", "人民政协报"),
        ("新华社北京3月5日电 全国政协十四届一次会议5日下午在人民大会堂开幕。", "新华社"),
        ("人民政协报讯(记者 王亮)近日,省政协召开党建工作座谈会。", "人民政协报"),
        ("县政协党建工作总结\n今年以来,县政协党组认真履职。", ""),
    ],
)
def test_source(text: str, source: str) -> None:
    assert metadata_of(text)[0]["source"] == source


def test_reporter_at_the_end_of_a_news_story_is_the_author() -> None:
    text = (
        "曲周县政协实现两个全覆盖\n2018-11-23 10:40:00 来源:河北新闻网\n县政协换届以来,共召开7次常委会会议。(记者高原雪"
    )
    meta = metadata_of(text)[0]
    assert (meta["author"], meta["author_title"]) == ("高原雪", "记者")
    assert meta["doc_type"] == "新闻报道"


def test_photo_credit_is_not_the_author() -> None:
    text = "全省政协工作会议召开\n会议现场。(记者 阮洋 摄)\n会议强调,要加强政协党的建设。"
    assert metadata_of(text)[0]["author"] == ""


def test_speaker_line_under_the_title_of_a_stand_alone_text() -> None:
    text = "政府工作报告\n——2012年2月29日在海拉尔区第十三届人民代表大会第六次会议上\n海拉尔区人民政府区长 张天喜\n各位代表:\n现在,我代表区政府向大会作工作报告,请予审议。"
    meta = metadata_of(text)[0]
    assert (meta["author"], meta["author_title"]) == ("张天喜", "海拉尔区人民政府区长")
    assert (meta["title"], meta["date"], meta["doc_type"]) == ("政府工作报告", "2012-02-29", "工作报告")


# --- titles and types ---------------------------------------------------------------------


def test_title_skips_breadcrumbs_and_datelines() -> None:
    text = "河北新闻>>本网原创\n曲周县政协在河北省率先实现“两个全覆盖”\n2018-11-23 10:40:00 来源:河北新闻网\n加强政协党的建设是坚持人民政协制度的根本保证。"
    assert metadata_of(text)[0]["title"] == "曲周县政协在河北省率先实现“两个全覆盖”"


def test_long_first_paragraph_is_cut_where_the_title_ends() -> None:
    text = "强政协党建工作的调研报告按照政协党组主题教育关于开展调查研究的部署要求,调研组深入各专委会和机关党支部,采取座谈交流等方式开展调研。"
    assert metadata_of(text)[0]["title"] == "强政协党建工作的调研报告"


def test_title_ends_where_the_byline_mark_starts() -> None:
    text = "进一步增强五种能力以高质量党建为政协事业创新发展夯基固本□刘伟习近平总书记和党中央高度重视政协工作和政协党的建设。"
    assert metadata_of(text)[0]["title"] == "进一步增强五种能力以高质量党建为政协事业创新发展夯基固本"


def test_ocr_spaced_title_is_joined() -> None:
    assert metadata_of("政 府 工 作 报 告\n各位代表:")[0]["title"] == "政府工作报告"


@pytest.mark.parametrize(
    "title,text,doc_type",
    [
        ("基层政协党组织建设工作经验材料", "今年以来,我县积极探索加强基层政协党组织建设的新途径。", "经验材料"),
        ("关于加强县级政协党建工作的调研报告", "按照县委部署,调研组开展了调研。", "调研报告"),
        ("2020年度政协机关党建工作述职报告", "在机关工委领导下,我认真履职,现述职如下。", "述职报告"),
        ("政协党建工作要点", "今年机关党建主要做好五个方面的工作。", "工作要点"),
        ("全市政协系统党建工作推进会议上的讲话", "同志们:\n今天我们召开推进会议。", "讲话"),
        ("全市政协系统党建工作推进会", "同志们:\n今天我们召开推进会议。", "讲话"),
        ("政府工作报告", "各位代表:\n现在,我代表区政府向大会作工作报告,请予审议。", "工作报告"),
        ("曲周县政协实现两个全覆盖", "县政协换届以来共召开7次常委会会议。\n(记者 高原雪)\n责任编辑:张岩", "新闻报道"),
        ("浅谈新时代人民政协党的建设", "人民政协是中国共产党领导的统一战线组织。", "理论文章"),
        ("把牢政协履职方向盘", "我们始终站稳政治立场。我县政协创新实施界别党支部工作法,取得明显成效。", "经验材料"),
        ("政协委员名单", "张三 李四 王五", "其他"),
    ],
)
def test_document_type(title: str, text: str, doc_type: str) -> None:
    assert document_type(title=title, text=f"{title}\n{text}") == doc_type


def test_compilation_header_says_the_parts_are_speeches() -> None:
    header = "# 以高水平党建工作引领政协事业高质量发展\n## ——全省政协系统党的建设工作经验交流会发言摘登"
    text = "把思想政治引领深植委员心中\n省政协财经委分党组坚持以党的政治建设为统领。"
    assert document_type(title="把思想政治引领深植委员心中", text=text, header=header) == "讲话"
    assert document_type(title="把思想政治引领深植委员心中", text=text) == "其他"


# --- the seed corpus ----------------------------------------------------------------------


def test_seed_003_news_story() -> None:
    (meta,) = seed_metadata("003")
    assert meta["title"] == "曲周县政协在河北省率先实现“两个全覆盖”"
    assert (meta["date"], meta["year"], meta["source"]) == ("2018-11-23", 2018, "河北新闻网")
    assert meta["doc_type"] == "新闻报道"
    assert (meta["author"], meta["author_title"]) == ("高原雪", "记者")


def test_seed_000_experience_report() -> None:
    (meta,) = seed_metadata("000")
    assert meta["title"] == "基层政协党组织建设工作经验材料"
    assert meta["doc_type"] == "经验材料"
    assert (meta["date"], meta["source"]) == ("", "")  # the file gives neither


def test_seed_001_articles() -> None:
    metas = seed_metadata("001")
    assert len(metas) == 10
    dates = [m["date"] for m in metas]
    # 篇三 carries its own byline date and source; the others take the compilation's.
    assert dates == ["2022-09-12"] * 2 + ["2018-12-26"] + ["2022-09-12"] * 7
    assert [m["source"] for m in metas] == ["网友投稿"] * 2 + ["人民政协报"] + ["网友投稿"] * 7
    assert metas[2]["author"] == "朱冬"
    types = {i + 1: m["doc_type"] for i, m in enumerate(metas)}
    assert types[4] == "经验材料"  # 市政协机关示范党支部建设工作经验材料
    assert types[5] == "讲话"  # 政协常委会议…讲话
    assert types[6] == "述职报告"  # 2020年度政协机关党建工作述职报告
    assert types[7] == "调研报告"  # …强政协党建工作的调研报告
    assert types[9] == "工作要点"  # 党建工作要点
    assert types[10] == "讲话"  # …推进会议上的讲话 / 同志们:
    assert metas[8]["title"] == "党建工作要点"
    assert metas[3]["title"].replace(" ", "") == "市政协机关示范党支部建设工作经验材料"


def test_seed_002_speeches() -> None:
    metas = seed_metadata("002")
    assert len(metas) == 8
    assert {m["doc_type"] for m in metas} == {"讲话"}
    assert metas[0]["author"] == "胡国辉"
    assert metas[0]["author_title"] == "唐山市政协主席、党组书记"
    assert metas[1]["author"] == "韩咏梅"
    assert metas[1]["author_title"] == "省政协财政经济委员会主任、分党组书记"
    assert {m["date"] for m in metas} == {""}  # the compilation carries no date


# --- properties ---------------------------------------------------------------------------

ISO = re.compile(r"^$|^\d{4}(-\d{2}(-\d{2})?)?$")
PIECES = st.sampled_from(
    ["来源:", "时间:", "2018-11-23", "二〇一八年十一月", "篇一:", "篇二:", "### ", "\n", "记者", "同志们:"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), PIECES), max_size=20).map("".join))
def test_arbitrary_text_never_raises(text: str) -> None:
    parts = split_documents(text) or [Part(1, text)]
    for part in parts:
        meta = document_metadata(part, file_text=text)
        assert ISO.match(meta["date"])
        assert meta["doc_type"] in DOC_TYPES
        assert meta["year"] is None or meta["year"] == int(meta["date"][:4])
        assert all(isinstance(meta[k], str) for k in ("title", "source", "author", "author_title"))


# --- real corpus, when present ------------------------------------------------------------

WORK_REPORTS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "cn_gov_work_reports"


@pytest.mark.skipif(not (WORK_REPORTS / "metadata.csv").exists(), reason="corpus of work reports not present")
def test_work_reports_are_one_dated_work_report_each() -> None:
    with (WORK_REPORTS / "metadata.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    agree = 0
    for row in rows:
        text = clean.clean_text((WORK_REPORTS / row["file"]).read_text(encoding="utf-8"))
        (part,) = split_documents(text)
        found = document_metadata(part, file_text=text)
        assert found["doc_type"] == "工作报告", row["file"]
        agree += found["date"] == row["date"]
    # The metadata gives the delivery date; a few reprints carry only their publication date.
    assert agree >= 0.9 * len(rows)


def test_body_cues_far_from_the_edges_decide_the_type() -> None:
    filler = "委员们认真听取群众意见,并就社区治理提出建议。" * 12  # no cue of any type
    news = f"{filler}\n本报讯 记者从市政协获悉,委员履职服务站已建成。记者了解到,各站配有专人。\n{filler}"
    assert document_type(title="政协委员走进社区", text=news) == "新闻报道"
    assert document_type(title="政协委员走进社区", text=f"{filler}\n{filler}") == "其他"
