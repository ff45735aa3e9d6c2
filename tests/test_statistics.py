"""Statistics extraction: expected values read from real sentences of the bundled corpus and
of government work reports; what must not be read as a statistic; invariants."""

from __future__ import annotations

import math
import time
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import schema
from lib.statistics import extract_statistics, statistics_table

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
WORK_REPORTS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "cn_gov_work_reports"
NAN = math.nan

# (sentence, surface, value, value_max, unit, subject, qualifier)
POSITIVE = [
    ("在全县230名政协委员中设立了10个界别党支部", "230名", 230, NAN, "名", "政协委员", ""),
    ("在全县230名政协委员中设立了10个界别党支部", "10个", 10, NAN, "个", "界别党支部", ""),
    ("组织开展学习研讨交流、主题宣讲、专题读书班等活动百余次。", "百余次", 100, NAN, "次", "活动", "余"),
    ("累计办惠民实事近4万件，帮助困难家庭2.59万户", "近4万件", 40000, NAN, "件", "惠民实事", "近"),
    ("累计办惠民实事近4万件，帮助困难家庭2.59万户", "2.59万户", 25900, NAN, "户", "困难家庭", ""),
    ("困难学生3.37万名，捐助资金达8000余万元，充分激发", "8000余万元", 80_000_000, NAN, "元", "资金", "余"),
    ("困难学生3.37万名，捐助资金达8000余万元，充分激发", "3.37万名", 33700, NAN, "名", "困难学生", ""),
    ("动员组织委员捐款捐物约合1.6亿元，8名同志主动报名", "约合1.6亿元", 160_000_000, NAN, "元", "", "约合"),
    ("动员组织委员捐款捐物约合1.6 亿元，8 名同志主动报名", "8 名", 8, NAN, "名", "同志", ""),
    ("提案走访面复率、委员满意率均达到100%。", "100%", 100, NAN, "%", "满意率", ""),
    ("曲周县政协每名党员委员联系帮带1—3名党外委员", "1—3名", 1, 3, "名", "党外委员", ""),
    ("市委确定每名市委常委联系1-2名党员委员", "1-2名", 1, 2, "名", "党员委员", ""),
    ("要求5个临时党支部每季度开展一次主题党日活。", "一次", 1, NAN, "次", "", ""),
    ("要求5个临时党支部每季度开展一次主题党日活。", "5个", 5, NAN, "个", "临时党支部", ""),
    ("多渠道投入60多万元，每个活动室配备了办公桌椅", "60多万元", 600_000, NAN, "元", "", "多"),
    ("在邯郸市18个县(市、区)政协推广开来，全面覆盖3861名县级政协委员。", "3861名", 3861, NAN, "名", "县级政协委员", ""),
    ("在全县16个界别建立了8个临时党支部", "16个", 16, NAN, "个", "界别", ""),
    ("在全县16个界别建立了8个临时党支部", "8个", 8, NAN, "个", "临时党支部", ""),
    ("将全县72名党员委员，科学编入8个界别党支部。", "72名", 72, NAN, "名", "党员委员", ""),
    ("累计收集到意见建议183条，反映社情民意122条，形成调研报告24份。", "183条", 183, NAN, "条", "意见建议", ""),
    ("累计收集到意见建议183条，反映社情民意122条，形成调研报告24份。", "122条", 122, NAN, "条", "社情民意", ""),
    ("累计收集到意见建议183条，反映社情民意122条，形成调研报告24份。", "24份", 24, NAN, "份", "调研报告", ""),
    ("今年以来，共撰写提案142件，涉及工业、农业", "142件", 142, NAN, "件", "提案", ""),
    ("共召开7次常委会会议和9次专题协商议政座谈会", "7次", 7, NAN, "次", "常委会会议", ""),
    ("共召开7次常委会会议和9次专题协商议政座谈会", "9次", 9, NAN, "次", "专题协商议政座谈会", ""),
    ("省政协党组每年向省委请示报告工作30余次", "30余次", 30, NAN, "次", "", "余"),
    ("省政协党组每年向省委请示报告工作 30 余次 , 年度协商计划", "30 余次", 30, NAN, "次", "", "余"),
    ("在全县设立了40个协商站点，召开各类协商37次", "40个", 40, NAN, "个", "协商站点", ""),
    ("建立了8个临时党支部(有的党支部涵盖2—3个界别)", "2—3个", 2, 3, "个", "界别", ""),
    ("带动广大委员与100多个贫困户结成帮扶对子", "100多个", 100, NAN, "个", "贫困户", "多"),
    ("由相关政协委员组成五个监督组，深入开展专项民主监督活动", "五个", 5, NAN, "个", "监督组", ""),
    ("洽谈对接客商50余批次。", "50余批次", 50, NAN, "批次", "客商", "余"),
    ("政协委员中60%以上是非中共人士", "60%以上", 60, NAN, "%", "政协委员", "以上"),
    # government work reports
    ("全省完成地区生产总值31534亿元、增长3.3%", "31534亿元", 3_153_400_000_000, NAN, "元", "地区生产总值", ""),
    ("全省完成地区生产总值31534亿元、增长3.3%", "3.3%", 3.3, NAN, "%", "地区生产总值", ""),
    ("地区生产总值增长5.1%", "5.1%", 5.1, NAN, "%", "地区生产总值", ""),
    ("新增城镇就业63万人", "63万人", 630_000, NAN, "人", "", ""),
    ("完成投资1.2万亿元", "1.2万亿元", 1_200_000_000_000, NAN, "元", "投资", ""),
    ("地区生产总值增长6%左右", "6%左右", 6, NAN, "%", "地区生产总值", "左右"),
    ("实施消费品以旧换新行动，直接带动消费超330亿元。", "超330亿元", 33_000_000_000, NAN, "元", "消费", "超"),
    ("电力总装机突破1.5亿千瓦", "1.5亿千瓦", 150_000_000, NAN, "千瓦", "电力总装机", ""),
    ("旅居人数达389.75万、增长20.7%", "389.75万", 3_897_500, NAN, "", "旅居人数", ""),
    ("连续12个季度召开重大产业项目推进会", "12个季度", 12, NAN, "个季度", "", ""),
    ("曾担任过8年县委常委、组织部部长的李占文", "8年", 8, NAN, "年", "县委常委", ""),
    ("高效处置15起森林火灾", "15起", 15, NAN, "起", "森林火灾", ""),
    ("规模以上工业增加值比上年提高3个百分点", "3个百分点", 3, NAN, "个百分点", "", ""),
    ("其中百分之六十以上的委员参加了培训", "百分之六十以上", 60, NAN, "%", "", "以上"),
    ("每个党支部设两三个党小组", "两三个", 2, 3, "个", "党小组", ""),
    ("建成3万至5万千瓦的光伏电站", "3万至5万千瓦", 30_000, 50_000, "千瓦", "", ""),
    ("整车出口突破百万辆、稳居全国第1位", "百万辆", 1_000_000, NAN, "辆", "整车出口", ""),
    ("用了两年多时间完成改造", "两年多", 2, NAN, "年", "", "多"),
    ("外送电量增长1.2倍。入境游客增长1倍多，", "1倍多", 1, NAN, "倍", "", "多"),
    ("建设5个多功能厅", "5个", 5, NAN, "个", "多功能厅", ""),
    ("经营主体连续4年每年新增百万户以上，", "百万户以上", 1_000_000, NAN, "户", "", "以上"),
    ("超过90%的企业实现盈利", "超过90%", 90, NAN, "%", "", "超过"),
    ("投资6349万元，重点实施了第五中学改扩建等5项工程", "5项", 5, NAN, "项", "工程", ""),
    ("历时两个多月完成集中整治", "两个多月", 2, NAN, "个月", "", "多"),
    ("会议持续了一个多小时", "一个多小时", 1, NAN, "小时", "", "多"),
    ("全市共有政协委员1200名，其中中共党员480名", "480名", 480, NAN, "名", "", ""),
    ("同比增长百分之十二", "百分之十二", 12, NAN, "%", "", ""),
    ("高新技术企业达到3万家，连续4年保持20%以上的增长。", "20%以上", 20, NAN, "%", "", "以上"),
    ("在原有政协党组、机关党组、机关党委、机关党支部4种党组织形态的基础上", "4种", 4, NAN, "种", "党组织形态", ""),
    ("目前，已建立起金瑞汽贸党支部等17个非公经济组织或社会组织党支部。", "17个", 17, NAN, "个", "非公经济组织", ""),
    ("工业企业上云率近六成", "近六成", 6, NAN, "成", "上云率", "近"),
    ("农作物种植面积44.8万亩，牧业年度牲畜存栏13.2万头。", "13.2万头", 132_000, NAN, "头", "牲畜存栏", ""),
    ("栽植大树大苗10万余株", "10万余株", 100_000, NAN, "株", "大树大苗", "余"),
    ("全年新建、续建商贸类项目11个，完成投资10.2亿元", "10.2亿元", 1_020_000_000, NAN, "元", "投资", ""),
    ("粮食总产量连续9年稳定在1300亿斤以上。", "1300亿斤以上", 130_000_000_000, NAN, "斤", "", "以上"),
    ("粮食总产量连续9年稳定在1300亿斤以上。", "9年", 9, NAN, "年", "", ""),
    ("全球“灯塔工厂”3家，国家卓越级智能工厂16家，专精特新“小巨人”450家", "16家", 16, NAN, "家", "智能工厂", ""),
]


