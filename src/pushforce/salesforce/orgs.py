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

from pushforce.core.policy import ApiUsage, org_concurrency, parse_limit_info
from pushforce.salesforce.objects import ObjectInfo

__all__ = ["OrgState", "forget_org_states", "org_state"]


@dataclass
class OrgState:
    key: str
    limit: int
    slots: threading.BoundedSemaphore
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
            state = OrgState(key, limit, threading.BoundedSemaphore(limit))
            _registry[key] = state
        return state


def forget_org_states() -> None:
    """Drop every org's shared state (tests; a process that reconnects teams to new orgs)."""
    with _registry_lock:
        _registry.clear()
