"""Places: the gazetteer, place mentions in real sentences, and each document's region.

Expected divisions were written from reading the sentences and from the official
division codes (GB/T 2260), not from running the code.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import gazetteer, places, schema

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
CORPORA = ROOT.parent / "shared" / "corpora"


def seed(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def mentions(text: str) -> list[tuple[str, str, str]]:
    """(surface, full name, adcode) of every place mention."""
    table = places.place_mentions("doc", text)
    return list(zip(table["text"], table["norm"], table["adcode"], strict=True))


def slices_back(text: str, table: pd.DataFrame) -> bool:
    """Whether every row's offsets cut its surface out of ``text``."""
    return all(
        text[int(start) : int(end)] == surface
        for start, end, surface in zip(table["start"], table["end"], table["text"], strict=True)
    )


# --- gazetteer --------------------------------------------------------------------------


def test_gazetteer_holds_every_provincial_unit_and_the_county_level() -> None:
    table = gazetteer.load()
    provinces = set(table.loc[table["level"] == "province", "name"])
    assert len(provinces) == 34
    assert {"北京市", "河北省", "河南省", "内蒙古自治区", "广西壮族自治区", "新疆维吾尔自治区"} <= provinces
    assert {"香港特别行政区", "澳门特别行政区", "台湾省"} <= provinces
    counties = table[table["level"] == "county"]
    mainland = counties[~counties["province"].isin(["香港特别行政区", "澳门特别行政区", "台湾省"])]
    assert 2800 <= len(mainland) <= 2900
    assert (table["level"] == "city").sum() == 333  # 293 cities, 7 地区, 30 自治州, 3 盟
    assert table["adcode"].str.fullmatch(r"\d{6}").all()
    assert table["adcode"].is_unique
    assert table["lat"].between(3, 54).all() and table["lon"].between(73, 136).all()


@pytest.mark.parametrize(
    ("adcode", "name", "short", "level", "province", "city"),
    [
        ("130435", "曲周县", "曲周", "county", "河北省", "邯郸市"),
        ("130404", "复兴区", "复兴", "county", "河北省", "邯郸市"),
        ("130200", "唐山市", "唐山", "city", "河北省", "唐山市"),
        ("410000", "河南省", "河南", "province", "河南省", ""),
        ("150000", "内蒙古自治区", "内蒙古", "province", "内蒙古自治区", ""),
        ("522600", "黔东南苗族侗族自治州", "黔东南", "city", "贵州省", "黔东南苗族侗族自治州"),
        ("331127", "景宁畲族自治县", "景宁", "county", "浙江省", "丽水市"),
        ("110105", "朝阳区", "朝阳", "county", "北京市", "北京市"),
        ("419001", "济源市", "济源", "county", "河南省", ""),  # administered by the province
    ],
)
def test_gazetteer_rows(adcode: str, name: str, short: str, level: str, province: str, city: str) -> None:
    row = gazetteer.load().set_index("adcode").loc[adcode]
    assert (row["name"], row["short"], row["level"], row["province"], row["city"]) == (
        name,
        short,
        level,
        province,
        city,
    )


@pytest.mark.parametrize(
    ("adcode", "lat", "lon"),
    [("130435", 36.78, 114.95), ("130200", 39.63, 118.18), ("110000", 40.0, 116.4), ("460100", 19.9, 110.3)],
)
def test_gazetteer_points_lie_in_the_division(adcode: str, lat: float, lon: float) -> None:
    row = gazetteer.load().set_index("adcode").loc[adcode]
    assert abs(row["lat"] - lat) < 0.6 and abs(row["lon"] - lon) < 0.6


