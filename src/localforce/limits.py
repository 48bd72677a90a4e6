"""The daily API allocation (a rolling 24 h window on the org clock) and long-request tracking."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from localforce.clock import Clock

WINDOW_MINUTES = 24 * 60


class ApiUsage:
    def __init__(self, clock: Clock, daily_max: int) -> None:
        self.clock = clock
        self.daily_max = daily_max
        self._lock = threading.Lock()
        self._per_minute: dict[int, int] = defaultdict(int)

    def _minute(self) -> int:
        return int(self.clock.now().timestamp() // 60)

    def used(self) -> int:
        oldest = self._minute() - WINDOW_MINUTES
        with self._lock:
            for minute in [m for m in self._per_minute if m <= oldest]:
                del self._per_minute[minute]
            return sum(self._per_minute.values())

    def remaining(self) -> int:
        return max(self.daily_max - self.used(), 0)

    def exhausted(self) -> bool:
        return self.used() >= self.daily_max

    def consume(self, calls: int) -> None:
        if calls:
            with self._lock:
                self._per_minute[self._minute()] += calls

    def set_used(self, used: int) -> None:
        with self._lock:
            self._per_minute.clear()
            self._per_minute[self._minute()] = used

    def header(self) -> str:
        return f"api-usage={self.used()}/{self.daily_max}"


class LongRequests:
    """Requests in flight; those running ≥ `threshold` seconds count against the concurrent cap."""

    def __init__(self, cap: int, threshold_seconds: float) -> None:
        self.cap = cap
        self.threshold = threshold_seconds
        self._started: dict[int, float] = {}
        self._next = 0
        self._lock = threading.Lock()

    def over_cap(self) -> bool:
        now = time.monotonic()
        with self._lock:
            long_running = sum(1 for t in self._started.values() if now - t >= self.threshold)
        return long_running >= self.cap

    def begin(self) -> int:
        with self._lock:
            self._next += 1
            self._started[self._next] = time.monotonic()
            return self._next

    def end(self, ticket: int) -> None:
        with self._lock:
            self._started.pop(ticket, None)
