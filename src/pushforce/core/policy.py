"""Retry timing, the API budget and the per-org concurrency cap (R18, R19, R20).

Pure: the caller passes the clock reading (``now``) and the random source, so every decision
is reproducible in tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

__all__ = [
    "DEFAULT_ORG_CONCURRENCY",
    "MAX_ORG_CONCURRENCY",
    "Admission",
    "ApiUsage",
    "Backoff",
    "Priority",
    "Verdict",
    "admit",
    "budget_ceiling",
    "concurrency_after_limit",
    "org_concurrency",
    "parse_limit_info",
    "parse_limits",
    "priority_of",
]

RandomSource = Callable[[], float]
"""Returns a float in [0, 1), e.g. ``random.Random(seed).random``."""


# --- backoff (R18) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter: the n-th retry waits uniformly in
    ``[0, min(cap, base · 2^(n-1)))`` — never less than a ``Retry-After`` Salesforce sent."""

    base_seconds: float = 2.0
    cap_seconds: float = 900.0
    # ~1.5 hours of retries on average: outlasts a Salesforce maintenance window or an outage.
    max_attempts: int = 20

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.cap_seconds < self.base_seconds:
            raise ValueError("backoff needs 0 < base_seconds <= cap_seconds")
        if self.max_attempts < 1:
            raise ValueError("backoff needs max_attempts >= 1")

    def ceiling(self, attempt: int) -> float:
        """The longest wait after ``attempt`` failed attempts (1-based)."""
        exponent = min(max(attempt, 1) - 1, 62)  # 2**62 · base is past any cap; avoids overflow
        return min(self.cap_seconds, self.base_seconds * 2.0**exponent)

    def delay(self, attempt: int, random: RandomSource, retry_after: float | None = None) -> float:
        jittered = random() * self.ceiling(attempt)
        return max(jittered, retry_after or 0.0)

    def retry_at(
        self,
        attempt: int,
        now: datetime,
        random: RandomSource,
        retry_after: float | None = None,
    ) -> datetime | None:
        """When to try again after ``attempt`` failures, or ``None`` once attempts run out."""
        if attempt >= self.max_attempts:
            return None
        return now + timedelta(seconds=self.delay(attempt, random, retry_after))


# --- API usage (R19) -----------------------------------------------------------------------

_LIMIT_INFO = re.compile(r"(?:^|[;,\s])api-usage=(\d+)/(\d+)")


@dataclass(frozen=True, slots=True)
class ApiUsage:
    """The org's rolling-24-hour API meter, as Salesforce last reported it."""

    used: int
    limit: int
    observed_at: datetime

    @property
    def percent(self) -> float:
        return 100.0 * self.used / self.limit if self.limit else 100.0

    def spend(self, calls: int) -> ApiUsage:
        """The meter after ``calls`` more calls of our own, before Salesforce reports again."""
        return ApiUsage(self.used + calls, self.limit, self.observed_at)


def parse_limit_info(header: str | None, now: datetime) -> ApiUsage | None:
    """``Sforce-Limit-Info: api-usage=10018/100000[; api-bursts=1/750]`` → usage.

    The older ``per-app-api-usage=…`` part is not the org meter and is ignored.
    """
    found = _LIMIT_INFO.search(header or "")
    if found is None:
        return None
    return ApiUsage(int(found.group(1)), int(found.group(2)), now)


def parse_limits(body: Mapping[str, object], now: datetime) -> ApiUsage | None:
    """``GET /limits`` → usage from ``DailyApiRequests`` {Max, Remaining}."""
    daily = body.get("DailyApiRequests")
    if not isinstance(daily, Mapping):
        return None
    limit, remaining = daily.get("Max"), daily.get("Remaining")
    if not isinstance(limit, int) or not isinstance(remaining, int):
        return None
    return ApiUsage(max(limit - remaining, 0), limit, now)


# --- priorities and admission (R19) --------------------------------------------------------


class Priority(IntEnum):
    """Lower value = more important. Manual pushes always come first (R11, R19)."""

    MANUAL = 0
    CREATE = 1
    UPDATE = 2
    ACTIVITY = 3
    PUSH_ALL = 4