def _row(sentence: str, surface: str) -> dict[Hashable, Any]:
    table = extract_statistics("doc", sentence)
    rows = [r for r in table.to_dict("records") if r["surface"] == surface]
    assert rows, f"{surface!r} not found in {sentence!r}: {table['surface'].tolist()}"
    return rows[0]


@pytest.mark.parametrize(("sentence", "surface", "value", "value_max", "unit", "subject", "qualifier"), POSITIVE)
def test_expected_statistics(
    sentence: str, surface: str, value: float, value_max: float, unit: str, subject: str, qualifier: str
) -> None:
    row = _row(sentence, surface)
    assert row["value"] == pytest.approx(value)
    assert (math.isnan(value_max) and math.isnan(float(str(row["value_max"])))) or row["value_max"] == pytest.approx(
        value_max
    )
    assert row["unit"] == unit
    if subject:
        assert subject in str(row["subject"])
    assert row["qualifier"] == qualifier
    assert row["approx"] is bool(qualifier)
    assert row["placeholder"] is False


@pytest.mark.parametrize(
    ("sentence", "surface", "category"),
    [
        ("在全县230名政协委员中设立了10个界别党支部", "230名", "people"),
        ("在全县230名政协委员中设立了10个界别党支部", "10个", "organisations"),
        ("今年以来，共撰写提案142件，涉及工业", "142件", "outputs"),
        ("反映社情民意122条，形成", "122条", "outputs"),
        ("共召开7次常委会会议和9次专题协商议政座谈会", "7次", "activities"),
        ("捐助资金达8000余万元，充分激发", "8000余万元", "money"),
        ("委员满意率均达到100%。", "100%", "share"),
        ("在全县设立了40个协商站点，召开", "40个", "places"),
        ("曾担任过8年县委常委", "8年", "time"),
        ("6000平方米老旧小区改造", "6000平方米", "other"),
        ("全年新增市场主体1.2万户", "1.2万户", "organisations"),
        ("帮助困难家庭2.59万户", "2.59万户", "people"),
        ("新增高新技术企业600户", "600户", "organisations"),
    ],
)
def test_category(sentence: str, surface: str, category: str) -> None:
    assert _row(sentence, surface)["category"] == category


