"""Required literals: what a text must hold for a regular expression to match in it.

``required_literals(r"^[ \\t]*第[ \\t]*\\d{1,4}[ \\t]*页")`` is ``({"第"}, {"页"})``: every match
holds 第 and 页, so a text without 页 cannot match, and a cheap ``in`` test decides that the
pattern need not run at all. Each set is a clause: a match holds at least one word of every
clause (``(版权所有|[Cc]opyright|©)`` gives the clause {"版权所有", "opyright", "©"}). The
clauses are read from the parse tree of Python's own regular expression parser; anything the
analysis does not understand adds no clause, and case-insensitive patterns get none.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

Clause = frozenset[str]

_MAX_CLASS = 8  # a character class of at most this many characters counts as literals
_MAX_CLAUSES = 8  # clauses kept per pattern (and per alternative), the sharpest first
_MAX_PRODUCT = 64  # alternatives are combined clause by clause up to this many combinations


def required_literals(pattern: str, flags: int = 0) -> tuple[Clause, ...]:
    """Clauses of which every match of ``pattern`` holds a word each, the sharpest first;
    empty when nothing is known."""
    parser, constants = _sre()
    try:
        tree = parser.parse(pattern, flags)
    except (re.error, RecursionError, ValueError, TypeError):
        return ()
    if tree.state.flags & re.IGNORECASE:
        return ()
    return _sequence(list(tree), constants)


def may_match(clauses: Sequence[Clause], text: str) -> bool:
    """False only when ``text`` lacks every word of some clause (the pattern cannot match)."""
    return all(any(word in text for word in clause) for clause in clauses)


@lru_cache(maxsize=1)
def _sre() -> tuple[Any, Any]:
    """Python's regular expression parser and its constants (the modules ``re`` itself uses)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants
        import sre_parse
    return sre_parse, sre_constants


def _sharpness(clause: Clause) -> tuple[int, int]:
    """Longer shortest word first, then fewer words: the cheaper and sharper test."""
    return min(map(len, clause)), -len(clause)


def _best(clauses: list[Clause]) -> tuple[Clause, ...]:
    unique = {c for c in clauses if c and all(c)}
    return tuple(sorted(unique, key=lambda c: (_sharpness(c), sorted(c)), reverse=True)[:_MAX_CLAUSES])


def _sequence(items: Sequence[tuple[Any, Any]], c: Any) -> tuple[Clause, ...]:
    """The clauses a match of the concatenation ``items`` satisfies: those of every item."""
    clauses: list[Clause] = []
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            clauses.append(frozenset({"".join(run)}))
            # 责(?:任编辑|编), as the parser writes 责任编辑|责编: {责任编辑, 责编}; 字[体号]: {字体, 字号}
            if op is c.BRANCH:
                clauses.append(frozenset("".join(run) + _leading(list(alt), c) for alt in av[1]))
            elif _small_class(op, av, c):
                clauses.append(frozenset("".join(run) + chr(value) for _, value in av))
            run = []
        clauses += _item(op, av, c)
    if run:
        clauses.append(frozenset({"".join(run)}))
    return _best(clauses)


def _leading(items: Sequence[tuple[Any, Any]], c: Any) -> str:
    """The literal characters a match of ``items`` starts with."""
    out = []
    for op, av in items:
        if op is not c.LITERAL:
            break
        out.append(chr(av))
    return "".join(out)


def _item(op: Any, av: Any, c: Any) -> tuple[Clause, ...]:
    """The clauses one node of the parse tree requires."""
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return () if add_flags & re.IGNORECASE else _sequence(list(sub), c)
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av), c)
    if op is c.BRANCH:
        return _either([_sequence(list(alt), c) for alt in av[1]])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _sequence(list(sub), c) if low >= 1 else ()
    if op is c.ASSERT:  # a positive lookahead or lookbehind: its text is in the string too
        _direction, sub = av
        return _sequence(list(sub), c)
    if _small_class(op, av, c):
        return (frozenset(chr(value) for _, value in av),)
    return ()


def _small_class(op: Any, av: Any, c: Any) -> bool:
    """A character class of a few listed characters."""
    return op is c.IN and all(kind is c.LITERAL for kind, _ in av) and len(av) <= _MAX_CLASS


def _either(alternatives: list[tuple[Clause, ...]]) -> tuple[Clause, ...]:
    """Clauses of a match of one of ``alternatives``: a clause of each, joined."""
    if not alternatives or any(not alt for alt in alternatives):
        return ()
    size = 1
    for alt in alternatives:
        size *= len(alt)
    if size > _MAX_PRODUCT:
        alternatives = [alt[:1] for alt in alternatives]
    return _best([frozenset().union(*picks) for picks in itertools.product(*alternatives)])
