"""Keyness: G², log ratio and p worked out by hand on small tables read from the seed texts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lib import keyness, schema


def test_log_likelihood_of_a_two_by_two_table() -> None:
    # a=10 in c=1000 characters, b=5 in d=2000: E1 = 1000*15/3000 = 5, E2 = 2000*15/3000 = 10,
    # G² = 2 (10 ln(10/5) + 5 ln(5/10)) = 2 (10 − 5) ln 2 = 10 ln 2
    g2 = keyness.log_likelihood(np.array([10]), np.array([5]), 1000.0, 2000.0)
    assert g2[0] == pytest.approx(10 * math.log(2))
    # equal relative frequencies: nothing to explain
    assert keyness.log_likelihood(np.array([4]), np.array([8]), 1000.0, 2000.0)[0] == pytest.approx(0.0)


def test_p_from_the_chi_square_table_with_one_degree_of_freedom() -> None:
    # the textbook critical values of chi-square, 1 df: 3.841 -> 0.05, 6.635 -> 0.01, 10.828 -> 0.001
    p = keyness.chi2_p(np.array([3.841, 6.635, 10.828, 0.0]))
    assert p[0] == pytest.approx(0.05, abs=5e-5)
    assert p[1] == pytest.approx(0.01, abs=5e-5)
    assert p[2] == pytest.approx(0.001, abs=5e-6)
    assert p[3] == 1.0
    # 10 ln 2 = 6.93 lies between the 0.01 and 0.005 (7.879) critical values
    assert 0.005 < keyness.chi2_p(np.array([10 * math.log(2)]))[0] < 0.01


def test_log_ratio_of_known_counts() -> None:
    # 10 per 1000 against 5 per 2000: 0.01 / 0.0025 = 4 = 2²
    assert keyness.log_ratio(np.array([10]), np.array([5]), 1000.0, 2000.0)[0] == pytest.approx(2.0)
    # a term missing on one side counts as 0.5 there: (4/1000) / (0.5/1000) = 8 = 2³
    assert keyness.log_ratio(np.array([4]), np.array([0]), 1000.0, 1000.0)[0] == pytest.approx(3.0)
    assert keyness.log_ratio(np.array([0]), np.array([4]), 1000.0, 1000.0)[0] == pytest.approx(-3.0)


# Terms read off two passages: 曲周县 (河北) counts its 临时党支部 and 党员委员; 巴中市 (四川) speaks of 履职.
DOCUMENTS = pd.DataFrame(
    {
        "doc_id": ["hb1", "hb2", "sc1"],
        "province": ["河北省", "河北省", "四川省"],
        "city": ["邯郸市", "唐山市", "巴中市"],
        "county": ["曲周县", "", ""],
        "level": ["county", "city", "city"],
        "doc_type": ["新闻报道", "讲话", "经验材料"],
        "year": pd.array([2018, pd.NA, 2018], dtype="Int64"),
        "source_path": ["003.txt", "002.txt", "001.txt"],
        "n_chars": [1000, 1000, 2000],
    }
)
TERMS = pd.DataFrame(
    {
        "doc_id": ["hb1", "hb1", "hb2", "hb2", "sc1", "sc1"],
        "term": ["党员委员", "临时党支部", "党员委员", "履职", "党员委员", "履职"],
        "pos": ["nz", "nz", "nz", "v", "nz", "v"],
        "count": [6, 4, 4, 2, 5, 8],
    }
)


def test_groups_and_sizes() -> None:
    groups = keyness.document_groups(DOCUMENTS, by="region")
    assert groups.to_dict() == {"hb1": "曲周县", "hb2": "唐山市", "sc1": "巴中市"}
    by_year = keyness.document_groups(DOCUMENTS, by="year")
    assert by_year.to_dict() == {"hb1": "2018", "hb2": "", "sc1": "2018"}
    sizes = keyness.group_sizes(DOCUMENTS, keyness.document_groups(DOCUMENTS, by="province"))
    schema.check(sizes, "group_sizes")
    assert sizes.to_dict("records") == [
        {"group": "河北省", "documents": 2, "characters": 2000},
        {"group": "四川省", "documents": 1, "characters": 2000},
    ]
    # documents without a year are left out of the year groups
    assert keyness.group_sizes(DOCUMENTS, by_year)["documents"].tolist() == [2]


def test_keyness_of_two_provinces_by_hand() -> None:
    groups = keyness.document_groups(DOCUMENTS, by="province")
    counts = keyness.group_term_counts(TERMS, groups)
    sizes = keyness.group_sizes(DOCUMENTS, groups)
    table = keyness.keyness(counts, sizes)
    schema.check(table, "keyness")
    row = table[(table["group"] == "河北省") & (table["term"] == "党员委员")].iloc[0]
    # 河北: 6 + 4 = 10 in 2000 characters; 四川: 5 in 2000
    assert row["count"] == 10 and row["other_count"] == 5
    assert row["per_10k"] == pytest.approx(50.0) and row["other_per_10k"] == pytest.approx(25.0)
    assert row["log_ratio"] == pytest.approx(1.0)
    # E = 7.5 on each side: G² = 2 (10 ln(10/7.5) + 5 ln(5/7.5))
    assert row["g2"] == pytest.approx(2 * (10 * math.log(10 / 7.5) + 5 * math.log(5 / 7.5)))
    # 临时党支部 only in 河北 (4 vs 0): log ratio log2(4 / 0.5) = 3; G² = 2 · 4 ln(4/2) = 8 ln 2
    only = table[(table["group"] == "河北省") & (table["term"] == "临时党支部")].iloc[0]
    assert only["log_ratio"] == pytest.approx(3.0)
    assert only["g2"] == pytest.approx(8 * math.log(2))
    # 四川 uses 履职 8 times against 河北's 2: its rows list it first among its own terms
    sichuan = table[table["group"] == "四川省"]
    assert sichuan["term"].iloc[0] == "履职"
    assert sichuan.iloc[0]["log_ratio"] == pytest.approx(2.0)


def test_keyness_of_two_groups_sums_back_to_the_term_counts() -> None:
    groups = keyness.document_groups(DOCUMENTS, by="province")
    table = keyness.keyness(keyness.group_term_counts(TERMS, groups), keyness.group_sizes(DOCUMENTS, groups))
    totals = TERMS.groupby("term")["count"].sum()
    by_term = table.groupby("term")["count"].sum()
    assert by_term.sort_index().to_dict() == totals.sort_index().to_dict()
    # with two groups, each side's "other" count is the other group's count
    wide = table.pivot(index="term", columns="group", values="count").fillna(0)
    other = table.pivot(index="term", columns="group", values="other_count").fillna(0)
    assert (wide["河北省"] == other["四川省"]).all() and (wide["四川省"] == other["河北省"]).all()


def test_three_groups_compare_each_with_the_rest() -> None:
    groups = keyness.document_groups(DOCUMENTS, by="region")
    table = keyness.keyness(keyness.group_term_counts(TERMS, groups), keyness.group_sizes(DOCUMENTS, groups))
    row = table[(table["group"] == "唐山市") & (table["term"] == "履职")].iloc[0]
    # 唐山 2 in 1000 characters; the rest (曲周 + 巴中) 8 in 3000
    assert row["count"] == 2 and row["other_count"] == 8
    assert row["log_ratio"] == pytest.approx(math.log2((2 / 1000) / (8 / 3000)))


def test_top_keyness_keeps_over_used_and_significant_terms() -> None:
    groups = keyness.document_groups(DOCUMENTS, by="province")
    table = keyness.keyness(keyness.group_term_counts(TERMS, groups), keyness.group_sizes(DOCUMENTS, groups))
    best = keyness.top_keyness(table, n=5)
    assert set(best[best["group"] == "河北省"]["term"]) == {"党员委员", "临时党支部"}
    assert list(best[best["group"] == "四川省"]["term"]) == ["履职"]
    # 8 ln 2 = 5.55 has p < 0.05, 党员委员's G² = 1.70 does not
    strict = keyness.top_keyness(table, n=5, max_p=0.05)
    assert set(strict["term"]) == {"临时党支部", "履职"}


def test_scatter_two_groups() -> None:
    groups = keyness.document_groups(DOCUMENTS, by="region")
    counts = keyness.group_term_counts(TERMS, groups)
    sizes = keyness.group_sizes(DOCUMENTS, groups)
    points = keyness.scatter(counts, sizes, a="曲周县", b="巴中市")
    schema.check(points, "term_scatter")
    got = points.set_index("term")
    assert got.loc["党员委员", "count_a"] == 6 and got.loc["党员委员", "count_b"] == 5
    assert got.loc["党员委员", "per_10k_a"] == pytest.approx(60.0)  # 6 per 1000
    assert got.loc["党员委员", "per_10k_b"] == pytest.approx(25.0)  # 5 per 2000
    assert got.loc["履职", "count_a"] == 0 and got.loc["履职", "count_b"] == 8
    assert keyness.scatter(counts, sizes, a="曲周县", b="曲周县").empty


def test_themes_and_statistics_per_group() -> None:
    themes = pd.DataFrame(
        {
            "doc_id": ["hb1", "hb2", "sc1"],
            "theme": ["组织建设", "组织建设", "组织建设"],
            "hits": [3, 0, 1],
            "score": [1.0, 0, 0.5],
        }
    )
    groups = keyness.document_groups(DOCUMENTS, by="province")
    sizes = keyness.group_sizes(DOCUMENTS, groups)
    shares = keyness.group_themes(themes, groups, sizes).set_index("group")
    assert shares.loc["河北省", "mentioning"] == 1 and shares.loc["河北省", "share"] == pytest.approx(0.5)
    assert shares.loc["四川省", "share"] == pytest.approx(1.0)
    statistics = schema.from_records(
        [
            {"doc_id": "hb1", "subject": "党员委员", "unit": "名", "value": 72.0, "placeholder": False},
            {"doc_id": "hb2", "subject": "党员委员", "unit": "名", "value": 30.0, "placeholder": False},
            {"doc_id": "sc1", "subject": "党员委员", "unit": "名", "value": float("nan"), "placeholder": True},
        ],
        "statistics",
    )
    out = keyness.group_statistics(statistics, groups, subjects=[("党员委员", "名")])
    assert out.to_dict("records") == [
        {"group": "河北省", "subject": "党员委员", "unit": "名", "figures": 2, "total": 102.0, "documents": 2}
    ]
    # with the placeholder figure of sc1 (no value): one more figure, in 四川省, adding nothing
    every = keyness.group_statistics(
        statistics.set_axis([7, 3, 5]), groups, subjects=[("党员委员", "名")], include_placeholders=True
    )
    assert every[["group", "figures", "total", "documents"]].to_dict("records") == [
        {"group": "四川省", "figures": 1, "total": 0.0, "documents": 1},
        {"group": "河北省", "figures": 2, "total": 102.0, "documents": 2},
    ]
    assert keyness.subject_choices(statistics) == [("党员委员", "名")]


def test_empty_inputs_give_empty_tables() -> None:
    empty_groups = keyness.document_groups(DOCUMENTS.iloc[0:0], by="province")
    assert keyness.group_sizes(DOCUMENTS.iloc[0:0], empty_groups).empty
    schema.check(
        keyness.keyness(keyness.group_term_counts(TERMS.iloc[0:0], empty_groups), schema.empty("group_sizes")),
        "keyness",
    )
    schema.check(keyness.scatter(TERMS.iloc[0:0], schema.empty("group_sizes"), a="x", b="y"), "term_scatter")
    with pytest.raises(ValueError):
        keyness.document_groups(DOCUMENTS, by="colour")
