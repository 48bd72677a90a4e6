"""The embedded runner: `pushforce serve` drains every team in-process (DESIGN.md §3).

A supervisor thread hands teams to a small thread pool, one drain per team at a time:
* wake-ups — a transaction that enqueued work announces its teams when it commits
  (`store.push_hook.add_wake_listener`), so a change reaches Salesforce in well under a second;
* a sweep every `sweep_seconds` wakes any team with a due job (retries, lost wake-ups);
* a reaper every `reap_seconds` frees leases whose drainer died and wakes their teams.
The drain itself is fenced by the team lease, so a second process could not corrupt anything;
SQLite still runs one process (``pushforce worker`` refuses it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy.engine import Engine

from pushforce.app.drain import Drainer, drain_team
from pushforce.app.maintenance import reap, sweep
from pushforce.config import Config
from pushforce.runners.wiring import drainer as build_drainer
from pushforce.store.push_hook import add_wake_listener

log = logging.getLogger(__name__)


class LocalRunner:
    def __init__(
        self,
        drainer: Drainer,
        *,
        workers: int = 4,
        sweep_seconds: float = 1.0,
        reap_seconds: float = 15.0,
    ) -> None:
        self.drainer = drainer
        self.sweep_seconds = sweep_seconds
        self.reap_seconds = reap_seconds
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="pushforce-drain")
        self._lock = threading.Lock()
        self._woken: set[int] = set()
        self._running: dict[int, Future[None]] = {}
        self._again: set[int] = set()
        self._signal = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._supervise, name="pushforce-supervisor")
        self._remove_listener: Callable[[], None] = _nothing

    def start(self) -> None:
        self._remove_listener = add_wake_listener(self.drainer.engine, self.wake)
        self._thread.start()

    def stop(self) -> None:
        self._remove_listener()
        self._stopping.set()
        self._signal.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def wake(self, teams: set[int]) -> None:
        with self._lock:
            self._woken |= teams
        self._signal.set()

    def busy(self) -> bool:
        with self._lock:
            return bool(self._woken or self._running)

    # ---- the supervisor -----------------------------------------------------------------

    def _supervise(self) -> None:
        next_sweep = next_reap = 0.0
        while not self._stopping.is_set():
            now = time.monotonic()
            if now >= next_reap:
                self._safely(self._reap)
                next_reap = now + self.reap_seconds
            if now >= next_sweep:
                self._safely(self._sweep)
                next_sweep = now + self.sweep_seconds
            self._dispatch()
            self._signal.wait(timeout=max(0.0, min(next_sweep, next_reap) - time.monotonic()))
            self._signal.clear()

    def _sweep(self) -> None:
        self.wake(set(sweep(self.drainer.engine, self.drainer.clock.now())))

    def _reap(self) -> None:
        self.wake(set(reap(self.drainer.engine, self.drainer.clock.now())))

    def _dispatch(self) -> None:
        with self._lock:
            teams, self._woken = self._woken, set()
            for team_id in teams:
                if team_id in self._running:
                    self._again.add(team_id)  # drain once more after this one: nothing missed
                    continue
                self._running[team_id] = self._pool.submit(self._drain, team_id)

    def _drain(self, team_id: int) -> None:
        try:
            drain_team(self.drainer, team_id)
        except Exception:  # a broken drain must not stop the runner; the sweep retries
            log.exception("draining team %s failed", team_id)
        finally:
            with self._lock:
                del self._running[team_id]
                if team_id in self._again:
                    self._again.discard(team_id)
                    self._woken.add(team_id)
            self._signal.set()

    def _safely(self, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception:
            log.exception("push engine upkeep failed")


def _nothing() -> None:
    return None


@contextmanager
def embedded_runner(engine: Engine, config: Config, *, workers: int = 4) -> Iterator[LocalRunner]:
    """Run the drain supervisor while the block runs (``pushforce serve``)."""
    runner = LocalRunner(build_drainer(engine, config), workers=workers)
    runner.start()
    try:
        yield runner
    finally:
        runner.stop()
