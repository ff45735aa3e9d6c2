import json
import re
from pathlib import Path

import pytest

from lib import evaluate
from lib.__main__ import main
from lib.evaluate import Counts, Label, Prediction

REGION_FIELDS = ("province", "city", "county", "level")


def _label(**kw: object) -> Label:
    base: dict[str, object] = {
        "name": "doc",
        "text": "",
        "source": "",
        "region": {"province": "河北省", "city": "邯郸市", "county": "曲周县", "level": "county"},
        "statistics": [],
        "slogans": [],
    }
    base.update(kw)
    return Label(**base)  # type: ignore[arg-type]


def test_multiset_match_needs_a_repeated_number_twice() -> None:
    gold = [("个", 8.0), ("个", 8.0), ("名", 72.0)]
    predicted = [("个", 8.0), ("名", 72.0), ("名", 73.0)]
    c = evaluate.multiset_counts(gold, predicted)
    assert (c.tp, c.gold, c.predicted) == (2, 3, 3)
    assert c.precision == pytest.approx(2 / 3)
    assert c.recall == pytest.approx(2 / 3)
    assert c.f1 == pytest.approx(2 / 3)


def test_set_match_ignores_repeats() -> None:
    c = evaluate.set_counts(["四个意识", "四个意识", "两个维护"], ["四个意识", "三亮一争"])
    assert (c.tp, c.gold, c.predicted) == (1, 2, 2)


def test_counts_edge_cases() -> None:
    nothing = Counts(0, 0, 0)
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 1.0, 1.0)
    only_spurious = Counts(0, 0, 3)
    assert only_spurious.precision == 0.0
    assert only_spurious.f1 == 0.0
    assert Counts(1, 2, 3) + Counts(2, 2, 2) == Counts(3, 4, 5)
    c = Counts(tp=3, gold=4, predicted=6)
    assert c.precision == 0.5
    assert c.recall == 0.75
    assert c.f1 == pytest.approx(0.6)


def test_statistic_key_normalises_units_values_and_placeholders() -> None:
    assert evaluate.statistic_key({"value": 2.59 * 10000, "unit": "户"}) == ("户", 25900.0)
    assert evaluate.statistic_key({"value": 9356.7 * 1e8, "unit": "元"}) == ("元", 935670000000.0)
    assert evaluate.statistic_key({"value": 0.35, "unit": "%"}) != evaluate.statistic_key({"value": 0.36, "unit": "%"})
    assert evaluate.statistic_key({"value": 0.8, "unit": "个百分点"}) == ("百分点", 0.8)
    assert evaluate.statistic_key({"value": 100, "unit": "％"}) == ("%", 100.0)
    assert evaluate.statistic_key({"placeholder": True, "unit": "个"}) == ("个", None)
    assert evaluate.statistic_key({"value": float("nan"), "unit": "次", "placeholder": True}) == ("次", None)


def test_score_document_lists_misses_and_region_levels() -> None:
    label = _label(
        statistics=[
            {"surface": "8个", "value": 8, "unit": "个"},
            {"surface": "8个", "value": 8, "unit": "个"},
            {"surface": "60多万元", "value": 600000, "unit": "元", "approx": True},
        ],
        slogans=["两个全覆盖", "四个意识"],
    )
    prediction = Prediction(
        region={"province": "河北省", "city": "邯郸市", "county": "", "level": "city"},
        statistics=[
            {"surface": "8个", "value": 8.0, "unit": "个"},
            {"surface": "60多万元", "value": 600000.0, "unit": "元"},
            {"surface": "2018年", "value": 2018.0, "unit": "年"},
        ],
        slogans=["四个意识", "6+X"],
    )
    s = evaluate.score_document(label, prediction)
    assert s.statistics == Counts(2, 3, 3)
    assert s.missed_statistics == ["8个 (8 个)"]
    assert s.spurious_statistics == ["2018年 (2018 年)"]
    assert s.slogans == Counts(1, 2, 2)
    assert s.missed_slogans == ["两个全覆盖"]
    assert s.spurious_slogans == ["6+X"]
    assert s.region_right == {"province": True, "city": True, "county": False}


