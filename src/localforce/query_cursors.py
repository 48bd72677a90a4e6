"""Query cursors: the pages of a query result behind ``nextRecordsUrl`` locators.

A locator is ``<cursorId>-<offset>`` (reference §5), the cursor id an ``01g`` id. Like
Salesforce, only a bounded number of cursors stay open; the least recently used one goes first,
and a locator for a closed cursor is INVALID_QUERY_LOCATOR.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from localforce import ids
from localforce.soql import QueryResult
from localforce.soql_ast import SoqlError

CURSOR_PREFIX = "01g"
DEFAULT_BATCH = 2000
MIN_BATCH, MAX_BATCH = 200, 2000
MAX_OPEN_CURSORS = 200


@dataclass(frozen=True)
class Page:
    total_size: int
    records: list[dict[str, Any]]
    next_locator: str | None


def batch_size(query_options: str | None) -> int:
    """``Sforce-Query-Options: batchSize=N`` clamped to 200..2000 (a hint, as in Salesforce)."""
    for option in (query_options or "").split(","):
        name, _, value = option.partition("=")
        if name.strip().lower() == "batchsize" and value.strip().isdigit():
            return max(MIN_BATCH, min(MAX_BATCH, int(value)))
    return DEFAULT_BATCH


def invalid_locator() -> SoqlError:
    return SoqlError("INVALID_QUERY_LOCATOR", "invalid query locator")


class CursorStore:
    def __init__(self, max_open: int = MAX_OPEN_CURSORS) -> None:
        self._cursors: OrderedDict[str, tuple[QueryResult, int]] = OrderedDict()
        self._ids = ids.IdGenerator()
        self._lock = threading.Lock()
        self._max_open = max_open

    def first_page(self, result: QueryResult, size: int, version: str) -> Page:
        if len(result.rows) <= size:
            return self._page(result, 0, size, version, None)
        cursor_id = self._ids.new(CURSOR_PREFIX)
        with self._lock:
            self._cursors[cursor_id] = (result, size)
            while len(self._cursors) > self._max_open:
                self._cursors.popitem(last=False)
        return self._page(result, 0, size, version, cursor_id)

    def clear(self) -> None:
        """Close every cursor: their locators answer INVALID_QUERY_LOCATOR from now on."""
        with self._lock:
            self._cursors.clear()

    def next_page(self, locator: str, version: str) -> Page:
        cursor_id, _, offset_text = locator.rpartition("-")
        with self._lock:
            found = self._cursors.get(cursor_id)
            if found is not None:
                self._cursors.move_to_end(cursor_id)
        if found is None or not offset_text.isdigit():
            raise invalid_locator()
        result, size = found
        offset = int(offset_text)
        if offset >= len(result.rows):
            raise invalid_locator()
        return self._page(result, offset, size, version, cursor_id)

    def _page(
        self, result: QueryResult, offset: int, size: int, version: str, cursor_id: str | None
    ) -> Page:
        rows = result.rows[offset : offset + size]
        records = [result.render(row, version) for row in rows]
        end = offset + len(rows)
        more = cursor_id is not None and end < len(result.rows)
        return Page(result.total_size, records, f"{cursor_id}-{end}" if more else None)