@pytest.mark.parametrize(
    ("sentence", "surface", "unit", "qualifier"),
    [
        ("在 X 个界别小组中设立党支部", "X 个", "个", ""),
        ("现有党员 X 人,在职党员 X 人", "X 人", "人", ""),
        ("设立专委会功能型党支部xx个", "xx个", "个", ""),
        ("在x 个专委会设立党支部", "x 个", "个", ""),
        ("实现了提案办理见面率 X%、回复率 X%", "X%", "%", ""),
        ("帮扶困难群众*%以上", "*%以上", "%", "以上"),
        ("捐助资金xxxx余万元", "xxxx余万元", "元", "余"),
        ("对**名中共党员政协委员采取组织关系一方隶属", "**名", "名", ""),
        ("帮助困难家庭x.xx万户", "x.xx万户", "户", ""),
    ],
)
def test_placeholders_are_kept_without_value(sentence: str, surface: str, unit: str, qualifier: str) -> None:
    row = _row(sentence, surface)
    assert row["placeholder"] is True
    assert math.isnan(float(str(row["value"])))
    assert row["unit"] == unit
    assert row["qualifier"] == qualifier


NEGATIVE = [
    "2018-11-23 10:40:00 来源:河北新闻网",
    "2017年以来，曲周县政协党员委员积极参与脱贫攻坚",
    "201X 年以来,脱贫攻坚是 X 县县最大的政治任务",
    "*政协于 20**年 5 月设立机关党委",
    "今年二季度，以委员界别组为单位",
    "今年“七一”前夕，各界别党支部开展了活动",
    "一是创新形式，建强组织。二是开展活动，激发活力。",
    "第一时间学习贯彻习近平总书记重要讲话",
    "从思想上政治上行动上扣好履职的第一粒扣子",
    "坚持“第一议题”抓学习",
    "在全省市级政协率先打造首个综合性平台，第一批试点",
    "带动第一临时党支部委员主动担当作为",
    "居全国第2、第4位",
    "十二届省政协以来，第九届委员会",
    "省政协十二届二次会议召开",
    "在云南省第十四届人民代表大会第三次会议上",
    "深入贯彻党的二十大和二十届二中、三中全会精神",
    "省委十一届八次、九次全会",
    "深入学习贯彻县委十五次党代会精神",
    "协助开展庆祝人民政协成立70周年系列活动",
    "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
    "增强四个意识、坚定四个自信、做到两个维护",
    "在河北省率先实现“两个全覆盖”",
    "创新实施“三抓一提升”工作做法",
    "是实现“十四五”规划目标任务的关键一年",
    "构建“学习+知情”的“1+4”学习格局",
    "推行“6+X支部主题党日”活动",
    "建立“1+1+2+10+N”政协协商机制",
    "在全县政协系统开设“3个课堂”，开展“9个学”",
    "九三学社市委会主委",
    "秦皇岛市政协主席、党组书记 闫五一",
    "在该县“亮身份、亮承诺”的“三亮一争”活动中",
    "深入生产生活一线，全体委员的力量拧成一股绳",
    "提出了一系列新部署新要求，制定出台了一批配套性制度",
    "打造集图书阅览、远程议政于一体的综合性平台",
    "全省政协系统统一部署，进一步加强",
    "实行党员委员组织关系一方隶属、参加双重组织生活",
    "党员委员采取多种方式，加强沟通",
    "组织三级政协委员深入所联系的界别群众中",
    "市县两级政协分别健全完善组织体系",
    "探索开展了“常委会协商、专题会协商”等五大协商",
    "带头示范六个方面，影响带动广大委员",
    "严格“三会一课”，落实八项规定",
    "近五年来，唐山市政协以理论学习为切入点",
    "推动千家万户受益，千方百计稳就业",
    "蒙拓牧机二期等项目开工建设",
    "滇中引水二期骨干工程",
    "这两个“历史上的第一次”",
    "实施零部件产业提升，推进零投诉",
    "积极参与G60科创走廊九地市政协共商机制",
    "《优化营商环境30条》印发实施",
    "实施农村人居环境整治三年行动",
    "推进南京东路、陆家嘴、徐家汇商圈建设",
    "加快南港百万吨乙烯及产业集群项目建设",
    "三年多来，我们坚持稳中求进",
    "三次产业结构演进为3.2:52.5:44.3",
    "过去的五年极不寻常。",
    "全球首台25兆瓦级风电主轴轴承成功下线",
    "实施服务业企业三年倍增计划",
    "人民政协事业60多年发展实践证明",
    "我们中国共产党在九十多年的奋斗历程中",
    "在3月2日政协常宁市第十一届委员会第五次会议上",
    "向司法、城建城管、交通、医疗卫生、教育、食品药品、民政、环保、扶贫、社保等十个重点领域开展民主监督",
    "启动了光明、富强、友好三个蔬菜生产园区建设",
    "养老、医疗、失业、工伤四项保险扩面增效",
    "一批预增产值过10亿元的重大增长点稳定发力",
    "行政村和20户以上自然村全部通硬化路",
    "大唐集团在我区投资超5亿元的项目加快建设",
    "超额完成新一轮百万亩造林绿化工程",
    "重点实施了棚户区改造、基础设施完善、景观提升、市容市貌整治和东山组团建设等5项工程。",
]


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_not_statistics(sentence: str) -> None:
    table = extract_statistics("doc", sentence)
    assert table.empty, table[["surface", "unit", "subject"]].to_dict("records")