# --- mentions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "濮阳、商丘等市政协通过召开党建工作联席会、推进会,定期研究政协党建工作;安阳、焦作等市政协在听取县区政协工作汇报时",
            [
                ("濮阳", "濮阳市", "410900"),
                ("商丘", "商丘市", "411400"),
                ("安阳", "安阳市", "410500"),
                ("焦作", "焦作市", "410800"),
            ],
        ),
        (
            "郑州、开封、新乡、潔河等市政协通过建立政协讲堂、线上线下读书交流平台",
            [("郑州", "郑州市", "410100"), ("开封", "开封市", "410200"), ("新乡", "新乡市", "410700")],
        ),
        (
            "鹤壁、驻马店等市政协成立习近平新时代中国特色社会主义思想学习座谈小组,南阳市政协每半年对党建工作进行“讲述评”",
            [("鹤壁", "鹤壁市", "410600"), ("驻马店", "驻马店市", "411700"), ("南阳市", "南阳市", "411300")],
        ),
        ("曲周县政协积极探索创新县级政协党组织设置方式", [("曲周县", "曲周县", "130435")]),
        (
            "如今,这棵党建大树已在邯郸市政协系统蔚然成林。“曲周经验”在邯郸市18个县(市、区)政协推广开来",
            [("邯郸市", "邯郸市", "130400"), ("曲周", "曲周县", "130435"), ("邯郸市", "邯郸市", "130400")],
        ),
        (
            "邯郸市复兴区政协按照“支部建在界别上,委员聚在党旗下”党建工作思路",
            [("邯郸市", "邯郸市", "130400"), ("复兴区", "复兴区", "130404")],
        ),
        ("唐山市政协主席、党组书记 胡国辉", [("唐山市", "唐山市", "130200")]),
        (
            "“曲周经验”在邯郸全面推广,助推唐山高质量发展",
            [("曲周", "曲周县", "130435"), ("邯郸", "邯郸市", "130400"), ("唐山", "唐山市", "130200")],
        ),
        (
            "坚持建好用好新平台,先后在保定、唐山、元氏等市县新设“委员之家”",
            [("保定", "保定市", "130600"), ("唐山", "唐山市", "130200"), ("元氏", "元氏县", "130132")],
        ),
        ("曲周县政协在河北省率先实现“两个全覆盖”", [("曲周县", "曲周县", "130435"), ("河北省", "河北省", "130000")]),
        ("廊坊市固安县政协主席、党组书记", [("廊坊市", "廊坊市", "131000"), ("固安县", "固安县", "131022")]),
        # ambiguous names resolved by the places around them
        ("平顶山新华区政协西市场街道委员工作站", [("平顶山", "平顶山市", "410400"), ("新华区", "新华区", "410402")]),
        ("沧州市新华区政协", [("沧州市", "沧州市", "130900"), ("新华区", "新华区", "130902")]),
        ("西宁市城中区政协", [("西宁市", "西宁市", "630100"), ("城中区", "城中区", "630103")]),
        ("柳州市城中区政协", [("柳州市", "柳州市", "450200"), ("城中区", "城中区", "450202")]),
        ("福州市鼓楼区政协", [("福州市", "福州市", "350100"), ("鼓楼区", "鼓楼区", "350102")]),
        ("徐州市鼓楼区政协", [("徐州市", "徐州市", "320300"), ("鼓楼区", "鼓楼区", "320302")]),
        ("安阳县政协", [("安阳县", "安阳县", "410522")]),
        # 大同 is the city of 山西省 here, not 大庆's 大同区
        (
            "黑龙江省大庆仲裁委员会、山西省大同仲裁委员会",
            [
                ("黑龙江省", "黑龙江省", "230000"),
                ("大庆", "大庆市", "230600"),
                ("山西省", "山西省", "140000"),
                ("大同", "大同市", "140200"),
            ],
        ),
        ("青海省海南州政协", [("青海省", "青海省", "630000"), ("海南州", "海南藏族自治州", "632500")]),
        ("吉林省长春市", [("吉林省", "吉林省", "220000"), ("长春市", "长春市", "220100")]),
        ("长春和吉林", [("长春", "长春市", "220100"), ("吉林", "吉林省", "220000")]),
        ("恩施州政协", [("恩施州", "恩施土家族苗族自治州", "422800")]),
        ("深圳经济特区数据条例", [("深圳", "深圳市", "440300")]),
        ("河南省济源白银城“委员之家”", [("河南省", "河南省", "410000"), ("济源", "济源市", "419001")]),
        # county-level places known all over the country need no province around them
        (
            "多次到井冈山、延安、遵义等地开展革命传统教育",
            [("井冈山", "井冈山市", "360881"), ("延安", "延安市", "610600"), ("遵义", "遵义市", "520300")],
        ),
        # former names: counties and county-level cities now districts, renamed cities
        ("邯郸市永年县政协", [("邯郸市", "邯郸市", "130400"), ("永年县", "永年区", "130408")]),
        ("藁城市政协主席", [("藁城市", "藁城区", "130109")]),
        (
            "洛阳市孟津县、偃师市",
            [("洛阳市", "洛阳市", "410300"), ("孟津县", "孟津区", "410308"), ("偃师市", "偃师区", "410307")],
        ),
        ("襄樊市政协", [("襄樊市", "襄阳市", "420600")]),
        (
            "平安龙江建设深入推进,齐齐哈尔市龙江县",
            [("龙江", "黑龙江省", "230000"), ("齐齐哈尔市", "齐齐哈尔市", "230200"), ("龙江县", "龙江县", "230221")],
        ),
        # no places inside ordinary words
        ("今年以来,我县针对政协委员多为兼职、党外委员比例高等现实情况", []),
        ("在全县230名政协委员中设立了10个界别党支部", []),
        ("本市各级政协按照新时代党建工作新要求", []),
        ("强化团结合作,推进城区更新,维护和平稳定", []),
        ("新华社报道,东方红,平安建设,实现中华民族伟大复兴", []),
        ("孙中山先生身穿中山装", []),
        ("江南水乡", []),
        ("建设新乡村,培育新乡贤,确保长治久安", []),
        ("沿海城市的开发区", []),
        ("建立省、市和县三级政协联动机制", []),
        ("城关镇党委", []),
        ("让中原更加出彩", []),
        ("比如,坚持绿水青山就是金山银山,全面推进乡村振兴,惠民生、暖民心", []),
        ("由县级以上人民政府会同有关部门制定,大兴调查研究之风", []),
        ("江山就是人民,人民就是江山", []),
        ("xx 市政协党组坚持加强政协党的建设", []),
        ("X 县政协党组牢固树立“不抓党建是失职”的理念", []),
    ],
)
def test_place_mentions(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert mentions(text) == expected


def test_mention_rows_carry_the_division_and_slice_back() -> None:
    text = "“曲周经验”在邯郸市18个县(市、区)政协推广开来"
    table = places.place_mentions("003#01", text)
    schema.check(table, "entities")
    assert set(table["kind"]) == {"place"}
    assert set(table["doc_id"]) == {"003#01"}
    row = table.iloc[0]
    assert (row["text"], row["province"], row["city"], row["county"], row["adcode"]) == (
        "曲周",
        "河北省",
        "邯郸市",
        "曲周县",
        "130435",
    )
    assert 36 < row["lat"] < 37.5 and 114 < row["lon"] < 115.5
    assert slices_back(text, table)


def test_place_records_are_the_rows_of_the_table() -> None:
    text = "“曲周经验”在邯郸市18个县(市、区)政协推广开来"
    rows = places.place_records("003#01", text)
    assert [(r["text"], r["norm"], r["adcode"], r["county"]) for r in rows] == [
        ("曲周", "曲周县", "130435", "曲周县"),
        ("邯郸市", "邯郸市", "130400", ""),
    ]
    assert all(set(r) == set(schema.columns("entities")) for r in rows)
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert places.place_mentions("003#01", text).to_dict("records") == rows
    assert places.place_records("d", "") == []


def test_empty_text_gives_an_empty_table() -> None:
    table = places.place_mentions("d", "")
    schema.check(table, "entities")
    assert table.empty


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_offsets_slice_back_on_the_seeds(prefix: str) -> None:
    text = seed(prefix)
    table = places.place_mentions(prefix, text)
    schema.check(table, "entities")
    assert slices_back(text, table)
    assert table["norm"].ne("").all() and table["adcode"].str.fullmatch(r"\d{6}").all()


def test_anonymised_seed_names_no_place() -> None:
    assert mentions(seed("000")) == []


def test_the_finder_finds_what_the_trie_matches_on_the_seeds() -> None:
    m = places.matcher()
    for prefix in ("001", "002", "003"):
        text = seed(prefix)
        pos, by_finder, by_trie = 0, [], []
        while (hit := m.finder.search(text, pos)) is not None:
            by_finder.append(hit.span("w"))
            pos = hit.end("w")
        pos = 0
        while (hit := m.pattern.search(text, pos)) is not None:
            by_trie.append(hit.span())
            pos = hit.end()
        assert by_finder == by_trie and len(by_finder) > 10, prefix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("X县政协党组牢固树立“不抓党建是失职”的理念", True),
        ("xx 市政协党组坚持加强政协党的建设", True),
        ("某市政协召开主席会议", True),
        ("某些委员履职不够积极", False),  # 某些 is no place
        ("全国政协十三届二次会议", False),
    ],
)
def test_placeholder_for_a_place_name(text: str, expected: bool) -> None:
    assert places._placeholder(text) is expected


