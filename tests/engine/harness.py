"""The push-engine harness: a team connected to a real localforce over HTTPS, a fake clock,
and a drain through the team's real gateway (`gateway_for_team`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.app.drain import Drainer, DrainReport, drain_team
from pushforce.app.manual import ManualResult, push_now
from pushforce.config import Config
from pushforce.salesforce.connections import connect, gateway_for_team
from pushforce.salesforce.gateway import SalesforceGateway
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret
from pushforce.store import links, outbox, read_connection, synclog, write_transaction
from pushforce.store.settings_repo import save_settings


@dataclass
class FakeClock:
    """Real time plus an offset that only tests move: retries fall due when a test advances
    the clock (no sleeps); jitter is fixed, so retry times are predictable."""

    offset: timedelta = timedelta(0)
    jitter: float = 0.5

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def random(self) -> float:
        return self.jitter

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@dataclass
class Org:
    """One team, connected to localforce, drained by the engine."""

    engine: Engine
    team_id: int
    lf: RunningServer
    config: Config
    clock: FakeClock
    owner: str = "test-drainer"
    _gateway: SalesforceGateway | None = None

    def gateway_for(self, team_id: int) -> SalesforceGateway | None:
        assert team_id == self.team_id
        if self._gateway is None:
            self._gateway = gateway_for_team(self.engine, team_id, self.config)
        return self._gateway

    def connect(self) -> None:
        params = FlowParams(
            Flow.CLIENT_CREDENTIALS,
            self.lf.base_url,
            client_id="localforce-client",
            client_secret=Secret("localforce-secret"),
        )
        connect(self.engine, self.team_id, params, self.config, ca_file=str(self.lf.ca_path))

    def connect_with_refresh_token(self, token: str) -> None:
        params = FlowParams(
            Flow.REFRESH_TOKEN,
            self.lf.base_url,
            client_id="localforce-client",
            refresh_token=Secret(token),
        )
        connect(self.engine, self.team_id, params, self.config, ca_file=str(self.lf.ca_path))
        self.forget_gateway()

    def forget_gateway(self) -> None:
        self._gateway = None

    def settings(self, **document: Any) -> None:
        with write_transaction(self.engine) as conn:
            save_settings(conn, self.team_id, document, None)

    def drainer(self, owner: str | None = None) -> Drainer:
        return Drainer(self.engine, self.gateway_for, self.clock, owner or self.owner)

    def drain(self, **options: Any) -> DrainReport:
        return drain_team(self.drainer(), self.team_id, **options)

    def push(self, kind: str, record_id: int, actor: str = "ada@example.com") -> ManualResult:
        return push_now(
            self.engine, self.gateway_for, self.clock, self.team_id, kind, record_id, actor
        )

    # ---- what the database says ------------------------------------------------------------

    def jobs(self) -> list[dict[str, Any]]:
        with read_connection(self.engine) as conn:
            return outbox.jobs_of(conn, self.team_id)

    def links(self) -> dict[str, dict[str, Any]]:
        with read_connection(self.engine) as conn:
            return {row["external_id"]: row for row in links.all_links(conn, self.team_id)}

    def link(self, kind: str, record_id: int) -> dict[str, Any]:
        return self.links()[f"pf-{self.team_id}-{kind}-{record_id}"]

    def log(self, **filters: Any) -> list[dict[str, Any]]:
        with read_connection(self.engine) as conn:
            return synclog.entries_of(conn, self.team_id, limit=1000, **filters)

    # ---- what Salesforce says ---------------------------------------------------------------

    def sf_records(self, sobject: str) -> list[dict[str, Any]]:
        return self.lf.control.records(sobject)

    def sf_record(self, sf_id: str) -> dict[str, Any]:
        found = self.lf.control.record(sf_id)
        assert found is not None, f"no {sf_id} in localforce"
        return found

    def api_calls(self) -> int:
        return int(self.lf.control.counters()["api_calls"])

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        return self.lf.control.log(since)