def test_unknown_region_must_stay_unknown() -> None:
    label = _label(region={"province": "", "city": "", "county": "", "level": "unknown"})
    guess = Prediction({"province": "重庆市", "city": "", "county": "", "level": "province"}, [], [])
    unknown = Prediction({"province": "", "city": "", "county": "", "level": "unknown"}, [], [])
    assert evaluate.score_document(label, guess).region_right["province"] is False
    assert evaluate.score_document(label, unknown).region_right == {"province": True, "city": True, "county": True}


def test_summary_adds_documents_and_report_prints_it() -> None:
    a = evaluate.score_document(
        _label(name="a", statistics=[{"value": 1, "unit": "次"}]),
        Prediction({"province": "河北省", "city": "邯郸市", "county": "曲周县"}, [{"value": 1, "unit": "次"}], []),
    )
    b = evaluate.score_document(
        _label(name="b", statistics=[{"value": 2, "unit": "次"}]),
        Prediction({"province": "河北省", "city": "", "county": ""}, [], []),
    )
    summary = evaluate.summarise([a, b])
    assert summary.documents == 2
    assert summary.statistics == Counts(1, 2, 1)
    assert summary.region_accuracy == {"province": 1.0, "city": 0.5, "county": 0.5}
    text = evaluate.report([a, b], verbose=True)
    assert "statistics  precision 1.000  recall 0.500  F1 0.667" in text
    assert "province 1.000  city 0.500  county 0.500" in text
    assert "## b: statistics 0/1 found" in text
    assert "region: labelled 河北省/邯郸市/曲周县, predicted 河北省/-/-" in text
    assert "missed statistics:  (2 次)" in text
    assert "## a" in text
    assert "## a" not in evaluate.report([a, b])


# --- the evaluation set itself ---------------------------------------------------------------


def test_evaluation_set_has_at_least_15_documents_from_seeds_and_corpora() -> None:
    labels = evaluate.load_labels()
    assert len(labels) >= 15
    sources = [label.source for label in labels]
    assert sum("seed corpus" in s for s in sources) >= 8
    assert sum("corpora" in s for s in sources) >= 5
    assert sum(len(label.statistics) for label in labels) >= 100


@pytest.mark.parametrize("label", evaluate.load_labels(), ids=lambda label: label.name)
def test_every_label_is_consistent_with_its_text(label: Label) -> None:
    squeezed = re.sub(r"\s+", "", label.text)
    for stat in label.statistics:
        assert re.sub(r"\s+", "", stat["surface"]) in squeezed, stat
        assert ("value" in stat) != bool(stat.get("placeholder")), stat
        # an amount with a magnitude and no measure word (2400多万陇原儿女) has no unit
        assert stat["unit"] or re.search(r"[万亿]", stat["surface"]), stat
        if "value_max" in stat:
            assert stat["value_max"] > stat["value"]
    for slogan in label.slogans:
        assert slogan in squeezed.upper() or slogan in squeezed, slogan
    assert len(set(label.slogans)) == len(label.slogans)
    region = label.region
    expected_level = (
        "county" if region["county"] else "city" if region["city"] else "province" if region["province"] else "unknown"
    )
    assert region["level"] == expected_level
    if region["county"]:
        assert region["county"] in squeezed


def _tiny_set(root: Path) -> None:
    (root / "labels").mkdir(parents=True)
    (root / "texts").mkdir()
    (root / "texts" / "one.txt").write_text("曲周县政协在全县16个界别建立了8个临时党支部。", encoding="utf-8")
    label = {
        "text": "texts/one.txt",
        "source": "hand-written",
        "region": {"province": "河北省", "city": "邯郸市", "county": "曲周县", "level": "county"},
        "statistics": [
            {"surface": "16个", "value": 16, "unit": "个"},
            {"surface": "8个", "value": 8, "unit": "个"},
        ],
        "slogans": [],
    }
    (root / "labels" / "one.json").write_text(json.dumps(label, ensure_ascii=False), encoding="utf-8")


def test_load_labels_reads_text_and_region(tmp_path: Path) -> None:
    _tiny_set(tmp_path)
    [label] = evaluate.load_labels(tmp_path)
    assert label.name == "one"
    assert label.text.startswith("曲周县政协")
    assert label.region["county"] == "曲周县"
    assert [s["value"] for s in label.statistics] == [16, 8]


