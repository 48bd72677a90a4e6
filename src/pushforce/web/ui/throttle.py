"""Sign-in throttling (ASVS 6.3.1): after ``LIMIT`` failed attempts for one e-mail within
``WINDOW`` seconds, further attempts are refused until the oldest failure leaves the window.
Kept in this process's memory (bounded), which is enough to make online guessing slow."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

LIMIT = 5
WINDOW = 15 * 60.0
MAX_TRACKED = 10_000  # e-mails remembered at once; the least recently failed are forgotten


class LoginThrottle:
    def __init__(self, limit: int = LIMIT, window: float = WINDOW) -> None:
        self._limit, self._window = limit, window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait_seconds(self, email: str, now: float | None = None) -> float:
        """How long this e-mail must wait before another attempt (0: it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(email.strip().lower(), now)
            if len(recent) < self._limit:
                return 0.0
            return recent[0] + self._window - now

    def failed(self, email: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        key = email.strip().lower()
        with self._lock:
            self._recent(key, now).append(now)
            self._failures.move_to_end(key)
            while len(self._failures) > MAX_TRACKED:
                self._failures.popitem(last=False)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(email.strip().lower(), None)

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self._window:
            found.popleft()
        return found