_NAMES = "".join(sorted(set("河北省唐山市曲周县邯郸复兴区新华城中合作和平我全本南阳安吉林海京上中山装江白银城州自治")))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_NAMES + "的是在了、，。 \n xX*123")), max_size=60) | st.text(max_size=40))
def test_arbitrary_text_never_raises_and_offsets_slice_back(text: str) -> None:
    table = places.place_mentions("h", text)
    schema.check(table, "entities")
    assert slices_back(text, table)
    places.document_region(text=text, title=text[:10], author_title=text[-10:], mentions=table)


# --- document region --------------------------------------------------------------------


def region(text: str, *, title: str = "", author_title: str = "") -> tuple[str, str, str, str]:
    out = places.document_region(
        text=text, title=title, author_title=author_title, mentions=places.place_mentions("d", text)
    )
    assert set(out) == {"province", "city", "county", "level", "adcode", "region_evidence"}
    return out["province"], out["city"], out["county"], out["level"]


def speech(speaker_title: str) -> str:
    """The body of the speech in seed 002 whose speaker line starts with ``speaker_title``."""
    text = seed("002")
    start = text.index(speaker_title)
    start = text.index("\n", start)
    end = text.find("\n### ", start)
    return text[start : end if end > 0 else len(text)]


def article(number: str) -> str:
    """The text of article 篇<number> of seed 001."""
    text = seed("001")
    start = text.index(f"篇{number}:")
    following = re.search(r"\n篇[一二三四五六七八九十]+:", text[start + 3 :])
    return text[start : start + 3 + following.start()] if following else text[start:]