@pytest.mark.parametrize(
    ("sentence", "surface", "value", "value_max", "unit"),
    [
        ("对个人处五十元以上二百元以下罚款", "五十元以上二百元以下", 50, 200, "元"),
        ("处违法所得一倍以上三倍以下的罚款", "一倍以上三倍以下", 1, 3, "倍"),
        ("处三万元以上十万元以下罚款", "三万元以上十万元以下", 30_000, 100_000, "元"),
    ],
)
def test_lower_and_upper_bound_make_one_range(
    sentence: str, surface: str, value: float, value_max: float, unit: str
) -> None:
    table = extract_statistics("d", sentence)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["surface"], row["value"], row["value_max"], row["unit"]) == (surface, value, value_max, unit)
    assert row["number_text"] == surface


@pytest.mark.parametrize(
    ("sentence", "subjects"),
    [
        (
            "地方财政总收入完成16亿元，同比增长23.2%；全社会固定资产投资完成155.4亿元，同比增长101.6%",
            ["地方财政总收入", "地方财政总收入", "全社会固定资产投资", "全社会固定资产投资"],
        ),
        ("城市生活垃圾、污水、医疗垃圾处理率分别达到95%、85%、80%以上。", ["处理率"] * 3),
    ],
)
def test_a_quantity_right_after_another_shares_its_subject(sentence: str, subjects: list[str]) -> None:
    found = extract_statistics("d", sentence)["subject"].tolist()
    assert len(found) == len(subjects)
    assert all(f.endswith(s) for f, s in zip(found, subjects, strict=True))
    assert len(set(found[-2:])) == 1


