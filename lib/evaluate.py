"""Measure the extractors against the hand-labelled evaluation set (tests/eval/).

Each label file (``labels/NAME.json``) names one short text (``texts/NAME.txt``) and gives,
written by reading the text: the region it is issued by or about (province, city,
county, level), every statistic (value and unit; placeholders carry no value) and its
numbered slogans in norm form. The real pipeline runs on each text; then

- statistics are matched per document on (value, unit) as a multiset: a number stated
  twice must be found twice; a placeholder statistic matches on its unit alone;
- slogans are matched per document as a set of norms;
- the region is right at a level when the predicted name equals the label (both empty
  counts as right: an anonymised text must stay unknown).

Precision, recall and F1 are micro-averaged over all documents, and again within each split
(``split`` in the label file: ``dev`` for texts the extractors were tuned on, ``heldout`` for
texts labelled afterwards and never tuned on; a label without one is ``dev``).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lib.pipeline import process_file
from lib.resources import ROOT, Resources

EVAL_DIR = ROOT / "tests" / "eval"
REGION_LEVELS = ("province", "city", "county")
DEFAULT_SPLIT = "dev"
_UNIT_ALIASES = {"个百分点": "百分点"}

StatKey = tuple[str, float | None]


@dataclass(frozen=True)
class Label:
    """One hand-labelled document."""

    name: str
    text: str
    source: str
    region: dict[str, str]
    statistics: list[dict[str, Any]]
    slogans: list[str]
    split: str = DEFAULT_SPLIT


@dataclass(frozen=True)
class Prediction:
    """What the pipeline extracted from one labelled text."""

    region: dict[str, str]
    statistics: list[dict[str, Any]]
    slogans: list[str]


@dataclass(frozen=True)
class Counts:
    """True positives, gold items and predicted items."""

    tp: int = 0
    gold: int = 0
    predicted: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.gold + other.gold, self.predicted + other.predicted)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class DocumentScore:
    """Scores and misses of one document."""

    name: str
    statistics: Counts
    slogans: Counts
    region_right: dict[str, bool]
    missed_statistics: list[str] = field(default_factory=list)
    spurious_statistics: list[str] = field(default_factory=list)
    missed_slogans: list[str] = field(default_factory=list)
    spurious_slogans: list[str] = field(default_factory=list)
    gold_region: dict[str, str] = field(default_factory=dict)
    predicted_region: dict[str, str] = field(default_factory=dict)
    split: str = DEFAULT_SPLIT


def load_labels(folder: Path = EVAL_DIR) -> list[Label]:
    """Every label file under ``folder/labels``, with its text read from ``folder``."""
    labels = []
    for path in sorted((folder / "labels").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        labels.append(
            Label(
                name=path.stem,
                text=(folder / raw["text"]).read_text(encoding="utf-8"),
                source=str(raw.get("source", "")),
                region={level: str(raw["region"].get(level, "")) for level in (*REGION_LEVELS, "level")},
                statistics=list(raw.get("statistics", [])),
                slogans=[str(s) for s in raw.get("slogans", [])],
                split=str(raw.get("split") or DEFAULT_SPLIT),
            )
        )
    return labels


def unit_norm(unit: str) -> str:
    """Unit as compared: NFKC, no spaces, 个百分点 = 百分点."""
    text = "".join(unicodedata.normalize("NFKC", unit).split())
    return _UNIT_ALIASES.get(text, text)


def statistic_key(row: dict[str, Any]) -> StatKey:
    """(unit, value) of a statistic, the value to 10 significant digits (2.59 * 10000 = 25900);
    value None for a placeholder or a missing value."""
    value = row.get("value")
    placeholder = bool(row.get("placeholder", False))
    if placeholder or value is None or pd.isna(value):
        return (unit_norm(str(row.get("unit", ""))), None)
    return (unit_norm(str(row.get("unit", ""))), float(f"{float(value):.10g}"))  # 10 significant digits


def multiset_counts(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> Counts:
    """Counts of a multiset match: each gold item can be matched by one predicted item."""
    g, p = Counter(gold), Counter(predicted)
    return Counts(sum((g & p).values()), sum(g.values()), sum(p.values()))


def set_counts(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> Counts:
    """Counts of a set match (duplicates ignored)."""
    g, p = set(gold), set(predicted)
    return Counts(len(g & p), len(g), len(p))


def predict(label: Label, *, resources: Resources) -> Prediction:
    """Run the real pipeline on a labelled text."""
    tables = process_file(f"{label.name}.txt", label.text.encode("utf-8"), resources=resources)
    docs = tables["documents"]
    if docs.empty:
        return Prediction({level: "" for level in (*REGION_LEVELS, "level")}, [], [])
    first = docs.iloc[0]
    region = {level: str(first[level]) for level in (*REGION_LEVELS, "level")}
    stats = [{str(k): v for k, v in row.items()} for row in tables["statistics"].to_dict("records")]
    entities = tables["entities"]
    slogans = sorted(set(entities.loc[entities["kind"] == "slogan", "norm"].astype(str)))
    return Prediction(region, stats, slogans)


def score_document(label: Label, prediction: Prediction) -> DocumentScore:
    """Compare one prediction with its label."""
    gold_keys = [statistic_key(s) for s in label.statistics]
    pred_keys = [statistic_key(s) for s in prediction.statistics]
    missed = Counter(gold_keys) - Counter(pred_keys)
    spurious = Counter(pred_keys) - Counter(gold_keys)
    return DocumentScore(
        name=label.name,
        statistics=multiset_counts(gold_keys, pred_keys),
        slogans=set_counts(label.slogans, prediction.slogans),
        region_right={level: label.region[level] == prediction.region.get(level, "") for level in REGION_LEVELS},
        missed_statistics=_describe(label.statistics, missed),
        spurious_statistics=_describe(prediction.statistics, spurious),
        missed_slogans=sorted(set(label.slogans) - set(prediction.slogans)),
        spurious_slogans=sorted(set(prediction.slogans) - set(label.slogans)),
        gold_region=dict(label.region),
        predicted_region=dict(prediction.region),
        split=label.split,
    )


def _describe(rows: list[dict[str, Any]], unmatched: Counter[StatKey]) -> list[str]:
    left = Counter(unmatched)
    out = []
    for row in rows:
        key = statistic_key(row)
        if left[key] > 0:
            left[key] -= 1
            value = "placeholder" if key[1] is None else f"{key[1]:g}"
            out.append(f"{row.get('surface', '')} ({value} {key[0]})")
    return out


@dataclass(frozen=True)
class Summary:
    """Micro-averaged scores over the evaluation set."""

    documents: int
    statistics: Counts
    slogans: Counts
    region_accuracy: dict[str, float]


def summarise(scores: list[DocumentScore]) -> Summary:
    """Add up document scores."""
    stats = sum((s.statistics for s in scores), Counts())
    slogans = sum((s.slogans for s in scores), Counts())
    n = len(scores)
    accuracy = {level: (sum(s.region_right[level] for s in scores) / n if n else 0.0) for level in REGION_LEVELS}
    return Summary(n, stats, slogans, accuracy)


def evaluate(labels: list[Label], *, resources: Resources | None = None) -> list[DocumentScore]:
    """Score the pipeline on every label."""
    res = resources or Resources()
    return [score_document(label, predict(label, resources=res)) for label in labels]


def splits(scores: list[DocumentScore]) -> list[str]:
    """The splits present, ``dev`` first, then the others by name."""
    return sorted({s.split for s in scores}, key=lambda name: (name != DEFAULT_SPLIT, name))


def summary_lines(summary: Summary) -> list[str]:
    """Statistics, slogan and region lines of one summary."""
    lines = []
    for name, c in (("statistics", summary.statistics), ("slogans", summary.slogans)):
        lines.append(
            f"{name:<11} precision {c.precision:.3f}  recall {c.recall:.3f}  F1 {c.f1:.3f}"
            f"  (matched {c.tp}, labelled {c.gold}, extracted {c.predicted})"
        )
    lines.append(
        "region      accuracy  " + "  ".join(f"{level} {summary.region_accuracy[level]:.3f}" for level in REGION_LEVELS)
    )
    return lines


def report(scores: list[DocumentScore], *, verbose: bool = False) -> str:
    """The printed report: the combined summary, then one block per split when there are
    several, and with ``verbose`` each document's misses, grouped by split."""
    lines = [f"evaluation set: {len(scores)} documents", *summary_lines(summarise(scores))]
    names = splits(scores)
    if len(names) > 1:
        for name in names:
            part = [s for s in scores if s.split == name]
            lines += ["", f"{name} split: {len(part)} documents", *summary_lines(summarise(part))]
    if verbose:
        for s in sorted(scores, key=lambda s: names.index(s.split)):
            tag = "" if len(names) == 1 else f" [{s.split}]"
            lines.append("")
            lines.append(
                f"## {s.name}{tag}: statistics {s.statistics.tp}/{s.statistics.gold} found, "
                f"{s.statistics.predicted - s.statistics.tp} spurious; slogans {s.slogans.tp}/{s.slogans.gold}"
            )
            if not all(s.region_right.values()):
                gold = "/".join(s.gold_region[level] or "-" for level in REGION_LEVELS)
                pred = "/".join(s.predicted_region.get(level, "") or "-" for level in REGION_LEVELS)
                lines.append(f"   region: labelled {gold}, predicted {pred}")
            for title, items in (
                ("missed statistics", s.missed_statistics),
                ("spurious statistics", s.spurious_statistics),
                ("missed slogans", s.missed_slogans),
                ("spurious slogans", s.spurious_slogans),
            ):
                if items:
                    lines.append(f"   {title}: " + "; ".join(items))
    return "\n".join(lines)