def test_region_of_the_quzhou_news_story() -> None:
    text = seed("003")
    out = places.document_region(
        text=text,
        title="曲周县政协在河北省率先实现“两个全覆盖”",
        author_title="",
        mentions=places.place_mentions("003", text),
    )
    assert (out["province"], out["city"], out["county"], out["level"], out["adcode"]) == (
        "河北省",
        "邯郸市",
        "曲周县",
        "county",
        "130435",
    )
    assert "title" in out["region_evidence"]


def test_region_from_rows_is_the_region_from_the_table() -> None:
    # the story names 曲周 with its 政协 again and again; no title, no speaker
    text = seed("003")
    from_rows = places.document_region(text=text, title="", author_title="", mentions=places.place_records("003", text))
    from_table = places.document_region(
        text=text, title="", author_title="", mentions=places.place_mentions("003", text)
    )
    assert from_rows == from_table
    assert (from_rows["county"], from_rows["adcode"]) == ("曲周县", "130435")


@pytest.mark.parametrize(
    ("speaker_title", "expected"),
    [
        ("唐山市政协主席、党组书记", ("河北省", "唐山市", "", "city")),
        ("秦皇岛市政协主席、党组书记", ("河北省", "秦皇岛市", "", "city")),
        ("保定市政协主席、党组书记", ("河北省", "保定市", "", "city")),
        ("承德市政协主席、党组书记", ("河北省", "承德市", "", "city")),
        ("邯郸市复兴区政协主席、党组书记", ("河北省", "邯郸市", "复兴区", "county")),
        ("廊坊市固安县政协主席、党组书记", ("河北省", "廊坊市", "固安县", "county")),
        # 省政协 names no province; the speech itself names 保定, 唐山 and 元氏, all in 河北省
        ("省政协财政经济委员会主任、分党组书记", ("河北省", "", "", "province")),
        # 省政协 and a speech naming no place at all: no guess
        ("省政协办公厅秘书处处长、党支部书记", ("", "", "", "unknown")),
    ],
)
def test_region_of_each_speech_comes_from_the_speaker(speaker_title: str, expected: tuple[str, ...]) -> None:
    assert region(speech(speaker_title), author_title=speaker_title) == expected


