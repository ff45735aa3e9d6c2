"""Segmentation and tagging speed of the project's tokenizer against jieba, same text, same run.

    .venv/bin/python -m bench.segmentation            # 70 government work reports
    .venv/bin/python -m bench.segmentation --files 20 # the first 20 reports only

Times, on every report: the project tokenizer (rjieba with the domain dictionary) cutting and
tagging, jieba.lcut and jieba.posseg, and the per-document analysers built on the tokenizer
(terms, keywords, themes). Also prints how often the two taggers give a token the same tag,
over the tokens both cut at the same place. jieba is used only here, through its own default
tokenizer, to compare against.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable

import jieba
import jieba.posseg

from bench.measure import corpus, machine, text_files
from lib import keywords, segment, terms, themes


def timed(texts: list[str], fn: Callable[[str], object]) -> tuple[float, list[object]]:
    started = time.perf_counter()
    out = [fn(t) for t in texts]
    return time.perf_counter() - started, out


def tag_agreement(ours: list[list[tuple[str, str]]], theirs: list[list[tuple[str, str]]]) -> tuple[int, int]:
    """(same tag, tokens compared) over tokens with the same start and end in both."""
    same = total = 0
    for a, b in zip(ours, theirs, strict=True):
        spans_a = _spans(a)
        for key, tag in _spans(b).items():
            if key in spans_a:
                total += 1
                same += spans_a[key] == tag
    return same, total


def _spans(tagged: list[tuple[str, str]]) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    pos = 0
    for word, tag in tagged:
        out[(pos, pos + len(word))] = tag
        pos += len(word)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", type=int, default=0, help="only the first N reports (0: all)")
    args = p.parse_args(argv)
    files = text_files(corpus("cn_gov_work_reports"))
    if args.files:
        files = files[: args.files]
    texts = [f.read_text(encoding="utf-8") for f in files]
    chars = sum(map(len, texts))
    jieba.setLogLevel(logging.WARNING)
    # warm up: dictionaries, IDF table and lexicon are loaded once per process, not timed
    segment.tag("预热"), jieba.lcut("预热"), list(jieba.posseg.cut("预热"))
    keywords.jieba_idf(), themes.lexicon()

    runs: list[tuple[str, Callable[[str], object]]] = [
        ("project tokenizer: cut", lambda t: segment.cut(t)),
        ("jieba.lcut", jieba.lcut),
        ("project tokenizer: cut + tag", lambda t: segment.tag(t)),
        ("jieba.posseg", lambda t: [(w.word, w.flag) for w in jieba.posseg.cut(t)]),
        ("terms.document_terms", lambda t: terms.document_terms("d", t)),
        ("keywords.document_keywords", lambda t: keywords.document_keywords("d", t)),
        ("themes.document_themes", lambda t: themes.document_themes("d", t)),
    ]
    print(f"{len(texts)} documents, {chars:,} characters; {machine()}")
    print("| what | seconds | characters/s |\n|---|---:|---:|")
    outputs: dict[str, list[object]] = {}
    for name, fn in runs:
        seconds, out = timed(texts, fn)
        outputs[name] = out
        print(f"| {name} | {seconds:.2f} | {chars / seconds:,.0f} |")
    ours = [list(x) for x in outputs["project tokenizer: cut + tag"]]  # type: ignore[call-overload]
    theirs = [list(x) for x in outputs["jieba.posseg"]]  # type: ignore[call-overload]
    same, total = tag_agreement(ours, theirs)
    print(f"tag agreement on tokens cut alike: {same:,} / {total:,} = {same / max(total, 1):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