# Share of the budget each priority leaves untouched for the ones above it, so a long push-all
# cannot starve creates and updates of their last calls.
RESERVE: Mapping[Priority, float] = {
    Priority.MANUAL: 0.0,
    Priority.CREATE: 0.0,
    Priority.UPDATE: 0.05,
    Priority.ACTIVITY: 0.10,
    Priority.PUSH_ALL: 0.20,
}
USAGE_MAX_AGE = timedelta(minutes=5)
RECHECK_AFTER = timedelta(minutes=5)


def priority_of(*, manual: bool, push_all: bool, activity: bool, create: bool) -> Priority:
    """The priority of one push: manual > creates > updates > activities > push all."""
    if manual:
        return Priority.MANUAL
    if push_all:
        return Priority.PUSH_ALL
    if activity:
        return Priority.ACTIVITY
    return Priority.CREATE if create else Priority.UPDATE


class Verdict(StrEnum):
    PROCEED = "proceed"
    REFRESH_USAGE = "refresh_usage"  # read GET /limits first: the meter is unknown or stale
    WAIT = "wait"  # over budget; look again at ``recheck_at``


@dataclass(frozen=True, slots=True)
class Admission:
    verdict: Verdict
    reason: str
    recheck_at: datetime | None = None

    @property
    def proceeds(self) -> bool:
        return self.verdict is Verdict.PROCEED


def budget_ceiling(limit: int, budget_percent: int, priority: Priority) -> int:
    """The meter reading a call of ``priority`` may bring the org up to, at most."""
    budget = limit * budget_percent // 100
    return int(budget * (1.0 - RESERVE[priority]))


def admit(
    usage: ApiUsage | None,
    budget_percent: int,
    priority: Priority,
    now: datetime,
    calls: int = 1,
) -> Admission:
    """May ``calls`` calls of ``priority`` go out now without breaking the budget?

    Over budget only manual pushes proceed (still never past the org's own limit, which
    Salesforce enforces with REQUEST_LIMIT_EXCEEDED); everything else waits and is let through
    again by itself once a fresh reading shows usage has fallen (the allocation is rolling).
    """
    if priority is Priority.MANUAL:
        return _admit_manual(usage, now, calls)
    if usage is None or now - usage.observed_at > USAGE_MAX_AGE:
        return Admission(Verdict.REFRESH_USAGE, "API usage unknown or stale; read /limits")
    ceiling = budget_ceiling(usage.limit, budget_percent, priority)
    if usage.used + calls <= ceiling:
        return Admission(Verdict.PROCEED, f"{usage.used + calls}/{ceiling} calls within budget")
    reason = (
        f"API budget reached for {priority.name.lower()} pushes: {usage.used}/{usage.limit} "
        f"calls used, this priority may use up to {ceiling} ({budget_percent}% budget)"
    )
    return Admission(Verdict.WAIT, reason, recheck_at=now + RECHECK_AFTER)


def _admit_manual(usage: ApiUsage | None, now: datetime, calls: int) -> Admission:
    if usage is not None and usage.used + calls > usage.limit:
        reason = f"the org's daily API allocation is used up ({usage.used}/{usage.limit})"
        return Admission(Verdict.WAIT, reason, recheck_at=now + RECHECK_AFTER)
    return Admission(Verdict.PROCEED, "manual pushes are not held by the budget")


# --- concurrency (R20) ---------------------------------------------------------------------

DEFAULT_ORG_CONCURRENCY = 4
# Salesforce allows 25 concurrent long-running requests per production org (reference §7).
MAX_ORG_CONCURRENCY = 25


def org_concurrency(configured: int | None = None) -> int:
    """The number of calls one org may have in flight."""
    if configured is None:
        return DEFAULT_ORG_CONCURRENCY
    if not 1 <= configured <= MAX_ORG_CONCURRENCY:
        raise ValueError(f"org concurrency must be between 1 and {MAX_ORG_CONCURRENCY}")
    return configured


def concurrency_after_limit(current: int) -> int:
    """Halve the cap after a ConcurrentPerOrgLongTxn refusal (never below one)."""
    return max(1, current // 2)
