import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import clean
from lib.resources import Resources

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SEED = {name[:3]: CORPUS / name for name in (p.name for p in CORPUS.iterdir())}


def seed_text(number: str) -> str:
    return SEED[number].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {number: clean.clean_text(seed_text(number)) for number in SEED}


# --- single cases, expected output written by reading the input --------------------------

CASES = [
    # OCR spaces between Chinese characters and around Chinese punctuation (seed 001)
    ("省委及时研究出台实施意见 , 作出部署", "省委及时研究出台实施意见,作出部署"),
    ("政协党组 、 机关党组 、 专委会分党组", "政协党组、机关党组、专委会分党组"),
    ("履职工作进行 “ 讲述评 ” 。", "履职工作进行“讲述评”。"),
    ("对市 、 县 ( 区 ) 委书记", "对市、县(区)委书记"),
    # digits next to Chinese; a year split by OCR; thousands split before a unit
    ("2018 年 , 中办印发新时代", "2018年,中办印发新时代"),
    ("省政协党组于 2018 年召开座谈会 、 2019 年召开推进会", "省政协党组于2018年召开座谈会、2019年召开推进会"),
    ("党组每年向省委请示报告工作 30 余次", "党组每年向省委请示报告工作30余次"),
    ("于 2 018 年召开", "于2018年召开"),
    ("共培训 1 000 人次", "共培训1000人次"),
    # separate numbers are not glued: a list, and a number before a year
    ("序号 1 2 3", "序号1 2 3"),
    ("政协常委会议 1 2021 年讲话", "政协常委会议1 2021年讲话"),
    # Latin words keep one space
    ("用  Microsoft   Word 2016  编辑", "用Microsoft Word 2016编辑"),
    ("G60 科创走廊", "G60科创走廊"),
    # full-width digits, letters and punctuation
    ("２０２１年，共召开７次常委会会议！", "2021年,共召开7次常委会会议!"),
    ("ＡＢＣ类项目：", "ABC类项目:"),
    # HTML entity residue
    ("ldquo;三个引领rdquo;为政协党建提质增效", "“三个引领”为政协党建提质增效"),
    ("政协&nbsp;党建&amp;nbsp;工作", "政协党建工作"),
    ("&#20826;&#x5efa;工作", "党建工作"),
    # traditional -> simplified; characters that are also simplified stay
    ("五是以党建促进履职质量不斷提升", "五是以党建促进履职质量不断提升"),
    ("主责主业主角意识不夠强", "主责主业主角意识不够强"),
    ("乾隆年间著名的瞭望台", "乾隆年间著名的瞭望台"),
    ("對於政協委員的履職", "对于政协委员的履职"),
    # placeholders are kept
    ("X 县政协党组牢固树立", "X县政协党组牢固树立"),
    ("政协委员中 X%以上是非中共人士", "政协委员中X%以上是非中共人士"),
    ("按照*政协党组的部署", "按照*政协党组的部署"),
    # invisible characters
    ("政协\u200b委员\ufeff\u00ad", "政协委员"),
    # text without Chinese is kept
    ("Party building  in the CPPCC", "Party building in the CPPCC"),
    ("", ""),
    ("  \n\n \t ", ""),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_cleaning_cases(raw: str, expected: str) -> None:
    assert clean.clean_text(raw) == expected


LINE_CASES = [
    # seed 001: a paragraph cut into indented lines, blank lines between them
    (
        " 近年来 , 全省各级政协坚\n\n 持以习近平新时代中国特色社会主义思想为统领 , 按照\n\n 新时代党的建设总要求 。\n\n"
        " 省委及时研究出台实施意见 , 作出部署\n\n 安排 。",
        [
            "近年来,全省各级政协坚持以习近平新时代中国特色社会主义思想为统领,按照新时代党的建设总要求。",
            "省委及时研究出台实施意见,作出部署安排。",
        ],
    ),
    # seed 001: a running head between the two halves of "党的建设"
    (
        " 濮阳 、 商丘等市政协通过召开党\n\n 理论研讨 I 体丙论城的建设联席会 、 推进会 。",
        ["濮阳、商丘等市政协通过召开党的建设联席会、推进会。"],
    ),
    (
        " 失职 、 抓不好党建不称职的认识 , 全面担负起实现党对人\n\n 理论研讨 I 体丙论城 9民政协领导的重大政治责任 。",
        ["失职、抓不好党建不称职的认识,全面担负起实现党对人民政协领导的重大政治责任。"],
    ),
    (
        " 改革发展民生的热点难点问题 , 认真履职尽责 , 做到党委\n\n 8体丙论城 I 理论研讨政府工作推进到哪里 、 政协履职就跟进到哪里 。",
        ["改革发展民生的热点难点问题,认真履职尽责,做到党委政府工作推进到哪里、政协履职就跟进到哪里。"],
    ),
    # seed 002: a long paragraph broken before its end, then a new paragraph
    (
        "三、坚持作风引领，使委员作用凸显起来。充分发挥党员委员“头雁”效\n\n应，引导全体委员把工作热情转化为履职动力。\n\n"
        "一是遵纪崇德。",
        [
            "三、坚持作风引领,使委员作用凸显起来。充分发挥党员委员“头雁”效应,引导全体委员把工作热情转化为履职动力。",
            "一是遵纪崇德。",
        ],
    ),
    # seed 003: a heading without a full stop stays a line of its own
    (
        "扩大组织覆盖,让战斗堡垒更坚固\n\n如何加强政协党建工作?如何发挥好党员委员的先锋模范作用?",
        ["扩大组织覆盖,让战斗堡垒更坚固", "如何加强政协党建工作?如何发挥好党员委员的先锋模范作用?"],
    ),
    # seed 002: heading, speaker line (its space kept), first paragraph
    (
        "### 构建理论武装大格局 推动政协党建与履职双提升\n\n唐山市政协主席、党组书记 胡国辉\n\n近五年来，唐山市政协以学习坚定政治定力。",
        [
            "### 构建理论武装大格局 推动政协党建与履职双提升",
            "唐山市政协主席、党组书记 胡国辉",
            "近五年来,唐山市政协以学习坚定政治定力。",
        ],
    ),
    # numbered articles and their titles are never joined to what follows
    (
        "篇六:政协系统党建特色\n\n2020 年度政协机关党建工作述职报告 & & 模范政协机关建设中存在的问题及对策建议思考\n\n"
        "  在机关工委领导下,我能团结带领党委一班人认真履职,现述职如下。",
        [
            "篇六:政协系统党建特色",
            "2020年度政协机关党建工作述职报告 & & 模范政协机关建设中存在的问题及对策建议思考",
            "在机关工委领导下,我能团结带领党委一班人认真履职,现述职如下。",
        ],
    ),
    # other speaker lines
    (
        "### 做好新时代政协工作\n\n人民政协报记者 王小鹏\n\n本报讯。",
        ["### 做好新时代政协工作", "人民政协报记者 王小鹏", "本报讯。"],
    ),
    # date/source lines keep their spaces and their own line
    (
        "“三个引领”为政协党建提质增效 朱冬 2018 年 12 月 26 日\n\n  来源:人民政协报\n\n  围绕全面落实新时代党的建设总要求。",
        [
            "“三个引领”为政协党建提质增效 朱冬 2018 年 12 月 26 日",
            "来源:人民政协报",
            "围绕全面落实新时代党的建设总要求。",
        ],
    ),
    # "一、" alone on its line belongs to the heading under it; the heading stays apart
    (
        " 一、\n\n 建设模范政协机关的重要意义\n\n 政协机关在政协工作中起着承上启下的中枢作用。",
        ["一、建设模范政协机关的重要意义", "政协机关在政协工作中起着承上启下的中枢作用。"],
    ),
    # a stray full stop on a line of its own ends the line before it
    (" 积极为所帮扶的\n\n 。\n\n 二是当好引路人。", ["积极为所帮扶的。", "二是当好引路人。"]),
    # table rows stay rows
    ("界别\t党员人数\n\n经济界\t12", ["界别\t党员人数", "经济界\t12"]),
    (
        "| 第一百四十二条 | 生产、销售、提供劣药罪 (取消生产、销售劣药罪罪名) |\n| 第一百四十三条 | 生产、销售不符合安全标准的食品罪 |",
        [
            "| 第一百四十二条 | 生产、销售、提供劣药罪(取消生产、销售劣药罪罪名) |",
            "| 第一百四十三条 | 生产、销售不符合安全标准的食品罪 |",
        ],
    ),
    # a title block of indented short lines above long paragraphs is not a wrapped paragraph
    (
        "  最高人民法院 最高人民检察院\n  关于办理危害药品安全刑事案件适用法律若干问题的解释\n  法释〔2022〕1号\n"
        "  为依法惩治危害药品安全犯罪,保障人民群众生命健康,维护药品管理秩序,根据《中华人民共和国刑法》的规定,现就办理这类刑事案件适用法律的若干问题解释如下:\n"
        "  第一条 生产、销售、提供假药,具有下列情形之一的,应当酌情从重处罚:涉案药品以孤寡老人、农村留守人员为主要使用对象的。\n"
        "  第二条 生产、销售、提供假药,具有下列情形之一的,应当认定为刑法第一百四十一条规定的对人体健康造成严重危害。\n"
        "  第三条 药品使用单位的人员明知是假药而提供给他人使用的,应当认定为刑法第一百四十一条规定的销售。\n"
        "  第四条 以生产、销售、提供假药为目的,合成、精制、提取、储存、加工炮制药品原料的,应当认定为刑法第一百四十一条规定的生产。\n",
        [
            "最高人民法院最高人民检察院",
            "关于办理危害药品安全刑事案件适用法律若干问题的解释",
            "法释〔2022〕1号",
            "为依法惩治危害药品安全犯罪,保障人民群众生命健康,维护药品管理秩序,根据《中华人民共和国刑法》的规定,现就办理这类刑事案件适用法律的若干问题解释如下:",
            "第一条生产、销售、提供假药,具有下列情形之一的,应当酌情从重处罚:涉案药品以孤寡老人、农村留守人员为主要使用对象的。",
            "第二条生产、销售、提供假药,具有下列情形之一的,应当认定为刑法第一百四十一条规定的对人体健康造成严重危害。",
            "第三条药品使用单位的人员明知是假药而提供给他人使用的,应当认定为刑法第一百四十一条规定的销售。",
            "第四条以生产、销售、提供假药为目的,合成、精制、提取、储存、加工炮制药品原料的,应当认定为刑法第一百四十一条规定的生产。",
        ],
    ),
]


@pytest.mark.parametrize(("raw", "lines"), LINE_CASES)
def test_lines_and_paragraphs(raw: str, lines: list[str]) -> None:
    assert clean.clean_text(raw).split("\n") == lines


BOILERPLATE = [
    "欢迎来到专业的辛易范文网平台! 工作总结 工作计划 心得体会 思想汇报 发言稿 述职报告 教案设计 申请书大全",
    "当前位置:首页 > 范文大全 > 党建材料 > 正文",
    "河北新闻>>本网原创",
    "进入移动版,省流量,体验好",
    "责任编辑:张岩",
    "更多精彩内容请关注\n\t\t\t河北新闻网\n\t\t\t官方微信\n\t\t\t\n\t\t\t河北日报\n\t\t\t客户端",
    "相关新闻",
    "电子报",
    "网站首页 我要评论 分享文章 回到顶部",
    "推荐访问:政协系统党建特色 党建 政协 特色",
    "猜你喜欢",
    "- 12 -",
    "第 3 页 共 10 页",
]


@pytest.mark.parametrize("chrome", BOILERPLATE)
def test_boilerplate_lines_go_and_the_body_stays(chrome: str) -> None:
    body = "曲周县政协积极探索创新县级政协党组织设置方式。"
    assert clean.clean_text(f"{body}\n\n{chrome}\n\n{body}") == f"{body}\n{body}"


def test_inline_boilerplate() -> None:
    raw = (
        "政协系统党建特色 6怖丙沦盘理论研讨进一步增强五种能力。下面是小编为大家整理的政协系统党建特色10篇,供大家参考。\n"
        "丙沦盘理 论研讨进一步增强五种能力。县政协换届以来,共召开7次常委会会议。(责任编辑:张岩)"
    )
    assert clean.clean_text(raw) == (
        "政协系统党建特色进一步增强五种能力。\n进一步增强五种能力。县政协换届以来,共召开7次常委会会议。"
    )


def test_boilerplate_patterns_come_from_the_resource_file(tmp_path: Path) -> None:
    own = tmp_path / "boilerplate.txt"
    own.write_text("# only this\n^[ \\t]*本站声明[^\\n]*$\n", encoding="utf-8")
    text = "本站声明:转载请注明\n\n当前位置:首页 > 正文\n\n正文第一句。"
    assert clean.clean_text(text, resources=Resources(tmp_path)) == "当前位置:首页 > 正文\n正文第一句。"
    assert clean.clean_text(text) == "本站声明:转载请注明\n正文第一句。"


def test_a_bad_pattern_is_reported(tmp_path: Path) -> None:
    (tmp_path / "boilerplate.txt").write_text("(unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"boilerplate\.txt"):
        clean.clean_text("正文。", resources=Resources(tmp_path))


# --- the seeds ---------------------------------------------------------------------------------


def test_seeds_are_cleaned_idempotently(cleaned: dict[str, str]) -> None:
    for number, text in cleaned.items():
        assert clean.clean_text(text) == text, number


def test_seed_layout(cleaned: dict[str, str]) -> None:
    for number, text in cleaned.items():
        lines = text.split("\n")
        assert all(line and line == line.strip() for line in lines), number
        assert unicodedata.is_normalized("NFKC", text)


def _sentences(raw_lines: list[str]) -> list[str]:
    """Sentences ending with 。 on each raw line, without spaces, NFKC (read off the raw file)."""
    out = []
    for line in raw_lines:
        flat = unicodedata.normalize("NFKC", re.sub(r"\s+", "", line))
        out += [s + "。" for s in flat.split("。")[:-1] if s]
    return out


@pytest.mark.parametrize("number", ["000", "002", "003"])
def test_no_sentence_of_the_body_is_lost(number: str, cleaned: dict[str, str]) -> None:
    lines = seed_text(number).split("\n")
    if number == "003":  # the body: between the "进入移动版" line and the editor's line
        lines = lines[lines.index("进入移动版,省流量,体验好") + 1 : lines.index("责任编辑:张岩")]
    sentences = _sentences(lines)
    assert len(sentences) > 20
    flat = cleaned[number].replace(" ", "")
    missing = [s for s in sentences if s not in flat]
    assert missing == []


def test_seed_001_keeps_its_sentences(cleaned: dict[str, str]) -> None:
    raw = seed_text("001").split("\n")
    # from 篇二 on the text is not OCR'd; 不斷 and 不夠 are the traditional characters in it
    body = raw[raw.index("篇二:政协系统党建特色") :]
    sentences = [s.replace("不斷", "不断").replace("不夠", "不够") for s in _sentences(body)]
    assert len(sentences) > 300
    flat = cleaned["001"].replace(" ", "")
    assert [s for s in sentences if s not in flat] == []


def test_seed_001_structure(cleaned: dict[str, str]) -> None:
    lines = cleaned["001"].split("\n")
    numerals = "一二三四五六七八九十"
    for numeral in numerals:
        assert f"篇{numeral}:政协系统党建特色" in lines
    assert "篇一:" in lines  # the speech inside 篇十 numbers its own parts
    assert "时间:2022-09-12 13:00:04 来源:网友投稿" in lines
    assert "来源:人民政协报" in lines
    assert lines[0] == "政协系统党建特色10篇"
    for debris in (
        "欢迎来到",
        "当前位置",
        "辛易范文网",
        "体丙论城",
        "丙沦盘",
        "下面是小编",
        "推荐访问",
        "猜你喜欢",
        "ldquo",
    ):
        assert debris not in cleaned["001"], debris


def test_seed_002_headings_and_speakers(cleaned: dict[str, str]) -> None:
    lines = cleaned["002"].split("\n")
    assert lines[:2] == ["# 以高水平党建工作引领政协事业高质量发展", "## ——全省政协系统党的建设工作经验交流会发言摘登"]
    speakers = [
        "唐山市政协主席、党组书记 胡国辉",
        "省政协财政经济委员会主任、分党组书记 韩咏梅",
        "秦皇岛市政协主席、党组书记 闫五一",
        "保定市政协主席、党组书记 李俊岭",
        "承德市政协主席、党组书记 吴清海",
        "邯郸市复兴区政协主席、党组书记 李勤芳",
        "廊坊市固安县政协主席、党组书记 刘军",
        "省政协办公厅秘书处处长、党支部书记 王炜娜",
    ]
    headings = [i for i, line in enumerate(lines) if line.startswith("### ")]
    assert len(headings) == 8
    assert [lines[i + 1] for i in headings] == speakers


def test_seed_003_metadata_and_chrome(cleaned: dict[str, str]) -> None:
    lines = cleaned["003"].split("\n")
    assert lines[:2] == ["曲周县政协在河北省率先实现“两个全覆盖”", "2018-11-23 10:40:00 来源:河北新闻网"]
    assert lines[-1].endswith("较好地发挥了参政议政作用,促进了全县经济社会发展。(记者高原雪")
    for chrome in (
        "本网原创",
        "进入移动版",
        "责任编辑",
        "更多精彩",
        "官方微信",
        "客户端",
        "相关新闻",
        "电子报",
        "回到顶部",
    ):
        assert chrome not in cleaned["003"], chrome


# --- placeholders and templates ------------------------------------------------------------

PLACEHOLDERS = [
    ("xx市政协党组坚持加强政协党的建设", ["xx"]),
    ("政协委员中X%以上是非中共人士", ["X"]),
    ("201X年以来,脱贫攻坚是X县县最大的政治任务", ["201X", "X"]),
    ("市政协机关党支部于XX年3月完成换届", ["XX"]),
    ("*政协于20**年5月设立机关党委", ["*", "20**"]),
    ("专委会党支部党员**名,离退休党支部党员**名", ["**", "**"]),
    ("原市委书记×同志、市委书记×同志都提出明确要求", ["×", "×"]),
    ("具体抓好《省政协机关惩治和预防***体系实施办法》的落实", ["***"]),
    ("我们X是大别山革命老区", ["X"]),
    ("两年来,XX名党员委员共捐赠", ["XX"]),
    ("组建x个界别活动组,xx个委员工作室", ["x", "xx"]),
    ("一是制定完善《**县政协党组关于加强党的建设的意见》", ["**"]),
    ("推行“6+X支部主题党日”活动", []),
    ("X光检查和3×4米的展板", []),
    ("**重点工作**:抓好党建", []),
    ("Windows XP 和 x86", []),
    ("我县政协党组", []),
]


@pytest.mark.parametrize(("text", "surfaces"), PLACEHOLDERS)
def test_placeholders(text: str, surfaces: list[str]) -> None:
    spans = clean.placeholders(text)
    assert [text[s:e] for s, e in spans] == surfaces
    assert spans == sorted(spans)


TEMPLATES = [
    ("我县政协党组牢固树立“不抓党建是失职”的理念。", False),
    ("一是制定完善《**县政协党组关于加强党的建设的意见》。", True),
    ("xx市政协党组坚持加强政协党的建设。", True),
    ("原市委书记×同志提出明确要求。", True),
    ("换届以来已组织集中学习培训X次。", False),
    ("换届以来已组织集中学习培训X次,邀请党校理论专家授课X次。", True),
    ("推行“6+X支部主题党日”活动。", False),
]


@pytest.mark.parametrize(("text", "expected"), TEMPLATES)
def test_is_template(text: str, expected: bool) -> None:
    assert clean.is_template(text) is expected


def test_seed_templates(cleaned: dict[str, str]) -> None:
    # 000 is the anonymised copy of the 曲周县 report (003): "**县政协党组"
    assert clean.is_template(cleaned["000"])
    assert not clean.is_template(cleaned["002"])
    assert not clean.is_template(cleaned["003"])
    parts = re.split(r"\n(?=篇[一二三四五六七八九十]:政协系统党建特色)", cleaned["001"])
    assert len(parts) == 11
    # 篇一 (a journal article) and 篇三 (人民政协报) name no placeholder; the others are templates
    assert [clean.is_template(part) for part in parts[1:]] == [False, True, False] + [True] * 7


def test_placeholders_are_kept_by_cleaning(cleaned: dict[str, str]) -> None:
    for mark in ("X县政协党组", "xx市政协党组", "×同志", "***", "*政协", "201X年", "XX年", "X%"):
        assert mark in cleaned["001"], mark


# --- properties ------------------------------------------------------------------------------

CHINESE_LIKE = st.lists(
    st.sampled_from(
        [
            *"政协党建委员县市XxX×*0123456789 年名个。,、;:!?“”《》()\n\n\t\u3000篇一二三#—…丙沦盘理论研讨体城I不斷於乾",
            "\u0301",
            "&nbsp;",
            "ldquo;",
            "\ufeff",
            "\r\n",
            "ａ",
            "，",
            "：",
            "来源:",
            "2018-11-23 ",
        ]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_is_cleaned_idempotently(text: str) -> None:
    once = clean.clean_text(text)
    assert clean.clean_text(once) == once
    assert "\n\n" not in once
    for s, e in clean.placeholders(once):
        assert 0 <= s < e <= len(once)
    clean.is_template(once)


@settings(max_examples=300, deadline=None)
@given(CHINESE_LIKE)
def test_chinese_like_text_is_cleaned_idempotently(text: str) -> None:
    once = clean.clean_text(text)
    assert clean.clean_text(once) == once
    assert once == once.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fast_nfkc_is_nfkc(text: str) -> None:
    assert clean.nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*"a<e\u0301\u0338\u0316\u1100\u1161\u11a8", "ｅ", "政", "，"]), max_size=40).map("".join)
)
def test_fast_nfkc_on_combining_sequences(text: str) -> None:
    assert clean.nfkc(text) == unicodedata.normalize("NFKC", text)


def test_the_listed_white_space_is_every_white_space_but_space_tab_and_newline() -> None:
    # the layout collapses white space only when there are two spaces or _OTHER_WS finds some
    other = re.compile(r"[^\S\n\t ]")
    every = {chr(c) for c in range(0x110000) if other.fullmatch(chr(c))}
    listed = {chr(c) for c in range(0x110000) if clean._OTHER_WS.fullmatch(chr(c))}
    assert listed == every
    assert clean._OTHER_WS.search("第一条\u3000为了") and not clean._OTHER_WS.search("第一条 为了")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("12090Xx×*年县市政协同志光+%《(“ ,。\n的名")), max_size=40))
def test_the_fast_placeholder_search_gives_the_patterns_matches(text: str) -> None:
    assert list(clean._placeholder_matches(text)) == [m.span() for m in clean._PLACEHOLDER.finditer(text)]


def test_placeholder_matches_on_the_seeds(cleaned: dict[str, str]) -> None:
    for number, text in cleaned.items():
        found = list(clean._placeholder_matches(text))
        assert found == [m.span() for m in clean._PLACEHOLDER.finditer(text)], number
    assert len(list(clean._placeholder_matches(cleaned["001"]))) > 10
