"""SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH…) as half-open day ranges.

Ranges follow the SOQL reference: LAST_N_DAYS:n includes today and the n days before it;
NEXT_N_DAYS:n starts tomorrow. Weeks start on Sunday (the en_US locale) and the org's
time zone is UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

DayRange = tuple[date, date]  # [start, end)


def _week_start(today: date) -> date:
    return today - timedelta(days=(today.weekday() + 1) % 7)


def _month_start(day: date, months_ahead: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: date, quarters_ahead: int = 0) -> date:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return _month_start(first, 3 * quarters_ahead)


def _days(start_offset: int, length: int) -> Callable[[date], DayRange]:
    def days(today: date) -> DayRange:
        start = today + timedelta(days=start_offset)
        return start, start + timedelta(days=length)

    return days


def _weeks(ahead: int) -> Callable[[date], DayRange]:
    def weeks(today: date) -> DayRange:
        start = _week_start(today) + timedelta(days=7 * ahead)
        return start, start + timedelta(days=7)

    return weeks


def _months(ahead: int) -> Callable[[date], DayRange]:
    return lambda today: (_month_start(today, ahead), _month_start(today, ahead + 1))


def _quarters(ahead: int) -> Callable[[date], DayRange]:
    return lambda today: (_quarter_start(today, ahead), _quarter_start(today, ahead + 1))


def _years(ahead: int) -> Callable[[date], DayRange]:
    return lambda today: (date(today.year + ahead, 1, 1), date(today.year + ahead + 1, 1, 1))


FIXED: dict[str, Callable[[date], DayRange]] = {
    "YESTERDAY": _days(-1, 1),
    "TODAY": _days(0, 1),
    "TOMORROW": _days(1, 1),
    "LAST_WEEK": _weeks(-1),
    "THIS_WEEK": _weeks(0),
    "NEXT_WEEK": _weeks(1),
    "LAST_MONTH": _months(-1),
    "THIS_MONTH": _months(0),
    "NEXT_MONTH": _months(1),
    "LAST_90_DAYS": _days(-90, 91),
    "NEXT_90_DAYS": _days(1, 90),
    "LAST_QUARTER": _quarters(-1),
    "THIS_QUARTER": _quarters(0),
    "NEXT_QUARTER": _quarters(1),
    "LAST_YEAR": _years(-1),
    "THIS_YEAR": _years(0),
    "NEXT_YEAR": _years(1),
}


def _n_range(name: str, n: int, today: date) -> DayRange | None:
    ranges: dict[str, Callable[[], DayRange]] = {
        "LAST_N_DAYS": lambda: _days(-n, n + 1)(today),
        "NEXT_N_DAYS": lambda: _days(1, n)(today),
        "N_DAYS_AGO": lambda: _days(-n, 1)(today),
        "LAST_N_WEEKS": lambda: (_weeks(-n)(today)[0], _week_start(today)),
        "NEXT_N_WEEKS": lambda: (_weeks(1)(today)[0], _weeks(n + 1)(today)[0]),
        "LAST_N_MONTHS": lambda: (_month_start(today, -n), _month_start(today)),
        "NEXT_N_MONTHS": lambda: (_month_start(today, 1), _month_start(today, n + 1)),
        "LAST_N_YEARS": lambda: (date(today.year - n, 1, 1), date(today.year, 1, 1)),
        "NEXT_N_YEARS": lambda: (date(today.year + 1, 1, 1), date(today.year + n + 1, 1, 1)),
    }
    make = ranges.get(name)
    return make() if make else None


def is_known(name: str, n: int | None) -> bool:
    if n is None:
        return name in FIXED
    return _n_range(name, n, date(2000, 1, 1)) is not None


def day_range(name: str, n: int | None, today: date) -> DayRange:
    """The [start, end) days a literal covers; callers check :func:`is_known` first."""
    if n is None:
        return FIXED[name](today)
    found = _n_range(name, n, today)
    if found is None:
        raise KeyError(name)
    return found