def test_cli_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tiny_set(tmp_path)
    assert main(["evaluate", "--labels", str(tmp_path), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("evaluation set: 1 documents")
    assert re.search(r"statistics  precision \d\.\d{3}  recall \d\.\d{3}  F1 \d\.\d{3}", out)
    assert "## one: statistics" in out


def test_cli_without_labels_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--labels", str(tmp_path)]) == 2
    assert "no label files" in capsys.readouterr().err


# --- splits: dev (tuned on) and heldout (labelled afterwards, never tuned on) ----------------


def _scored(name: str, split: str, gold: list[float], found: list[float], county: str) -> evaluate.DocumentScore:
    return evaluate.score_document(
        _label(name=name, split=split, statistics=[{"value": v, "unit": "名"} for v in gold]),
        Prediction(
            {"province": "河北省", "city": "邯郸市", "county": county}, [{"value": v, "unit": "名"} for v in found], []
        ),
    )


def test_report_prints_the_combined_figures_then_one_block_per_split() -> None:
    scores = [
        _scored("d1", "dev", [230, 10], [230, 10], "曲周县"),
        _scored("h1", "heldout", [72, 8, 8], [72, 8, 35], "曲周县"),
        _scored("h2", "heldout", [5], [], ""),
    ]
    assert [s.split for s in scores] == ["dev", "heldout", "heldout"]
    text = evaluate.report(scores, verbose=True)
    blocks = text.split("\n\n")
    assert blocks[0].startswith("evaluation set: 3 documents")
    # combined: 4 matched of 6 labelled, 5 extracted
    assert "statistics  precision 0.800  recall 0.667  F1 0.727  (matched 4, labelled 6, extracted 5)" in blocks[0]
    assert "county 0.667" in blocks[0]
    assert blocks[1].startswith("dev split: 1 documents")
    assert "statistics  precision 1.000  recall 1.000  F1 1.000  (matched 2, labelled 2, extracted 2)" in blocks[1]
    assert "province 1.000  city 1.000  county 1.000" in blocks[1]
    assert blocks[2].startswith("heldout split: 2 documents")
    # held out: 2 matched of 4 labelled, 3 extracted
    assert "statistics  precision 0.667  recall 0.500  F1 0.571  (matched 2, labelled 4, extracted 3)" in blocks[2]
    assert "province 1.000  city 1.000  county 0.500" in blocks[2]
    assert "## h1 [heldout]: statistics 2/3 found, 1 spurious" in text
    assert text.index("## d1 [dev]") < text.index("## h1 [heldout]")


def test_report_of_a_single_split_has_no_split_blocks() -> None:
    text = evaluate.report([_scored("d1", "dev", [1], [1], "曲周县")], verbose=True)
    assert "split:" not in text
    assert "## d1: statistics 1/1 found" in text


def test_split_is_read_from_the_label_file_and_defaults_to_dev(tmp_path: Path) -> None:
    _tiny_set(tmp_path)
    raw = json.loads((tmp_path / "labels" / "one.json").read_text(encoding="utf-8"))
    raw["split"] = "heldout"
    (tmp_path / "labels" / "two.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    one, two = evaluate.load_labels(tmp_path)
    assert (one.split, two.split) == ("dev", "heldout")


def test_evaluation_set_has_a_held_out_split_of_new_texts() -> None:
    labels = evaluate.load_labels()
    by_split: dict[str, list[Label]] = {}
    for label in labels:
        by_split.setdefault(label.split, []).append(label)
    assert set(by_split) == {"dev", "heldout"}
    heldout, dev = by_split["heldout"], by_split["dev"]
    assert len(heldout) >= 8
    assert sum(len(label.statistics) for label in heldout) >= 50
    # every label file says which split it belongs to
    for label in labels:
        raw = json.loads((evaluate.EVAL_DIR / "labels" / f"{label.name}.json").read_text(encoding="utf-8"))
        assert raw["split"] in ("dev", "heldout"), label.name
    # no held-out text repeats a dev text: at most a formula (a report's greeting) is shared
    dev_text = "\n".join(re.sub(r"\s+", "", label.text) for label in dev)
    for label in heldout:
        squeezed = re.sub(r"\s+", "", label.text)
        stretches = [squeezed[i : i + 40] for i in range(0, len(squeezed) - 40, 40)]
        shared = sum(s in dev_text for s in stretches)
        assert stretches and shared <= len(stretches) // 10, label.name
