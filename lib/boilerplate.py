"""Boilerplate: the patterns of the resource file ``boilerplate.txt``, compiled, and their removal.

Each line of the file is a regular expression (applied with ``re.MULTILINE``); every match is
deleted, pattern after pattern in the order of the file. Runs of ``^``-anchored lines are
joined into one pattern that is tried once per line start.

Most texts hold no boilerplate at all, and a pattern costs a scan of the whole text even
when it finds nothing. So each line's required literals (``lib.regex_literals``: 责任编辑,
ICP备, 当前位置 …) are looked for first, the multi-character ones all at once with one
pattern, and a line runs only on a text that holds one of its literals. Lines whose
literals are absent are left out of a joined pattern; the matches are the same, since such
a line cannot match anywhere in the text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lib.regex_literals import Clause, required_literals
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
        # the words of each line's sharpest clause are looked for all at once; other clauses
        # are tested only when that one is met, with ``in``
        words = {
            word for rule in rules for need in rule.needs for clause in need[:1] for word in clause if len(word) > 1
        }
        # longest first, so that where two start at one position the longer one is reported
        ordered = sorted(words, key=lambda w: (-len(w), w))
        self._scan = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def remove(self, text: str) -> str:
        """``text`` with every match of every pattern deleted."""
        found: set[str] | None = None
        for rule in self.rules:
            if found is None:
                found = self._found(text)
            active = tuple(line for line, need in zip(rule.lines, rule.needs, strict=True) if _met(need, text, found))
            if not active:
                continue
            pattern = rule.pattern if len(active) == len(rule.lines) else _joined(active)
            if pattern is None:  # cannot happen: the whole run joined, so does any part of it
                pattern = rule.pattern
            out = pattern.sub("", text)
            if out != text:
                text, found = out, None  # a deletion may bring words together
        return text

    def _found(self, text: str) -> set[str]:
        """The multi-character literals at each position of ``text`` (the longest one there)."""
        found: set[str] = set()
        if self._scan is None:
            return found
        search = self._scan.search
        hit = search(text)
        while hit is not None:
            found.add(hit.group())
            hit = search(text, hit.start() + 1)
        return found


def _met(need: tuple[Clause, ...], text: str, found: set[str]) -> bool:
    """Whether ``text`` holds a word of every clause of ``need``. The longer words of the first
    clause are looked up among those ``found`` (a word is there if it was found, or starts a
    longer word found at its position), the others in the text."""
    if not need:
        return True
    first, *rest = need
    if not any(word in text if len(word) == 1 else any(f.startswith(word) for f in found) for word in first):
        return False
    return all(any(word in text for word in clause) for clause in rest)


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