def test_contract_signing_is_not_about() -> None:
    """签约 ends in 约 (about): the qualifier is not read inside another word."""
    table = extract_statistics("d", "全年招商引资签约亿元以上项目6956个、上海与六安新签约1.5亿元")
    assert table["surface"].tolist() == ["6956个", "1.5亿元"]
    assert table["qualifier"].tolist() == ["", ""]


def test_negatives_inside_a_sentence_with_statistics() -> None:
    sentence = "今年以来，在全县230名政协委员中设立了10个界别党支部，增强“四个意识”，第一批试点"
    assert extract_statistics("d", sentence)["surface"].tolist() == ["230名", "10个"]


def test_table_shape_offsets_and_provenance() -> None:
    text = "扩大组织覆盖。\n在全县16个界别建立了8个临时党支部。全面覆盖3861名县级政协委员。"
    table = extract_statistics("doc-1", text)
    schema.check(table, "statistics")
    assert table["doc_id"].tolist() == ["doc-1"] * 3
    for row in table.to_dict("records"):
        assert text[row["start"] : row["end"]] == row["surface"]
    assert table["sentence"].tolist() == ["在全县16个界别建立了8个临时党支部。"] * 2 + ["全面覆盖3861名县级政协委员。"]
    assert table["number_text"].tolist() == ["16", "8", "3861"]


