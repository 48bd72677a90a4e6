"""A fast path for long ``IN ('a', 'b', …)`` lists of string literals.

A 200-value list is 400 tokens, most of a dedupe query's parse time. Before the grammar runs,
each such list (on one line) is swapped for a single placeholder literal padded with spaces to
the same length, so every other token keeps its row and column for error carets; the parser
puts the real literals back, each with its own position.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from localforce.soql_ast import Literal, Pos

_STRING = r"'(?:\\.|[^'\\])*'"
_STRING_RE = re.compile(_STRING)
_LIST = re.compile(r"(?i)\bIN\s*\(\s*(" + _STRING + r"(?:\s*,\s*" + _STRING + r")+)\s*\)")
MIN_ITEMS = 8
_MARK = "\x00"


def _row_at(text: str, offset: int) -> tuple[int, int]:
    """The 1-based row of `offset` and where that row starts."""
    return text.count("\n", 0, offset) + 1, text.rfind("\n", 0, offset) + 1


class ListFolding:
    """Folds long string IN-lists out of a query and unfolds them in the parser."""

    def __init__(self, text: str, unescape: Callable[[str], str]) -> None:
        self.lists: dict[str, tuple[Literal, ...]] = {}
        self._unescape = unescape
        if _MARK in text or "'" not in text:
            self.text = text
            return
        # Where the query's own literals start and end: an "IN (" inside one is just text.
        self._literals = [m.span() for m in _STRING_RE.finditer(text)]
        self._starts = [span[0] for span in self._literals]
        self.text = _LIST.sub(lambda m: self._fold(text, m), text)

    def _inside_literal(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._literals[index][1]

    def _fold(self, text: str, match: re.Match[str]) -> str:
        start, end = match.span(1)
        found = list(_STRING_RE.finditer(text, start, end))
        one_line = "\n" not in match.group(0)
        if len(found) < MIN_ITEMS or not one_line or self._inside_literal(match.start()):
            return match.group(0)
        key = f"'{_MARK}{len(self.lists)}'"
        row, row_start = _row_at(text, start)  # the list is on one line
        self.lists[key] = tuple(
            Literal("string", m.group(0), m.group(0), Pos(row, m.start() - row_start + 1))
            for m in found
        )
        inner = key.ljust(end - start)
        return text[match.start() : start] + inner + text[end : match.end()]

    def unfold(self, items: tuple[Literal, ...]) -> tuple[Literal, ...]:
        if len(items) != 1 or items[0].text not in self.lists:
            return items
        return tuple(
            Literal("string", self._unescape(raw.text), raw.text, raw.pos)
            for raw in self.lists[items[0].text]
        )
