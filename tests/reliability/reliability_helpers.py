"""Helpers of the reliability suite: a team drained to the end and judged by the checker."""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from typing import Any

from engine_helpers import create
from harness import Org

from pushforce.app.check import check_team
from pushforce.app.check_report import CheckReport
from pushforce.salesforce.connections import gateway_for_team
from pushforce.salesforce.gateway import SalesforceGateway
from pushforce.store import write_transaction

FAST_TIMEOUT = (5.0, 2.0)  # connect, read: a hung Salesforce call gives up quickly in tests


def seed_for(nodeid: str) -> int:
    replay = os.environ.get("PUSHFORCE_SEED")
    return int(replay) if replay else zlib.crc32(nodeid.encode())


@dataclass
class Team(Org):
    """An `Org` (tests/engine/harness.py) with short Salesforce timeouts, a full drain and the
    checker."""

    def gateway_for(self, team_id: int) -> SalesforceGateway | None:
        assert team_id == self.team_id
        if self._gateway is None:
            self._gateway = gateway_for_team(
                self.engine, team_id, self.config, timeout=FAST_TIMEOUT
            )
        return self._gateway

    def forget_gateway(self) -> None:
        self._gateway = None

    def open_jobs(self) -> list[dict[str, Any]]:
        return [job for job in self.jobs() if job["state"] in ("pending", "running")]

    def drain_fully(self, max_rounds: int = 40, step_minutes: float = 10) -> int:
        """Drain, moving the clock past every backoff, until no push is pending or running."""
        for rounds in range(1, max_rounds + 1):
            self.drain()
            if not self.open_jobs():
                return rounds
            self.clock.advance(minutes=step_minutes)
        raise AssertionError(f"not drained after {max_rounds} rounds: {self.open_jobs()[:5]}")

    def check(self) -> CheckReport:
        sf = self.gateway_for(self.team_id)
        assert sf is not None, "the team has no usable connection"
        return check_team(self.engine, self.team_id, sf, self.clock.now())

    def create_many(self, kind: str, rows: list[dict[str, Any]]) -> list[int]:
        with write_transaction(self.engine) as conn:
            return [create(conn, self.team_id, kind, **row) for row in rows]

    def external_id(self, kind: str, record_id: int) -> str:
        return f"pf-{self.team_id}-{kind}-{record_id}"


def assert_contract(
    report: CheckReport, seed: int, held: set[str] | frozenset[str] = frozenset()
) -> None:
    """reliability.md §2.1 after a full drain: no violation, the queue empty, and the held
    records exactly the injected bad ones, each with a hint."""
    problems = [f"{f.category} {f.external_id or ''}: {f.detail}" for f in report.violations]
    context = f"seed={seed}; {report.summary()}; first problems: {problems[:20]}"
    assert report.ok, context
    assert report.drained, context
    assert report.external_ids("held") == set(held), context


def people(count: int, prefix: str = "p") -> list[dict[str, Any]]:
    return [
        {"first_name": f"N{i}", "last_name": f"{prefix}{i}", "email": f"{prefix}{i}@example.com"}
        for i in range(count)
    ]
