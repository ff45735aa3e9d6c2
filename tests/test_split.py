"""Split: compilations into documents, on hand-written cleaned texts and on the seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import clean
from lib.split import Part, cn_number, speaker, split_documents

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def seed(prefix: str) -> str:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return clean.clean_text(path.read_text(encoding="utf-8"))


def assert_slices(text: str, parts: list[Part]) -> None:
    """Every part is the slice of the file text at its offset, parts in order, numbered 1..n."""
    previous_end = 0
    for number, part in enumerate(parts, start=1):
        assert part.part == number
        assert text[part.start : part.start + len(part.text)] == part.text
        assert part.start >= previous_end
        assert part.text.strip() == part.text and part.text
        previous_end = part.start + len(part.text)


# --- hand-written cleaned texts -----------------------------------------------------------

PIAN = """欢迎来到范文网
政协党建材料3篇
时间:2022-09-12 13:00:04 来源:网友投稿
篇一:政协党建材料
县政协机关党支部建设经验材料
县政协机关党支部坚持把政治建设摆在首位,建立了"三会一课"台账。
篇二:政协党建材料
在全县政协系统党建工作会议上的讲话
同志们:
今天我们召开全县政协系统党建工作会议。
篇三:政协党建材料
政协党建工作要点汇编
篇一:
一是加强政治建设。
二是加强组织建设。
"""


def test_pian_compilation_splits_into_its_articles_and_drops_the_site_header() -> None:
    parts = split_documents(PIAN)
    assert len(parts) == 3
    assert_slices(PIAN, parts)
    # The label repeated on every article is the compilation's name, not a title.
    assert [p.text.splitlines()[0] for p in parts] == [
        "县政协机关党支部建设经验材料",
        "在全县政协系统党建工作会议上的讲话",
        "政协党建工作要点汇编",
    ]
    assert all(p.title == "" for p in parts)
    assert not any("欢迎来到" in p.text or "网友投稿" in p.text for p in parts)
    # The header ends where 篇一 starts; meta reads the compilation's date there.
    assert PIAN[: parts[0].header_end].rstrip().endswith("来源:网友投稿")


def test_nested_list_inside_the_last_article_does_not_restart_the_numbering() -> None:
    parts = split_documents(PIAN)
    assert "篇一:\n一是加强政治建设。\n二是加强组织建设。" in parts[2].text


def test_distinct_labels_are_titles_and_stay_in_the_text() -> None:
    text = (
        "第一篇 关于加强县级政协党建工作的调研报告\n按照县委部署,调研组深入各界别开展调研。\n"
        "第二篇 2021年度政协机关党建工作述职报告\n现将一年来抓党建工作情况报告如下。\n"
    )
    parts = split_documents(text)
    assert [p.title for p in parts] == ["关于加强县级政协党建工作的调研报告", "2021年度政协机关党建工作述职报告"]
    assert parts[0].text.startswith("关于加强县级政协党建工作的调研报告\n按照县委部署")
    assert_slices(text, parts)


@pytest.mark.parametrize(
    "first,second",
    [
        ("篇1:", "篇2:"),
        ("【一】", "【二】"),
        ("【篇一】", "【篇二】"),
        ("第一篇:", "第二篇:"),
        ("篇一、", "篇二、"),
        ("范文一:", "范文二:"),
        ("### 篇一:", "### 篇二:"),
        ("**篇一**:", "**篇二**:"),
    ],
)
def test_numbering_styles(first: str, second: str) -> None:
    text = f"{first}委员之家建设纪实\n政协委员在委员之家履职。\n{second}界别党支部工作法\n界别党支部开展主题党日。"
    parts = split_documents(text)
    assert [p.title for p in parts] == ["委员之家建设纪实", "界别党支部工作法"]


def test_windows_line_ends_and_blank_lines_between_heading_and_speaker() -> None:
    text = "政协党建材料\r\n篇一\r\n委员之家建设纪实\r\n篇二\r\n界别党支部工作法\r\n"
    assert [p.text for p in split_documents(text)] == ["委员之家建设纪实", "界别党支部工作法"]
    text = "### 构建理论武装大格局\n\n   \n唐山市政协主席 胡国辉\n正文。\n### 把思想政治引领深植委员心中\n\n省政协财政经济委员会主任 韩咏梅\n正文。"
    assert [p.author for p in split_documents(text)] == ["胡国辉", "韩咏梅"]


def test_a_single_numbered_article_is_not_a_compilation() -> None:
    text = "篇一:政协党建工作总结\n今年以来,县政协党组认真落实全面从严治党主体责任。"
    parts = split_documents(text)
    assert len(parts) == 1
    assert parts[0].text == text


SPEECHES = """# 以高水平党建工作引领政协事业高质量发展
## ——全省政协系统党的建设工作经验交流会发言摘登
### 构建理论武装大格局 推动政协党建与履职双提升
唐山市政协主席、党组书记 胡国辉
近五年来,唐山市政协以"理论学习+思想大武装"为切入点。
### 把思想政治引领深植委员心中
省政协财政经济委员会主任、分党组书记韩咏梅
省政协财经委分党组坚持以党的政治建设为统领。
"""


def test_heading_compilation_with_speaker_lines() -> None:
    parts = split_documents(SPEECHES)
    assert len(parts) == 2
    assert_slices(SPEECHES, parts)
    assert parts[0].title == "构建理论武装大格局 推动政协党建与履职双提升"
    assert (parts[0].author, parts[0].author_title) == ("胡国辉", "唐山市政协主席、党组书记")
    # The speaker line without a space between position and name (OCR spaces removed).
    assert (parts[1].author, parts[1].author_title) == ("韩咏梅", "省政协财政经济委员会主任、分党组书记")
    assert not any("发言摘登" in p.text for p in parts)


def test_headings_under_a_compilation_header_split_without_speaker_lines() -> None:
    text = "# 政协委员履职故事汇编\n## 一位老委员的提案路\n张委员连续十年关注农村饮水。\n## 界别活动进社区\n民建界别走进社区开展义诊。"
    parts = split_documents(text)
    assert [p.title for p in parts] == ["一位老委员的提案路", "界别活动进社区"]


@pytest.mark.parametrize(
    "text",
    [
        # Numbered sections of one report.
        "# 县政协党组2022年工作总结\n## 一、加强政治建设\n坚持党的领导。\n## 二、加强组织建设\n建立界别党支部。",
        # Plain sub-headings of one news story (no compilation header, no speaker lines).
        "# 曲周县政协实现两个全覆盖\n2018-11-23 来源:河北新闻网\n## 扩大组织覆盖\n建组织。\n## 发挥党员作用\n强阵地。",
        # A regulation: chapters and articles are not documents.
        "河北省政协委员履职条例\n第一章 总则\n第一条 为了规范委员履职,制定本条例。\n第二章 履职\n第二条 委员应当参加会议。",
    ],
)
def test_sections_of_one_document_are_not_split(text: str) -> None:
    parts = split_documents(text)
    assert len(parts) == 1
    assert parts[0].text == text.strip()
    assert parts[0].header_end == 0


def test_markers_with_nothing_under_them_leave_the_text_one_document() -> None:
    text = "政协委员读书活动目录\n篇一:\n篇二:"
    parts = split_documents(text)
    assert [p.text for p in parts] == [text]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_blank_text_has_no_documents(text: str) -> None:
    assert split_documents(text) == []


@pytest.mark.parametrize(
    "line,expected",
    [
        ("唐山市政协主席、党组书记 胡国辉", ("胡国辉", "唐山市政协主席、党组书记")),
        ("省政协办公厅秘书处处长、党支部书记 王炜娜", ("王炜娜", "省政协办公厅秘书处处长、党支部书记")),
        ("邯郸市复兴区政协主席、党组书记李勤芳", ("李勤芳", "邯郸市复兴区政协主席、党组书记")),
        ("海拉尔区人民政府区长  张天喜", ("张天喜", "海拉尔区人民政府区长")),
        ("——廊坊市固安县政协主席 刘军", ("刘军", "廊坊市固安县政协主席")),
        ("新疆维吾尔自治区主席 艾尔肯·吐尼亚孜", ("艾尔肯·吐尼亚孜", "新疆维吾尔自治区主席")),
        ("立足政协特点 推动党建工作", None),
        ("县政协主席李占文一直在思考着这些问题。", None),
        ("2026年1月27日在陕西省人民代表大会上 陕西省省长 赵刚", None),
        ("", None),
    ],
)
def test_speaker_lines(line: str, expected: tuple[str, str] | None) -> None:
    assert speaker(line) == expected


@pytest.mark.parametrize(
    "numeral,value", [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("12", 12)]
)
def test_cn_number(numeral: str, value: int) -> None:
    assert cn_number(numeral) == value


# --- the seed corpus ----------------------------------------------------------------------


def test_seed_001_gives_its_ten_articles() -> None:
    text = seed("001")
    parts = split_documents(text)
    assert len(parts) == 10
    assert_slices(text, parts)
    starts = [p.text[:40].replace(" ", "") for p in parts]
    # The first line of each article, read from the file (OCR spaces ignored).
    assert "进一步增强五种能力" in starts[0]
    assert starts[1].startswith("建领航政协工作高质量发展")
    assert "三个引领" in starts[2]
    assert starts[3].startswith("市政协机关示范党支部建设")
    assert starts[4].startswith("政协常委会议")
    assert "政协机关党建工作述职报告" in starts[5]
    assert starts[6].startswith("强政协党建工作的调研报告")
    assert starts[7].startswith("足政协特点推动党建工作")
    assert starts[8].startswith("党建工作要点")
    assert starts[9].startswith("全市政协系统党建")
    # The site header and the compilation's intro are not a document.
    assert not any("小编为大家整理" in p.text for p in parts)
    # 篇十 keeps its nested "篇一:" and its "同志们:".
    assert "篇一" in parts[9].text and "同志们" in parts[9].text


SEED_002_SPEAKERS = [
    ("胡国辉", "唐山市政协主席、党组书记"),
    ("韩咏梅", "省政协财政经济委员会主任、分党组书记"),
    ("闫五一", "秦皇岛市政协主席、党组书记"),
    ("李俊岭", "保定市政协主席、党组书记"),
    ("吴清海", "承德市政协主席、党组书记"),
    ("李勤芳", "邯郸市复兴区政协主席、党组书记"),
    ("刘军", "廊坊市固安县政协主席、党组书记"),
    ("王炜娜", "省政协办公厅秘书处处长、党支部书记"),
]


def test_seed_002_gives_its_eight_speeches_with_speakers() -> None:
    text = seed("002")
    parts = split_documents(text)
    assert [(p.author, p.author_title) for p in parts] == SEED_002_SPEAKERS
    assert_slices(text, parts)
    assert parts[0].title.replace(" ", "") == "构建理论武装大格局推动政协党建与履职双提升"
    assert parts[7].title == "打造政治过硬、形象过硬、本领过硬的坚强战斗堡垒"
    assert not any("以高水平党建工作引领政协事业高质量发展" in p.text for p in parts)


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_stand_alone_seeds_are_one_document(prefix: str) -> None:
    text = seed(prefix)
    parts = split_documents(text)
    assert len(parts) == 1
    assert parts[0].text == text.strip()


# --- properties ---------------------------------------------------------------------------

MARKERS = st.sampled_from(["篇一:", "篇二:", "篇三:", "第一篇", "【二】", "### ", "# ", "\n", " ", "同志们:"])
LINES = st.lists(st.one_of(st.text(max_size=30), MARKERS), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), LINES))
def test_arbitrary_text_never_raises_and_parts_are_ordered_slices(text: str) -> None:
    parts = split_documents(text)
    assert_slices(text, parts)
    assert bool(parts) == bool(text.strip())


def test_cleaning_keeps_every_article_marker_the_split_knows_on_its_own_line() -> None:
    # The intro line is long and stops mid-sentence, so the cleaner joins what follows to it
    # unless that is an article marker: 范文一 is one, as for the split.
    raw = (
        "政协党建经验材料汇编\n"
        "各地政协围绕加强党的建设进行了积极探索,形成了一批可复制可推广的经验做法,现选编如下\n"
        "范文一:强化政治引领\n县政协党组坚持把政治建设摆在首位。\n"
        "范文二:夯实基层基础\n市政协在各界别建立党小组。\n"
    )
    parts = split_documents(clean.clean_text(raw))
    assert [(p.part, p.title) for p in parts] == [(1, "强化政治引领"), (2, "夯实基层基础")]
    assert parts[0].text == "强化政治引领\n县政协党组坚持把政治建设摆在首位。"