def test_speaker_title_gives_evidence() -> None:
    text = speech("唐山市政协主席、党组书记")
    out = places.document_region(
        text=text, title="", author_title="唐山市政协主席、党组书记", mentions=places.place_mentions("d", text)
    )
    assert out["region_evidence"].startswith("speaker title: 唐山市政协主席")
    assert out["adcode"] == "130200"


def test_provincial_article_listing_many_cities_is_the_province() -> None:
    # 篇一 speaks of 全省各级政协 and 省政协党组 and names a dozen cities of 河南省
    assert region(article("一")) == ("河南省", "", "", "province")


@pytest.mark.parametrize(
    ("text", "title", "author_title"),
    [
        (seed("000"), "基层政协党组织建设工作经验材料", ""),
        ("", "", ""),
        ("xx 市政协党组坚持加强政协党的建设,以党建工作新成效引领新时代政协事业高质量发展。", "", ""),
        ("近年来,县政协坚持党建引领。", "", "XX县政协主席"),
        ("近年来,政协坚持党建引领,组织委员赴延安、遵义学习。", "**县政协党建工作经验材料", ""),
    ],
)
def test_anonymised_documents_get_no_region(text: str, title: str, author_title: str) -> None:
    assert region(text, title=title, author_title=author_title)[3] == "unknown"
    assert region(text, title=title, author_title=author_title)[:3] == ("", "", "")


def test_anonymised_article_naming_places_it_visited_is_unknown() -> None:
    # 篇八 is "xx 市政协"; it names 延安 and 遵义 only as places of red-history study trips
    assert region(article("八"))[3] == "unknown"


@pytest.mark.parametrize(
    ("text", "author_title", "expected"),
    [
        (
            "近年来,曲周县政协积极探索创新县级政协党组织设置方式。全县政协委员……",
            "",
            ("河北省", "邯郸市", "曲周县", "county"),
        ),
        ("会议强调,全省各级政协要加强党的建设。", "河北省政协主席", ("河北省", "", "", "province")),
        (
            "今年以来,我市政协系统党建工作取得新成效。",
            "中共石家庄市委常委、市政协党组书记",
            ("河北省", "石家庄市", "", "city"),
        ),
        (
            "同志们:今天我们召开全市政协系统党建工作会议。",
            "中共南京市委常委、市政协党组书记",
            ("江苏省", "南京市", "", "city"),
        ),
        ("各位委员:我代表政协固安县委员会常务委员会向大会报告工作。", "", ("河北省", "廊坊市", "固安县", "county")),
        ("近年来,固安政协坚持党建引领,全县政协委员积极履职。", "", ("河北省", "廊坊市", "固安县", "county")),
        (
            "本报讯 近日,浙江省湖州市吴兴区政协召开党建工作会议。会议要求,区政协各党支部要发挥战斗堡垒作用。",
            "",
            ("浙江省", "湖州市", "吴兴区", "county"),
        ),
    ],
)
def test_region_from_opening_and_speaker(text: str, author_title: str, expected: tuple[str, ...]) -> None:
    assert region(text, author_title=author_title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("中国人民政治协商会议河北省委员会常务委员会工作报告", ("河北省", "", "", "province")),
        ("朝阳区政协召开党组会议", ("北京市", "北京市", "朝阳区", "county")),
        ("长阳县政协:党建引领履职", ("湖北省", "宜昌市", "长阳土家族自治县", "county")),
        ("吉林市政协:党建引领", ("吉林省", "吉林市", "", "city")),
        # the destination of a study trip is not the issuer; the text names no place of its own
        ("赴浙江杭州、嘉兴学习考察的报告", ("", "", "", "unknown")),
    ],
)
def test_region_from_title(title: str, expected: tuple[str, ...]) -> None:
    assert region("今年以来,政协党组坚持把党的政治建设摆在首位。", title=title) == expected