def test_table_of_many_documents_keeps_document_order() -> None:
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "empty", "b", "none"],
            "text": ["在全县230名政协委员中设立了10个界别党支部", "", "今年以来，共撰写提案142件", "第一批试点"],
        }
    )
    table = statistics_table(documents)
    schema.check(table, "statistics")
    assert table["doc_id"].tolist() == ["a", "a", "b"]
    assert table["surface"].tolist() == ["230名", "10个", "142件"]
    assert table["subject"].tolist() == ["政协委员", "界别党支部", "提案"]
    assert table["sentence"].tolist()[2] == "今年以来，共撰写提案142件"


def test_table_of_no_documents_is_empty() -> None:
    table = statistics_table(schema.empty("documents"))
    assert table.empty
    schema.check(table, "statistics")


@pytest.mark.parametrize("text", ["", "   ", "没有数字的句子。", "2018年"])
def test_empty_results_have_the_declared_columns(text: str) -> None:
    table = extract_statistics("d", text)
    assert table.empty
    schema.check(table, "statistics")


def test_seed_document_counts() -> None:
    """The seed news story (read by hand): every statistic it states, nothing else."""
    text = (CORPUS / "003_43cb40c7cae0b93c.txt").read_text(encoding="utf-8")
    table = extract_statistics("003", text)
    found = {(float(v), u) for v, u in zip(table["value"], table["unit"], strict=True)}
    expected = {
        (16.0, "个"),
        (8.0, "个"),
        (72.0, "名"),
        (18.0, "个"),
        (3861.0, "名"),
        (8.0, "年"),
        (2.0, "个"),
        (17.0, "个"),
        (600_000.0, "元"),
        (1.0, "次"),
        (100.0, "个"),
        (1.0, "名"),
        (70.0, "个"),
        (183.0, "条"),
        (122.0, "条"),
        (24.0, "份"),
        (142.0, "件"),
        (100.0, "%"),
        (5.0, "个"),
        (10.0, "个"),
        (7.0, "次"),
        (9.0, "次"),
    }
    assert found == expected


_ALPHABET = st.sampled_from(
    list(
        "0123456789.,-—～+ X x*%年月日第届个名次件条户元万亿千百十余多近约以上左右一二三四五六七八九两零“”《》，。\n政协委员党支部提案"
    )
)


@settings(max_examples=150, deadline=None)
@given(st.text(_ALPHABET, max_size=80) | st.text(max_size=60))
def test_arbitrary_text_never_raises_and_offsets_slice_back(text: str) -> None:
    table = extract_statistics("h", text)
    schema.check(table, "statistics")
    for row in table.to_dict("records"):
        assert text[row["start"] : row["end"]] == row["surface"]
        assert row["surface"].startswith(row["number_text"])
        assert row["sentence"] == "" or row["surface"] in text


@pytest.mark.skipif(not WORK_REPORTS.is_dir(), reason="government work report corpus not present")
def test_work_reports_throughput_and_invariants() -> None:
    paths = sorted(WORK_REPORTS.glob("*.txt"))[:10]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    started = time.perf_counter()
    tables = [extract_statistics(p.name, t) for p, t in zip(paths, texts, strict=True)]
    elapsed = time.perf_counter() - started
    assert sum(map(len, texts)) / elapsed > 50_000  # chars per second, far below the measured rate
    for text, table in zip(texts, tables, strict=True):
        assert len(table) > 20
        for row in table.to_dict("records"):
            assert text[row["start"] : row["end"]] == row["surface"]
        assert not ((table["unit"] == "年") & table["value"].between(1900, 2100)).any()
