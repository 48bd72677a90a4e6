"""SOQL date literals as day ranges, and query cursors (page sizes, locators, eviction)."""

from __future__ import annotations

from datetime import date

import pytest

from localforce.query_cursors import CursorStore, batch_size
from localforce.soql import QueryResult
from localforce.soql_ast import SoqlError
from localforce.soql_dates import day_range, is_known

THURSDAY = date(2024, 3, 14)


@pytest.mark.parametrize(
    ("name", "n", "expected"),
    [
        ("TODAY", None, (date(2024, 3, 14), date(2024, 3, 15))),
        ("YESTERDAY", None, (date(2024, 3, 13), date(2024, 3, 14))),
        ("TOMORROW", None, (date(2024, 3, 15), date(2024, 3, 16))),
        ("THIS_WEEK", None, (date(2024, 3, 10), date(2024, 3, 17))),  # weeks start on Sunday
        ("LAST_WEEK", None, (date(2024, 3, 3), date(2024, 3, 10))),
        ("NEXT_WEEK", None, (date(2024, 3, 17), date(2024, 3, 24))),
        ("THIS_MONTH", None, (date(2024, 3, 1), date(2024, 4, 1))),
        ("LAST_MONTH", None, (date(2024, 2, 1), date(2024, 3, 1))),
        ("NEXT_MONTH", None, (date(2024, 4, 1), date(2024, 5, 1))),
        ("THIS_QUARTER", None, (date(2024, 1, 1), date(2024, 4, 1))),
        ("LAST_QUARTER", None, (date(2023, 10, 1), date(2024, 1, 1))),
        ("THIS_YEAR", None, (date(2024, 1, 1), date(2025, 1, 1))),
        ("LAST_90_DAYS", None, (date(2023, 12, 15), date(2024, 3, 15))),
        ("LAST_N_DAYS", 1, (date(2024, 3, 13), date(2024, 3, 15))),  # yesterday and today
        ("NEXT_N_DAYS", 2, (date(2024, 3, 15), date(2024, 3, 17))),  # starts tomorrow
        ("N_DAYS_AGO", 3, (date(2024, 3, 11), date(2024, 3, 12))),
        ("LAST_N_MONTHS", 2, (date(2024, 1, 1), date(2024, 3, 1))),
        ("NEXT_N_YEARS", 1, (date(2025, 1, 1), date(2026, 1, 1))),
    ],
)
def test_day_ranges(name: str, n: int | None, expected: tuple[date, date]) -> None:
    assert is_known(name, n)
    assert day_range(name, n, THURSDAY) == expected


def test_month_arithmetic_crosses_years() -> None:
    assert day_range("NEXT_MONTH", None, date(2024, 12, 31)) == (date(2025, 1, 1), date(2025, 2, 1))
    assert day_range("LAST_MONTH", None, date(2024, 1, 5)) == (date(2023, 12, 1), date(2024, 1, 1))


def test_unknown_literals() -> None:
    assert not is_known("SOMEDAY", None)
    assert not is_known("TODAY", 3)
    assert not is_known("LAST_N_FORTNIGHTS", 2)


@pytest.mark.parametrize(
    ("header", "size"),
    [
        (None, 2000),
        ("batchSize=500", 500),
        ("batchsize=50", 200),
        ("batchSize=9000", 2000),
        ("foo=1, batchSize=300", 300),
        ("batchSize=x", 2000),
    ],
)
def test_batch_size_option_is_clamped(header: str | None, size: int) -> None:
    assert batch_size(header) == size


def result_of(count: int) -> QueryResult:
    rows = [{"Id": f"row{i}"} for i in range(count)]
    return QueryResult("Contact", count, rows, lambda row, version: {"v": version, **row})


def test_cursor_pages_and_locators() -> None:
    store = CursorStore()
    first = store.first_page(result_of(450), 200, "60.0")
    assert (first.total_size, len(first.records), first.records[0]) == (
        450,
        200,
        {"v": "60.0", "Id": "row0"},
    )
    assert first.next_locator is not None and first.next_locator.endswith("-200")
    assert first.next_locator.startswith("01g")
    second = store.next_page(first.next_locator, "60.0")
    last = store.next_page(second.next_locator or "", "60.0")
    assert [r["Id"] for r in last.records] == [f"row{i}" for i in range(400, 450)]
    assert last.next_locator is None


def test_small_results_open_no_cursor() -> None:
    page = CursorStore().first_page(result_of(3), 2000, "60.0")
    assert (len(page.records), page.next_locator) == (3, None)


@pytest.mark.parametrize("locator", ["nonsense", "01g8a0000000001AAA-x", "01g8a0000000001AAA-999"])
def test_bad_locators(locator: str) -> None:
    store = CursorStore()
    store.first_page(result_of(300), 200, "60.0")
    with pytest.raises(SoqlError) as caught:
        store.next_page(locator, "60.0")
    assert caught.value.error_code == "INVALID_QUERY_LOCATOR"


def test_least_recently_used_cursor_is_closed_first() -> None:
    store = CursorStore(max_open=2)
    oldest = store.first_page(result_of(300), 200, "60.0").next_locator
    kept = store.first_page(result_of(300), 200, "60.0").next_locator
    store.first_page(result_of(300), 200, "60.0")
    assert store.next_page(kept or "", "60.0").records
    with pytest.raises(SoqlError):
        store.next_page(oldest or "", "60.0")
