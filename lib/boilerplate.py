"""Boilerplate: the patterns of the resource file ``boilerplate.txt``, compiled, and their removal.

Each line of the file is a regular expression (applied with ``re.MULTILINE``); every match is
deleted, pattern after pattern in the order of the file. Runs of ``^``-anchored lines are
joined into one pattern that is tried once per line start.

Most texts hold no boilerplate at all, and a pattern costs a scan of the whole text even
when it finds nothing. So the words each line requires (``lib.regex_literals``: 责任编辑,
ICP备, 当前位置 …) are looked for first, the longer ones all at once with one pattern, and a
line runs only on a text that holds a word of each of its clauses. Lines that cannot match
are left out of a joined pattern; the matches are the same, since such a line matches
nowhere in the text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.regex_literals import Clause, may_match, required_literals
from lib.resources import Resources

FILE = "boilerplate.txt"


@dataclass(frozen=True)
class _Rule:
    """One pattern as applied: a single line, or a run of ^-anchored lines joined."""

    lines: tuple[str, ...]
    needs: tuple[tuple[Clause, ...], ...]  # per line: the text holds a word of each clause (none: always run)
    pattern: re.Pattern[str]


class Boilerplate:
    """The compiled patterns of one version of ``boilerplate.txt``."""

    def __init__(self, lines: Sequence[str]) -> None:
        groups: list[list[str]] = []
        for line in lines:
            try:
                re.compile(line, re.MULTILINE)
            except re.error as exc:
                raise ValueError(f"{FILE}: bad pattern {line!r}: {exc}") from exc
            anchored = line.startswith("^")
            if anchored and groups and groups[-1][0].startswith("^"):
                groups[-1].append(line)
            else:
                groups.append([line])
        rules: list[_Rule] = []
        for group in groups:
            joined = _joined(tuple(group)) if len(group) > 1 else None
            if joined is None:  # one line, or lines that do not join (inline flags): apart
                rules += [_Rule((line,), (_needs(line),), re.compile(line, re.MULTILINE)) for line in group]
            else:
                rules.append(_Rule(tuple(group), tuple(map(_needs, group)), joined))
        self.rules = tuple(rules)
        self.patterns = tuple(rule.pattern for rule in rules)
        # A line's first clause is its sharpest; the texts that meet it are few, and only for
        # those are the other clauses looked at.
        words = {word for rule in rules for need in rule.needs for clause in need[:1] for word in clause}
        longer = sorted((w for w in words if len(w) > 1), key=lambda w: (-len(w), w))
        # longer words are looked for all at once, longest first: where two start at one
        # position the longer one is reported, and the shorter one is its prefix
        self._scan = re.compile("|".join(map(re.escape, longer))) if longer else None
        self._prefixes = {w: frozenset(v for v in longer if w.startswith(v)) for w in longer}
        self._chars = tuple(sorted(w for w in words if len(w) == 1))
        self._plans: dict[frozenset[str], tuple[tuple[int, tuple[int, ...]], ...]] = {}

    def remove(self, text: str) -> str:
        """``text`` with every match of every pattern deleted."""
        start = 0
        while True:
            for index, candidates in self._plan(self._present(text)):
                if index < start:
                    continue
                rule = self.rules[index]
                active = tuple(
                    rule.lines[i] for i in candidates if all(may_match((c,), text) for c in rule.needs[i][1:])
                )
                if not active:
                    continue
                pattern = rule.pattern if len(active) == len(rule.lines) else _joined(active)
                out = (pattern or rule.pattern).sub("", text)  # a part of a joined run joins too
                if out != text:  # a deletion may bring words together: look again
                    text, start = out, index + 1
                    break
            else:
                return text

    def _present(self, text: str) -> frozenset[str]:
        """The words of the lines' first clauses that ``text`` holds."""
        present = {ch for ch in self._chars if ch in text}
        if self._scan is not None:
            search = self._scan.search
            hit = search(text)
            while hit is not None:
                present |= self._prefixes[hit.group()]
                hit = search(text, hit.start() + 1)
        return frozenset(present)

    def _plan(self, present: frozenset[str]) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """For a text holding the words ``present`` of the first clauses: each rule with a line
        whose first clause it meets, and those lines (positions in the rule)."""
        plan = self._plans.get(present)
        if plan is None:
            steps = []
            for index, rule in enumerate(self.rules):
                candidates = tuple(
                    i for i, need in enumerate(rule.needs) if not need or not need[0].isdisjoint(present)
                )
                if candidates:
                    steps.append((index, candidates))
            plan = self._plans[present] = tuple(steps)
        return plan


def _needs(line: str) -> tuple[Clause, ...]:
    return required_literals(line, re.MULTILINE)


@lru_cache(maxsize=256)
def _joined(lines: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern trying the ^-anchored ``lines`` in order at each line start (None if they do
    not join)."""
    if len(lines) == 1:
        return re.compile(lines[0], re.MULTILINE)
    try:
        return re.compile("^(?:" + "|".join(f"(?:{line[1:]})" for line in lines) + ")", re.MULTILINE)
    except re.error:
        return None


@lru_cache(maxsize=8)
def _compiled(resources: Resources, digest: str) -> Boilerplate:
    del digest  # part of the cache key: an edited file is compiled again
    return Boilerplate(resources.lines(FILE))


@lru_cache(maxsize=8)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    del mtime_ns, size  # part of the cache key
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def boilerplate(resources: Resources | None = None) -> Boilerplate:
    """The compiled ``boilerplate.txt`` of ``resources`` (compiled once per content of the file)."""
    res = resources or Resources()
    path = res.path(FILE)
    stat = path.stat()
    return _compiled(res, _digest(str(path), stat.st_mtime_ns, stat.st_size))
