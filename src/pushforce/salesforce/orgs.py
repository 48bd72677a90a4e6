"""State shared by every gateway of one org in this process: the concurrency cap (R20), the
last API usage seen (R19) and the describe cache.

``org_state(key)`` returns the same object for the same org (key: the org id, else the
instance URL), so gateways built per drain or per request still share one semaphore.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pushforce.core.policy import (
    ApiUsage,
    concurrency_after_limit,
    org_concurrency,
    parse_limit_info,
)
from pushforce.salesforce.objects import ObjectInfo

__all__ = ["OrgState", "Slots", "forget_org_states", "org_state"]


class Slots:
    """At most ``limit`` holders at once. After a ConcurrentPerOrgLongTxn refusal the limit is
    halved (``core.policy.concurrency_after_limit``); it grows back by one after every
    ``REGROW_AFTER`` answers without such a refusal, up to the configured cap."""

    REGROW_AFTER = 200

    def __init__(self, limit: int) -> None:
        self.cap = self.limit = limit
        self.in_use = self.peak = 0
        self._calm = 0
        self._cond = threading.Condition()

    def __enter__(self) -> Slots:
        with self._cond:
            while self.in_use >= self.limit:
                self._cond.wait()
            self.in_use += 1
            self.peak = max(self.peak, self.in_use)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self.in_use -= 1
            self._cond.notify()

    def refused_for_concurrency(self) -> None:
        with self._cond:
            self.limit = concurrency_after_limit(self.limit)
            self._calm = 0

    def answered(self) -> None:
        with self._cond:
            self._calm += 1
            if self.limit < self.cap and self._calm >= self.REGROW_AFTER:
                self.limit, self._calm = self.limit + 1, 0
                self._cond.notify()


@dataclass
class OrgState:
    key: str
    limit: int
    slots: Slots
    usage: ApiUsage | None = None
    describes: dict[str, ObjectInfo] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def observe_limit_info(self, header: str | None, now: datetime | None = None) -> None:
        seen = parse_limit_info(header, now or datetime.now(UTC))
        if seen is not None:
            with self.lock:
                self.usage = seen

    def set_usage(self, usage: ApiUsage) -> None:
        with self.lock:
            self.usage = usage

    def described(self, sobject: str, load: Callable[[], ObjectInfo]) -> ObjectInfo:
        key = sobject.lower()
        cached = self.describes.get(key)
        if cached is None:
            cached = load()
            self.describes[key] = cached
        return cached

    def forget_describes(self) -> None:
        self.describes.clear()


_registry: dict[str, OrgState] = {}
_registry_lock = threading.Lock()


def org_state(key: str, concurrency: int | None = None) -> OrgState:
    """The one :class:`OrgState` of ``key``; the first caller fixes its concurrency."""
    with _registry_lock:
        state = _registry.get(key)
        if state is None:
            limit = org_concurrency(concurrency)
            state = OrgState(key, limit, Slots(limit))
            _registry[key] = state
        return state


def forget_org_states() -> None:
    """Drop every org's shared state (tests; a process that reconnects teams to new orgs)."""
    with _registry_lock:
        _registry.clear()
