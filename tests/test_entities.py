"""Organisations, people, 《》 titles and slogans, checked against sentences read by hand."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import entities, schema
from lib.resources import Resources

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
GOV_REPORTS = ROOT.parent / "shared" / "corpora" / "cn_gov_work_reports"


def seed(prefix: str) -> str:
    """The seed file starting with ``prefix``, NFKC-normalised as the cleaning stage does."""
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))


def rows(text: str, kind: str) -> pd.DataFrame:
    frame = entities.extract_entities("d#01", text)
    return frame[frame["kind"] == kind]


def norms(text: str, kind: str) -> list[str]:
    return rows(text, kind)["norm"].tolist()


def people(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, title in rows(text, "person")[["norm", "title"]].itertuples(index=False):
        found.setdefault(name, set()).add(title)
    return found


def assert_offsets(frame: pd.DataFrame, text: str) -> None:
    for surface, start, end in frame[["text", "start", "end"]].itertuples(index=False):
        assert text[start:end] == surface


# --- the table ---------------------------------------------------------------------------


def test_empty_text_gives_empty_table_with_declared_columns() -> None:
    frame = entities.extract_entities("d#01", "")
    schema.check(frame, "entities")
    assert frame.empty


def test_rows_are_typed_ordered_and_slice_back() -> None:
    text = seed("003")
    frame = entities.extract_entities("003#01", text)
    schema.check(frame, "entities")
    assert set(frame["kind"]) == {"org", "person", "doc_title", "slogan"}
    assert (frame["doc_id"] == "003#01").all()
    assert frame["start"].is_monotonic_increasing
    assert_offsets(frame, text)


def test_table_of_many_documents_keeps_document_order() -> None:
    documents = pd.DataFrame(
        {
            "doc_id": ["a#01", "b#01", "c#01"],
            "text": [
                "定期听取机关党组工作汇报，同时建立完善县政协党组成员联系界别制度。",
                "",
                "学习《政协章程》，落实“三抓一提升”要求。",
            ],
        }
    )
    frame = entities.entities_table(documents)
    schema.check(frame, "entities")
    assert frame[["doc_id", "kind", "text", "norm"]].values.tolist() == [
        ["a#01", "org", "机关党组", "机关党组"],
        ["c#01", "doc_title", "《政协章程》", "政协章程"],
        ["c#01", "slogan", "三抓一提升", "三抓一提升"],
    ]
    assert frame["start"].tolist() == [4, 2, 12]


def test_table_of_no_documents_is_empty() -> None:
    frame = entities.entities_table(schema.empty("documents"))
    schema.check(frame, "entities")
    assert frame.empty


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        ("(?:专委会|专门委员会)?分党组(?!书记|副书记|成员)", {"专", "分"}),
        ("(?<![人村居])民革(?!命)|中国国民党革命委员会", {"民", "中"}),
        ("协商议事[室厅]", {"协"}),
        ("功能[型性]党支部", {"功"}),
        ("[0-3]个", {"0", "1", "2", "3"}),
    ],
)
def test_first_characters_of_a_pattern(pattern: str, first: set[str]) -> None:
    assert entities.first_characters(pattern) == first


@pytest.mark.parametrize("pattern", ["(?:政协)?", "[^党]组", r"\d+个", ".委", "(?i)x组", "[一-龥]组"])
def test_first_characters_unknown(pattern: str) -> None:
    assert entities.first_characters(pattern) is None


def test_first_character_look_ahead_keeps_every_organisation_match() -> None:
    text = "".join(seed(prefix) for prefix in ("000", "001", "002", "003"))
    for line in Resources().lines("org_types.txt"):
        regex = line.partition("\t")[2].strip()
        plain = [m.span() for m in re.finditer(regex, text)]
        assert plain == [m.span() for m in re.finditer(entities._with_first_chars(regex), text)]
    assert len(rows(text, "org")) > 10


# --- seeds: expected values from reading the texts ------------------------------------------


def test_seed_000_slogans() -> None:
    found = norms(seed("000"), "slogan")
    for slogan in ("三抓一提升", "六有双联双促进", "6+X支部主题党日", "四个意识"):
        assert slogan in found
    # “3个课堂” and “9个学” are each quoted twice ("开设“3个课堂”…开设的“3个课堂”")
    assert found.count("3个课堂") == 2
    assert found.count("9个学") == 2
    for quoted_without_number in ("委员之家", "书香政协", "移动课堂", "先锋课堂", "政协委员"):
        assert quoted_without_number not in found


def test_seed_000_titles_orgs_and_no_people() -> None:
    text = seed("000")
    titles = norms(text, "doc_title")
    assert "**县政协党组关于加强界别党支部建设的实施意见" in titles
    assert "中国共产党支部工作条例(试行)" in titles
    assert "社情民意专报" in titles
    assert len(titles) == 7
    orgs = rows(text, "org")
    assert "界别党支部" in set(orgs["norm"])
    assert "县政协党组" in set(orgs["text"])
    # an anonymised county report: nobody is named
    assert rows(text, "person").empty


def test_seed_003_people_with_titles() -> None:
    found = people(seed("003"))
    assert found["李占文"] == {"曲周县政协主席"}
    assert found["骆向明"] == {"委员"}
    assert found["高原雪"] == {"记者"}
    assert found["张岩"] == {"责任编辑"}
    assert set(found) == {"李占文", "骆向明", "高原雪", "张岩"}


def test_seed_003_organisations() -> None:
    orgs = rows(seed("003"), "org")
    by_text = dict(zip(orgs["text"], orgs["norm"], strict=False))
    assert by_text["曲周县政协党组"] == "政协党组"
    assert by_text["县政协党组"] == "政协党组"
    assert by_text["金瑞汽贸党支部"] == "党支部"
    assert by_text["临时党支部"] == "临时党支部"
    # "在全县16个界别建立了8个临时党支部" and "建立了8个临时党支部(有的党支部…)"
    assert list(orgs["norm"]).count("临时党支部") == 2
    assert list(orgs["norm"]).count("界别党支部") == 4
    # "县政协党组成员联系…" names a role, not the organisation
    assert all(not t.endswith("党组成员") for t in orgs["text"])


def test_seed_003_slogans_and_titles() -> None:
    text = seed("003")
    found = norms(text, "slogan")
    assert sorted(found) == sorted(["两个全覆盖", "6+X支部主题党日", "四个意识", "三亮一争"])
    assert norms(text, "doc_title") == [
        "关于加强新时代人民政协党的建设工作的若干意见",
        "关于进一步发挥党员委员先锋模范作用的实施意见",
    ]


def test_seed_002_speakers_and_committee() -> None:
    text = seed("002")
    found = people(text)
    assert found["胡国辉"] == {"唐山市政协主席、党组书记"}
    assert found["韩咏梅"] == {"省政协财政经济委员会主任、分党组书记"}
    assert found["李勤芳"] == {"邯郸市复兴区政协主席、党组书记"}
    assert found["习近平"] == {"总书记"}
    orgs = rows(text, "org")
    assert ("省政协财经委分党组", "专委会分党组") in set(zip(orgs["text"], orgs["norm"], strict=False))


def test_seed_002_slogans() -> None:
    found = norms(seed("002"), "slogan")
    for slogan in ("1+4", "1+1+2+10+N", "双联双服", "五携手", "双创一争", "两个全覆盖", "一岗双责"):
        assert slogan in found
    assert found.count("四个意识") == 4
    assert "双重组织生活" in found  # 建立“双重组织生活”制度, one of four numbered systems
    for not_slogan in ("3·23", "七一", "第一粒扣子", "最后一公里", "理论学习+思想大武装"):
        assert not_slogan not in found


def test_seed_001_ocr_spaces_are_normalised() -> None:
    text = seed("001")
    found = norms(text, "slogan")
    # every mention, whether “四个意识”, “ 四个意识 ” or "四个意识 ” (mismatched), counts once
    assert found.count("四个意识") == text.count("四个意识")
    assert found.count("十大战略") == 2  # “ 十大战略 ” twice in the OCR part
    assert "七一" not in found  # “ 七 一 ” is the date of a speech
    assert "人民政协报" in norms(text, "doc_title")  # 《 人\n\n 民政协报 》
    named = people(text)
    assert named["汪洋"] == {"主席"}
    assert "刘伟" in named  # "□ 刘伟" byline of the journal article


# --- people ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("如何调动全体政协委员的履职积极性?曲周县政协主席李占文一直在思考着这些问题。", "李占文", "曲周县政协主席"),
        ("唐山市政协主席、党组书记 胡国辉\n\n近五年来", "胡国辉", "唐山市政协主席、党组书记"),
        ("汪洋主席着眼新时代政协党建工作高质量发展。", "汪洋", "主席"),
        ("智慧力量在党旗下凝聚。骆向明委员积极弘扬传统文化。", "骆向明", "委员"),
        ("丰富了群众文化生活。(记者高原雪\n", "高原雪", "记者"),
        ("责任编辑:张岩\n更多精彩内容", "张岩", "责任编辑"),
        ("会议由县政协主席王建华主持。", "王建华", "县政协主席"),
        ("天津市市长张工同志作政府工作报告。", "张工", "天津市市长"),
        ("学习贯彻习近平总书记重要讲话精神。", "习近平", "总书记"),
        ("以习近平同志为核心的党中央", "习近平", ""),
        ("韩咏梅同志指出,要把委员团结在党的周围。", "韩咏梅", ""),
        ("欧阳明华委员说，要把提案写实。", "欧阳明华", "委员"),
        ("帮助贫困户脱贫增收。如刘宗坤委员采取订单帮扶模式。", "刘宗坤", "委员"),
        ("秦皇岛市政协主席、党组书记 闫五一\n\n党的十九大以来", "闫五一", "秦皇岛市政协主席、党组书记"),
        ("呼伦贝尔市海拉尔区人民政府代区长  萨国文\n", "萨国文", "呼伦贝尔市海拉尔区人民政府代区长"),
    ],
)
def test_person_and_title(text: str, name: str, title: str) -> None:
    found = people(text)
    assert found == {name: {title}}
    assert_offsets(rows(text, "person"), text)


@pytest.mark.parametrize(
    "text",
    [
        "同志们，大家好！",
        "以高质量党建推动高质量发展。",
        "进一步增强委员向心力，提升凝聚力。",
        "用好我国担任上合组织轮值主席国机遇。",
        "广大委员和全体党员委员积极参与，相关委员深入调研。",
        "确保总书记有号令、党中央有部署。",
        "并请区政协委员和列席会议的同志提出意见。",
        "深入学习习近平新时代中国特色社会主义思想。",
        "坚持毛泽东思想、邓小平理论。",
        "省政协主席会议研究通过了工作要点。",
        "未经大会执行主席许可，不得发言。",
        "主任会议向全部委员通报情况。",
        "视察方案经主任会议讨论通过。",
        "其他审计结果经履行规定的审核程序后7个工作日内公开。",
        "配合社区工作者、物业服务企业开展工作。",
    ],
)
def test_no_false_people(text: str) -> None:
    assert people(text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县政协主席李占文、副主席王华一行深入企业调研。", {"李占文": {"县政协主席"}, "王华": {"副主席"}}),
        (
            "市政协委员张三、李四、王五参加活动。",
            {"张三": {"市政协委员"}, "李四": {"市政协委员"}, "王五": {"市政协委员"}},
        ),
        ("(记者 张三 李四)", {"张三": {"记者"}, "李四": {"记者"}}),
        ("县政协副主席、党组成员李四主持会议。", {"李四": {"县政协副主席、党组成员"}}),
        ("全国政协委员、民建中央副主席王小明表示,", {"王小明": {"全国政协委员、民建中央副主席"}}),
    ],
)
def test_several_people(text: str, expected: dict[str, set[str]]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize(
    ("text", "surface", "name", "title"),
    [
        ("上海市市长 龚 正\n\n各位代表：", "龚 正", "龚正", "上海市市长"),
        ("自治区主席 韦 韬\n", "韦 韬", "韦韬", "自治区主席"),
        ("——2025年1月15日龚正市长在上海市第十六届人民代表大会上", "龚正", "龚正", "市长"),
        (
            "在河北省第十四届人民代表大会第三次会议上河北省人民政府省长王正谱作政府工作报告。",
            "王正谱",
            "王正谱",
            "河北省人民政府省长",
        ),
        ("海拉尔区人民政府区长  杜联合\n", "杜联合", "杜联合", "海拉尔区人民政府区长"),
    ],
)
def test_speaker_lines_of_work_reports(text: str, surface: str, name: str, title: str) -> None:
    found = rows(text, "person")
    assert found[["text", "norm", "title"]].values.tolist() == [[surface, name, title]]
    assert_offsets(found, text)


def test_photo_credit_name_ends_before_she() -> None:
    assert people("(记者 戴冰 摄)") == {"戴冰": {"记者"}}
    assert people("记者 戴冰摄") == {"戴冰": {"记者"}}


# --- organisations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "norm"),
    [
        ("唐山市政协党组高度重视理论学习。", "唐山市政协党组", "政协党组"),
        ("省政协机关党委组织开展主题党日活动。", "省政协机关党委", "机关党委"),
        ("目前,已建立起金瑞汽贸党支部等17个党支部。", "金瑞汽贸党支部", "党支部"),
        ("在专委会设立功能性党支部。", "功能性党支部", "功能型党支部"),
        ("邀请九三学社、民进等民主党派参加。", "九三学社", "九三学社"),
        ("加强对机关党组、专委会分党组的领导。", "专委会分党组", "专委会分党组"),
        ("在社区建立委员工作室。", "委员工作室", "委员工作室"),
        ("健全政协党组、机关党组、机关党委、机关党支部的组织体系。", "机关党支部", "机关党支部"),
        ("市工商联召开执委会议。", "市工商联", "工商联"),
    ],
)
def test_organisation(text: str, surface: str, norm: str) -> None:
    orgs = rows(text, "org")
    assert (surface, norm) in set(zip(orgs["text"], orgs["norm"], strict=False))
    assert_offsets(orgs, text)


@pytest.mark.parametrize(
    "text",
    ["统筹保障农村村民建房。", "对应征公民进行政治考核。", "指导人民建议征集工作。", "属于村(居)民建住宅的。"],
)
def test_party_short_names_not_inside_words(text: str) -> None:
    assert rows(text, "org").empty


def test_organisation_prefix_stops_at_verbs() -> None:
    orgs = rows("定期听取机关党组工作汇报，同时建立完善县政协党组成员联系界别制度。", "org")
    assert list(orgs["text"]) == ["机关党组"]


def test_edited_resources_are_read_from_a_workspace_folder(tmp_path: Path) -> None:
    (tmp_path / "org_types.txt").write_text("# own types\n委员驿站\t委员驿站\n", encoding="utf-8")
    (tmp_path / "slogans.txt").write_text("三个一\n", encoding="utf-8")
    frame = entities.extract_entities("d#01", "建成委员驿站，落实三个一要求。", resources=Resources(tmp_path))
    assert frame[["kind", "text"]].values.tolist() == [["org", "委员驿站"], ["slogan", "三个一"]]
    (tmp_path / "org_types.txt").write_text("委员驿站 委员驿站\n", encoding="utf-8")
    with pytest.raises(ValueError, match="NORM<TAB>REGEX"):
        entities.extract_entities("d#01", "委员驿站", resources=Resources(tmp_path))


# --- 《》 titles --------------------------------------------------------------------------------


def test_doc_titles_normalise_spaces_and_skip_broken_brackets() -> None:
    text = (
        "印发《关于 加强新时代人民政协党的建设\n工作的若干意见》和〈政协章程〉，又见《未闭合的标题。"
        + "《"
        + "长" * 120
        + "》"
    )
    titles = rows(text, "doc_title")
    assert list(titles["norm"]) == ["关于加强新时代人民政协党的建设工作的若干意见", "政协章程"]
    assert titles.iloc[0]["text"].startswith("《") and titles.iloc[0]["text"].endswith("》")
    assert_offsets(titles, text)


# --- slogans -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "增强“四个意识”。",
        "增强“四个意识“。",
        "增强“ 四个意识 ”。",
        '增强"四个意识"。',
        "增强「四个意识」。",
        "增强”四个意识”。",
        "增强‘四个意识’。",
    ],
)
def test_quote_variants_agree(text: str) -> None:
    found = rows(text, "slogan")
    assert list(found["norm"]) == ["四个意识"]
    assert list(found["text"]) == ["四个意识"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("持续推进“三个一流、四个之家”建设。", ["三个一流", "四个之家"]),
        ("开展“我为‘十四五’发展献一策”活动。", ["十四五"]),
        ("不断增强四个意识、坚定四个自信、做到两个维护。", ["四个意识", "四个自信", "两个维护"]),
        ("推广“6+x”模式，建立1+N制度体系。", ["6+X", "1+N"]),
        ("组织开展“百名委员讲党史”活动。", ["百名委员讲党史"]),
        ("开展“三抓一提升“和“五携手”活动。", ["三抓一提升", "五携手"]),
        ("认真落实省委“132”总体工作部署。", ["132"]),
        ("落实党组会议“第一议题”制度。", ["第一议题"]),
        ("认真落实“三会一课”制度，严格“一岗双责”。", ["三会一课", "一岗双责"]),
        ("在党建与履职“双向发力”中当主力。", ["双向发力"]),
    ],
)
def test_slogans(text: str, expected: list[str]) -> None:
    found = rows(text, "slogan")
    assert list(found["norm"]) == expected
    assert_offsets(found, text)


@pytest.mark.parametrize(
    "text",
    [
        "营造“委员之家”浓厚氛围，找到了“金钥匙”。",
        "当好“一把手”，打通“最后一公里”。",
        "学习“七一”重要讲话和“3·23”讲话，扣好“第一粒扣子”。",
        "实现“2035”远景目标，占比“75%”，增长“2.7”。",
        "决战“过万亿”，把“八小时”以外的生活管起来。",
        "形成了“支部建在界别上，委员聚在党旗下”的新局面。",
        "实行“组织关系一方隶属、参加双重组织生活”的办法。",
        "将第五项修改为“(八)领导和管理民政”。",
        "纪念“中俄建交70周年”，开展“五日”活动。",
    ],
)
def test_not_slogans(text: str) -> None:
    assert rows(text, "slogan").empty


# --- robustness ----------------------------------------------------------------------------------

GENRE_ALPHABET = st.sampled_from(
    list("政协党组界别支部委员主席书记李占文高原雪习近平四个意识两双三一十五六+XN0123456789")
    + list('《》〈〉“”"「」『』‘’□ \n、，。:(')
)


PIECES = (
    "记者",
    "责任编辑:",
    "□",
    "主席",
    "党组书记",
    "委员",
    "同志们",
    "总书记",
    "习近平",
    "欧阳",
    "李占文",
    "龚",
    "一直",
    "县政协党组",
    "界别党支部",
    "建立起",
    "金瑞汽贸",
    "民建",
    "“",
    "”",
    '"',
    "‘",
    "’",
    "《",
    "》",
    "〈",
    "〉",
    "四个意识",
    "6+X",
    "1+N",
    "十四五",
    "七一",
    "3·23",
    "、",
    "。",
    "[3]",
    "(八)",
    " ",
    "\n",
)
GENRE_PIECES = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.text(GENRE_ALPHABET, max_size=200), GENRE_PIECES))
def test_arbitrary_text_never_raises_and_offsets_slice_back(text: str) -> None:
    frame = entities.extract_entities("d#01", text)
    schema.check(frame, "entities")
    assert set(frame["kind"]) <= {"org", "person", "doc_title", "slogan"}
    assert_offsets(frame, text)


@pytest.mark.skipif(not GOV_REPORTS.exists(), reason="work-report corpus not present")
def test_government_work_reports() -> None:
    counts: dict[str, int] = {}
    for path in sorted(GOV_REPORTS.glob("*.txt")):
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
        frame = entities.extract_entities(path.name, text)
        assert_offsets(frame, text)
        for norm in frame.loc[frame["kind"] == "slogan", "norm"]:
            counts[norm] = counts.get(norm, 0) + 1
    # every 2026 provincial report speaks of the 15th five-year plan
    assert counts["十五五"] >= 31
    assert counts["十四五"] > 0
    assert "高效办成一件事" in counts
