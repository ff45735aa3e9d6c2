"""Checks of the editable resource files before they are saved.

Each checker takes the whole text of a file and returns one ``LineError`` (1-based line
number, message) per faulty line; an empty list means the text can be saved. The rules
follow the readers of the files: ``segment.parse_userdict``, ``terms.parse_stopwords``,
``themes.parse_lexicon`` and the boilerplate compiler of ``clean``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from lib import themes


class LineError(NamedTuple):
    """A problem on one line of a resource file (1-based line number)."""

    line: int
    message: str


_POS = re.compile(r"^[A-Za-z]{1,8}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _content_lines(text: str) -> list[tuple[int, str]]:
    """(line number, stripped line) of every line that is neither blank nor a comment."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append((number, line))
    return out


def _control(number: int, line: str) -> LineError | None:
    if _CONTROL.search(line):
        return LineError(number, "the line holds a control character")
    return None


def userdict_errors(text: str) -> list[LineError]:
    """Lines of a user dictionary that are not ``word [freq] [pos]``."""
    errors = []
    for number, line in _content_lines(text):
        bad = _control(number, line)
        if bad:
            errors.append(bad)
            continue
        fields = line.split()
        word, rest = fields[0], fields[1:]
        if len(rest) > 2:
            errors.append(LineError(number, f"expected 'word [frequency] [tag]', found {len(fields)} fields"))
            continue
        if rest and rest[0].isdigit():
            if int(rest[0]) < 1:
                errors.append(LineError(number, f"frequency of {word!r} must be at least 1"))
                continue
            rest = rest[1:]
        elif len(rest) == 2:
            errors.append(LineError(number, f"frequency of {word!r} must be a whole number, not {rest[0]!r}"))
            continue
        if rest and not _POS.match(rest[0]):
            message = f"tag of {word!r} must be letters such as n, nt, nz or l, not {rest[0]!r}"
            if re.match(r"^[-+]?\d*\.?\d+$", rest[0]):
                message = f"frequency of {word!r} must be a whole number of at least 1, not {rest[0]!r}"
            errors.append(LineError(number, message))
    return errors


def stopword_errors(text: str) -> list[LineError]:
    """Lines of a stop-word list that hold more than one word or a bare ``+``."""
    errors = []
    for number, line in _content_lines(text):
        bad = _control(number, line)
        if bad:
            errors.append(bad)
        elif line == "+":
            errors.append(LineError(number, "'+' must be followed by the character to keep (+党)"))
        elif len(line.split()) > 1:
            errors.append(LineError(number, f"one stop word per line: {line!r} holds {len(line.split())} words"))
    return errors


def theme_errors(text: str) -> list[LineError]:
    """The errors ``themes.parse_lexicon`` finds in a theme lexicon."""
    _, errors = themes.parse_lexicon(text)
    return [LineError(e.line, e.message) for e in errors]


def boilerplate_errors(text: str) -> list[LineError]:
    """Lines of the boilerplate file that are no valid regular expression."""
    errors = []
    for number, line in _content_lines(text):
        try:
            re.compile(line, re.MULTILINE)
        except re.error as exc:
            errors.append(LineError(number, f"not a valid regular expression: {exc}"))
    return errors


CHECKERS: dict[str, Callable[[str], list[LineError]]] = {
    "userdict.txt": userdict_errors,
    "stopwords.txt": stopword_errors,
    "themes.txt": theme_errors,
    "boilerplate.txt": boilerplate_errors,
}
EDITABLE = tuple(CHECKERS)


def resource_errors(name: str, text: str) -> list[LineError]:
    """The faulty lines of ``text`` read as the editable resource file ``name``."""
    if name not in CHECKERS:
        raise KeyError(f"not an editable resource file: {name}")
    return CHECKERS[name](text)