def test_unnamed_office_of_the_speaker_leaves_the_title_to_name_the_place() -> None:
    text = "今年以来,县政协党组坚持把党的政治建设摆在首位。"
    out = region(text, title="曲周县政协党组2022年工作总结", author_title="县政协主席")
    assert out == ("河北省", "邯郸市", "曲周县", "county")
    assert region(text, title="政协党组2022年工作总结", author_title="县政协主席") == ("", "", "", "unknown")


def test_autonomous_region_speaks_as_a_province() -> None:
    text = (
        "近年来,自治区政协党组在自治区党委的坚强领导下,推动全区政协系统党建工作。"
        "南宁、柳州、桂林等市政协成立界别党支部,自治区政协机关党委……"
    )
    assert region(text) == ("广西壮族自治区", "", "", "province")


def test_title_naming_a_province_gives_way_to_the_county_of_the_text() -> None:
    title = "学习贯彻习近平总书记视察河北重要讲话精神"
    text = (
        "近年来,我们坚持党建引领。曲周县政协积极探索创新县级政协党组织设置方式,"
        "在全县16个界别建立了8个临时党支部。曲周县政协党组经过反复研究,建立了界别党支部。"
    )
    assert region(text, title=title) == ("河北省", "邯郸市", "曲周县", "county")
    assert region("今年以来,政协党组坚持把党的政治建设摆在首位。", title=title) == ("河北省", "", "", "province")


# --- real corpora, when present ---------------------------------------------------------------

REPORTS = CORPORA / "cn_gov_work_reports"


@pytest.mark.skipif(not (REPORTS / "metadata.csv").exists(), reason="government work reports not present")
def test_region_of_government_work_reports_matches_their_metadata() -> None:
    with (REPORTS / "metadata.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    wrong = []
    for row in rows:
        text = (REPORTS / row["file"]).read_text(encoding="utf-8")
        table = places.place_mentions(row["file"], text)
        out = places.document_region(text=text, title="", author_title="", mentions=table)
        level = "county" if row["level"].startswith("县级") else "province"
        if out["province"] != row["province"] or out["level"] != level:
            wrong.append((row["file"], out))
    assert not wrong, wrong[:5]


def test_mentions_frame_columns_are_the_entities_schema() -> None:
    table = places.place_mentions("d", "唐山市政协")
    assert list(table.columns) == schema.columns("entities")
    assert isinstance(table, pd.DataFrame)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_NAMES + "的是在了、，。 \n xX*123")), max_size=80))
def test_the_finder_and_the_trie_agree_on_any_text(text: str) -> None:
    m = places.matcher()
    for pos in range(len(text) + 1):
        by_finder = m.finder.search(text, pos)
        by_trie = m.pattern.search(text, pos)
        assert (by_finder and by_finder.span("w")) == (by_trie and by_trie.span())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("XxＸ×*_O○〇某 省市县区州旗政协委人民党、,\n的")), max_size=30))
def test_the_fast_placeholder_search_agrees_with_the_pattern(text: str) -> None:
    assert places._placeholder(text) is (places._PLACEHOLDER.search(text) is not None)
