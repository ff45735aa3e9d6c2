"""lib/coverage.py: theme × region matrix, the map view, organisational figures and
"全覆盖" claims — on small tables written by hand and on the built seed corpus.

Expected values come from reading the texts: seed 003 is the 河北新闻网 story about
曲周县 (16个界别, 8个临时党支部, 72名党员委员, 8个界别党支部, 3861名县级政协委员, and the
sentence 实现党的组织对党员委员的全覆盖、党的工作对政协委员的全覆盖).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import seed_corpus

from lib import coverage, schema

# ---------------------------------------------------------------- hand-made tables

DOCS = schema.from_records(
    [
        {"doc_id": "a", "title": "曲周县政协党建", "province": "河北省", "city": "邯郸市", "county": "曲周县",
         "adcode": "130435", "text": "在全县16个界别建立了8个临时党支部，实现党的组织对党员委员的全覆盖。"},
        {"doc_id": "b", "title": "唐山市政协讲话", "province": "河北省", "city": "唐山市", "county": "",
         "adcode": "130200", "text": "在严格落实疫情防控要求的基础上，推动党的工作向政协委员全覆盖。"},
        {"doc_id": "c", "title": "河南省政协", "province": "河南省", "city": "", "county": "",
         "adcode": "410000", "text": "全省政协系统实现“两个全覆盖”。"},
        {"doc_id": "d", "title": "XX县经验材料", "province": "", "city": "", "county": "",
         "adcode": "", "text": "在全县230名政协委员中设立了10个界别党支部。开展全覆盖干部谈心谈话。"},
    ],
    "documents",
)  # fmt: skip
THEMES = schema.from_records(
    [
        {"doc_id": "a", "theme": "组织建设", "hits": 3},
        {"doc_id": "a", "theme": "疫情防控", "hits": 0},
        {"doc_id": "b", "theme": "组织建设", "hits": 1},
        {"doc_id": "b", "theme": "疫情防控", "hits": 1},
        {"doc_id": "c", "theme": "组织建设", "hits": 2},
        {"doc_id": "d", "theme": "组织建设", "hits": 1},
    ],
    "themes",
)
STATS = schema.from_records(
    [
        {"doc_id": "a", "start": 3, "end": 6, "surface": "16个", "number_text": "16", "value": 16.0, "unit": "个",
         "subject": "界别", "category": "organisations", "sentence": "在全县16个界别建立了8个临时党支部"},
        {"doc_id": "a", "start": 11, "end": 13, "surface": "8个", "number_text": "8", "value": 8.0, "unit": "个",
         "subject": "临时党支部", "category": "organisations", "sentence": "在全县16个界别建立了8个临时党支部"},
        {"doc_id": "d", "start": 3, "end": 7, "surface": "230名", "number_text": "230", "value": 230.0, "unit": "名",
         "subject": "政协委员", "category": "people", "sentence": "在全县230名政协委员中设立了10个界别党支部"},
        {"doc_id": "d", "start": 14, "end": 17, "surface": "10个", "number_text": "10", "value": 10.0, "unit": "个",
         "subject": "界别党支部", "category": "organisations", "sentence": "在全县230名政协委员中设立了10个界别党支部"},
        {"doc_id": "d", "start": 0, "end": 3, "surface": "XX名", "number_text": "XX", "unit": "名",
         "subject": "党员委员", "placeholder": True, "category": "people", "sentence": "XX名党员委员"},
        {"doc_id": "d", "start": 20, "end": 23, "surface": "60%", "number_text": "60", "value": 60.0, "unit": "%",
         "subject": "政协委员", "category": "share", "sentence": "政协委员中党员占60%"},
    ],
    "statistics",
)  # fmt: skip
ENTITIES = schema.from_records(
    [
        {"doc_id": "c", "kind": "slogan", "text": "两个全覆盖", "norm": "两个全覆盖", "start": 9, "end": 14},
        {"doc_id": "a", "kind": "org", "text": "临时党支部", "norm": "临时党支部", "start": 11, "end": 16},
        {"doc_id": "d", "kind": "org", "text": "界别党支部", "norm": "界别党支部", "start": 14, "end": 19},
        {"doc_id": "d", "kind": "org", "text": "政协", "norm": "政协", "start": 0, "end": 2},
    ],
    "entities",
)


def test_region_of_levels() -> None:
    assert list(coverage.region_of(DOCS, level="province")) == ["河北省", "河北省", "河南省", ""]
    assert list(coverage.region_of(DOCS, level="city")) == ["邯郸市", "唐山市", "", ""]
    assert list(coverage.region_of(DOCS, level="any")) == ["曲周县", "唐山市", "河南省", ""]
    with pytest.raises(ValueError):
        coverage.region_of(DOCS, level="village")


def test_theme_regions_counts_documents_and_shares() -> None:
    long = coverage.theme_regions(DOCS, THEMES, level="province")
    schema.check(long, "theme_regions")
    cells = {
        (r, t): (m, n)
        for r, t, m, n in zip(long["region"], long["theme"], long["mentioning"], long["documents"], strict=True)
    }
    # 河北省: a and b both speak of 组织建设, only b of 疫情防控 (a has 0 hits)
    assert cells[("河北省", "组织建设")] == (2, 2)
    assert cells[("河北省", "疫情防控")] == (1, 2)
    assert cells[("河南省", "组织建设")] == (1, 1)
    assert cells[("河南省", "疫情防控")] == (0, 1)  # the grid is complete
    assert len(long) == 4  # d has no province and is left out
    share = long.set_index(["region", "theme"])["share"]
    assert share[("河北省", "疫情防控")] == pytest.approx(0.5)
    # regions by documents, themes by documents mentioning them
    assert list(dict.fromkeys(long["region"])) == ["河北省", "河南省"]
    assert list(dict.fromkeys(long["theme"])) == ["组织建设", "疫情防控"]
    assert set(long["adcode"]) == {"130000", "410000"}


def test_theme_regions_missing_group_and_levels() -> None:
    long = coverage.theme_regions(DOCS, THEMES, level="province", missing="未识别")
    unknown = long[long["region"].eq("未识别")].set_index("theme")
    assert unknown.loc["组织建设", "mentioning"] == 1 and unknown.loc["组织建设", "documents"] == 1
    city = coverage.theme_regions(DOCS, THEMES, level="city")
    assert set(city["region"]) == {"邯郸市", "唐山市"}
    assert dict(zip(city["region"], city["adcode"], strict=True)) == {"邯郸市": "130400", "唐山市": "130200"}
    county = coverage.theme_regions(DOCS, THEMES, level="county")
    assert set(county["region"]) == {"曲周县"}


def test_matrix_is_wide_in_the_same_order() -> None:
    long = coverage.theme_regions(DOCS, THEMES, level="province")
    wide = coverage.matrix(long, measure="documents")
    assert list(wide.columns) == ["region", "组织建设", "疫情防控"]
    hebei = wide[wide["region"].eq("河北省")]
    assert [int(hebei[c].iloc[0]) for c in ("组织建设", "疫情防控")] == [2, 1]
    shares = coverage.matrix(long, measure="share").set_index("region")
    assert shares.loc["河南省", "组织建设"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        coverage.matrix(long, measure="hits")


def test_empty_inputs_give_empty_tables() -> None:
    for out, name in [
        (coverage.theme_regions(DOCS.iloc[0:0], THEMES, level="city"), "theme_regions"),
        (coverage.theme_regions(DOCS, THEMES.iloc[0:0], level="city"), "theme_regions"),
        (coverage.coverage_figures(STATS.iloc[0:0], DOCS), "coverage_figures"),
        (coverage.coverage_claims(DOCS.iloc[0:0], ENTITIES), "coverage_claims"),
        (coverage.branch_mentions(DOCS, ENTITIES.iloc[0:0]), "branch_mentions"),
        (
            coverage.coverage_summary(schema.empty("coverage_figures"), schema.empty("coverage_claims")),
            "coverage_summary",
        ),
    ]:
        assert out.empty
        schema.check(out, name)
    assert list(coverage.matrix(schema.empty("theme_regions")).columns) == ["region"]


def test_theme_map_provinces_and_cities() -> None:
    level, parent, frame = coverage.theme_map(DOCS, THEMES, theme="疫情防控")
    schema.check(frame, "theme_map")
    assert (level, parent) == ("province", "")
    row = frame.set_index("adcode").loc["130000"]
    assert (row["mentioning"], row["documents"]) == (1, 2) and row["share"] == pytest.approx(0.5)
    assert frame.set_index("adcode").loc["410000", "mentioning"] == 0
    assert frame.set_index("adcode").loc["440000", "documents"] == 0  # every outline has a row
    hebei = DOCS[DOCS["province"].eq("河北省")]
    level, parent, frame = coverage.theme_map(hebei, THEMES, theme="疫情防控", province="河北省")
    assert (level, parent) == ("city", "130000")
    by_code = frame.set_index("adcode")
    assert by_code.loc["130200", "mentioning"] == 1  # 唐山市
    assert by_code.loc["130400", "mentioning"] == 0 and by_code.loc["130400", "documents"] == 1  # 邯郸市


@pytest.mark.parametrize(
    ("subject", "unit", "kind"),
    [
        ("党员委员", "名", "party_members"),
        ("中共党员政协委员", "名", "party_members"),
        ("党外委员", "名", "non_party_members"),
        ("县级政协委员", "名", "members"),
        ("委员", "人", "members"),
        ("政协委员", "%", ""),  # a share is not a head count
        ("委员提案", "件", ""),
        ("界别党支部", "个", "branches"),
        ("临时党支部", "个", "branches"),
        ("界别功能性党支部", "个", "branches"),
        ("党支部", "年", ""),
        ("界别", "个", "sectors"),
        ("界别小组", "个", ""),
    ],
)
def test_figure_kind(subject: str, unit: str, kind: str) -> None:
    assert coverage.figure_kind(subject, unit) == kind


def test_coverage_figures_from_statistics() -> None:
    figures = coverage.coverage_figures(STATS, DOCS, missing="未识别")
    schema.check(figures, "coverage_figures")
    got = list(zip(figures["region"], figures["kind"], figures["surface"], figures["subject"], strict=True))
    assert got == [
        ("曲周县", "branches", "8个", "临时党支部"),
        ("曲周县", "sectors", "16个", "界别"),
        ("未识别", "members", "230名", "政协委员"),
        ("未识别", "branches", "10个", "界别党支部"),
    ]
    assert figures["title"].iloc[0] == "曲周县政协党建"
    assert figures["sentence"].iloc[0] == "在全县16个界别建立了8个临时党支部"
    with_ph = coverage.coverage_figures(STATS, DOCS, include_placeholders=True)
    assert "XX名" in set(with_ph["surface"]) and len(with_ph) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("率先实现党的组织对党员委员全覆盖、党的工作对全体委员的全覆盖,形成",
         [("党的组织对党员委员全覆盖", "党的组织", "党员委员"), ("党的工作对全体委员的全覆盖", "党的工作", "全体委员")]),
        ("推动党的工作向政协委员全覆盖。", [("党的工作向政协委员全覆盖", "党的工作", "政协委员")]),
        ("推动政协党的组织和党的工作全覆盖,以党的建设为引领", [("政协党的组织和党的工作全覆盖", "政协党的组织和党的工作", "")]),
        ("在政协系统实现了党组织的全覆盖。", [("党组织的全覆盖", "党组织", "")]),
        ("实现对各级政协委员联络管理的全覆盖", [("对各级政协委员联络管理的全覆盖", "", "各级政协委员联络管理")]),
        ("实现机关干部、委员全覆盖,引领机关干部", [("实现机关干部、委员全覆盖", "", "机关干部、委员")]),
        ("政协推广开来,全面覆盖3861名县级政协委员。", [("全面覆盖3861名县级政协委员", "", "3861名县级政协委员")]),
        # adjectives and other coverage words are not claims
        ("每年开展全覆盖干部谈心谈话和正风肃纪专项检查", []),
        ("形成上下衔接、立体覆盖、各尽其责的组织体系", []),
        ("扩大组织覆盖,让战斗堡垒更坚固", []),
    ],
)  # fmt: skip
def test_claims_in_text(text: str, expected: list[tuple[str, str, str]]) -> None:
    claims = coverage.claims_in_text(text)
    assert [(c["claim"], c["by"], c["covers"]) for c in claims] == expected
    for c in claims:
        assert text[int(str(c["start"])) : int(str(c["end"]))] == c["claim"]


def test_sentence_at() -> None:
    text = "第一句。在全县16个界别建立了8个临时党支部；第三句"
    assert coverage.sentence_at(text, 8, 11) == "在全县16个界别建立了8个临时党支部；"
    assert coverage.sentence_at(text, 25, 27) == "第三句"


def test_coverage_claims_sentences_and_slogans() -> None:
    claims = coverage.coverage_claims(DOCS, ENTITIES)
    schema.check(claims, "coverage_claims")
    got = list(zip(claims["doc_id"], claims["claim"], claims["origin"], strict=True))
    assert ("a", "党的组织对党员委员的全覆盖", "sentence") in got
    assert ("b", "党的工作向政协委员全覆盖", "sentence") in got
    assert ("c", "两个全覆盖", "slogan") in got  # from the entities table
    assert not any(doc == "d" for doc, _, _ in got)  # 全覆盖干部谈心谈话 is no claim
    row = claims[claims["doc_id"].eq("c")].iloc[0]
    text = str(DOCS.loc[DOCS["doc_id"].eq("c"), "text"].iloc[0])
    assert text[int(row["start"]) : int(row["end"])] == "两个全覆盖"
    assert row["sentence"] == "全省政协系统实现“两个全覆盖”。"


def test_summary_and_branch_mentions() -> None:
    figures = coverage.coverage_figures(STATS, DOCS, missing="未识别")
    claims = coverage.coverage_claims(DOCS, ENTITIES, missing="未识别")
    summary = coverage.coverage_summary(figures, claims)
    schema.check(summary, "coverage_summary")
    quzhou = summary[summary["region"].eq("曲周县")].set_index("kind")
    assert list(quzhou.index) == ["branches", "sectors", "claims"]
    assert quzhou.loc["branches", "stated"] == "8个临时党支部"
    assert quzhou.loc["claims", "stated"] == "党的组织对党员委员的全覆盖"
    branches = coverage.branch_mentions(DOCS, ENTITIES, missing="未识别")
    schema.check(branches, "branch_mentions")
    assert set(zip(branches["region"], branches["branch"], strict=True)) == {
        ("曲周县", "临时党支部"),
        ("未识别", "界别党支部"),
    }


# ---------------------------------------------------------------- the built seed corpus


def texts_of(documents: pd.DataFrame) -> dict[str, str]:
    return dict(zip(documents["doc_id"].astype(str), documents["text"].astype(str), strict=True))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    return seed_corpus.tables(seed_corpus.build(tmp_path_factory.getbasetemp()))


def test_seed_theme_matrix_hebei(seed: dict[str, pd.DataFrame]) -> None:
    docs = seed["documents"]
    long = coverage.theme_regions(docs, seed["themes"], level="province").set_index(["region", "theme"])
    # Read: 8 documents issued in 河北省 (seven speeches of 002 and the 曲周县 story of 003);
    # only 唐山市's speech (在严格落实疫情防控要求的基础上) and 固安县's (疫情防控等重大活动,
    # 防疫情) speak of the epidemic.
    assert long.loc[("河北省", "疫情防控"), "documents"] == 8
    assert long.loc[("河北省", "疫情防控"), "mentioning"] == 2
    assert long.loc[("河北省", "疫情防控"), "share"] == pytest.approx(0.25)
    city = coverage.theme_regions(docs, seed["themes"], level="city").set_index(["region", "theme"])
    assert city.loc[("唐山市", "疫情防控"), "mentioning"] == 1
    assert city.loc[("廊坊市", "疫情防控"), "mentioning"] == 1
    # 邯郸市: 复兴区's speech and the 曲周县 story, neither mentions the epidemic
    assert city.loc[("邯郸市", "疫情防控"), "mentioning"] == 0
    assert city.loc[("邯郸市", "疫情防控"), "documents"] == 2


def test_seed_quzhou_figures(seed: dict[str, pd.DataFrame]) -> None:
    figures = coverage.coverage_figures(seed["statistics"], seed["documents"])
    quzhou = figures[figures["doc_id"].eq(seed_corpus.SEED_003)]
    stated = set(zip(quzhou["kind"], quzhou["surface"], quzhou["subject"], strict=True))
    assert ("party_members", "72名", "党员委员") in stated  # 将全县72名党员委员
    assert ("branches", "8个", "临时党支部") in stated  # 建立了8个临时党支部
    assert ("branches", "8个", "界别党支部") in stated  # 科学编入8个界别党支部
    assert ("sectors", "16个", "界别") in stated  # 在全县16个界别
    assert ("members", "3861名", "县级政协委员") in stated  # 全面覆盖3861名县级政协委员
    assert ("non_party_members", "1—3名", "党外委员") in stated  # 联系帮带1—3名党外委员
    assert set(quzhou["region"]) == {"曲周县"}
    texts = texts_of(seed["documents"])
    for row in quzhou.to_dict("records"):
        assert texts[row["doc_id"]][int(row["start"]) : int(row["end"])] == row["surface"]
        assert str(row["surface"]) in str(row["sentence"])
    # the template text's XX名 placeholders are not claims of any region
    assert not figures["value"].isna().any()


def test_seed_quzhou_claims(seed: dict[str, pd.DataFrame]) -> None:
    claims = coverage.coverage_claims(seed["documents"], seed["entities"])
    quzhou = claims[claims["doc_id"].eq(seed_corpus.SEED_003)]
    got = list(quzhou["claim"])
    # Read: the title's “两个全覆盖”, the central document's and 曲周县's own
    # 党的组织对党员委员的全覆盖、党的工作对政协委员的全覆盖, 全面覆盖3861名县级政协委员
    # in 邯郸市, and 在政协系统实现了党组织的全覆盖.
    assert got.count("党的组织对党员委员的全覆盖") == 2
    assert got.count("党的工作对政协委员的全覆盖") == 2
    assert "两个全覆盖" in got and "全面覆盖3861名县级政协委员" in got and "党组织的全覆盖" in got
    assert len(got) == 7
    by_claim = quzhou.set_index("claim")
    assert by_claim.loc["两个全覆盖", "origin"] == "slogan"
    assert set(quzhou.loc[quzhou["claim"].eq("党的组织对党员委员的全覆盖"), "covers"]) == {"党员委员"}
    # 固安县's speech: 推动党的工作向政协委员全覆盖 (title and body)
    guan = claims[claims["region"].eq("固安县")]
    assert list(guan["claim"]) == ["党的工作向政协委员全覆盖", "党的工作向政协委员全覆盖"]
    texts = texts_of(seed["documents"])
    for row in claims.to_dict("records"):
        assert texts[row["doc_id"]][int(row["start"]) : int(row["end"])] == row["claim"]


def test_figure_rules_are_data(tmp_path: Path) -> None:
    # the figure rules are data: a file with only the sectors rule finds only sectors
    rules = tmp_path / "figures.csv"
    rules.write_text("kind,subject,units\nsectors,^界别$,个\n", encoding="utf-8")
    loaded = coverage.figure_rules(rules)
    assert [r.kind for r in loaded] == ["sectors"]
    assert coverage.figure_kind("界别", "个", rules=loaded) == "sectors"
    assert coverage.figure_kind("党员委员", "名", rules=loaded) == ""


def test_largest_regions_keeps_the_biggest() -> None:
    long = coverage.theme_regions(DOCS, THEMES, level="province")
    top = coverage.largest_regions(long, n=1)
    schema.check(top, "theme_regions")
    assert set(top["region"]) == {"河北省"}  # two documents against 河南省's one
    assert len(top) == 2  # both themes of the region
    assert coverage.largest_regions(long, n=5).equals(long)
    assert coverage.largest_regions(long, n=0).empty
