"""Everything one running localforce holds: config, org, tokens, usage, faults, request log."""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localforce.auth import TokenStore
from localforce.bulk import BulkIngest, RateModel
from localforce.bulk_query import BulkQuery
from localforce.config import Config, OAuthClient
from localforce.faults import Faults
from localforce.limits import ApiUsage, LongRequests
from localforce.org import Org
from localforce.query_cursors import CursorStore
from localforce.schema import build_schema

LATEST_VERSION = 66.0
OLDEST_VERSION = 31.0
LOG_SIZE = 100_000


@dataclass
class Counters:
    requests: int = 0
    api_calls: int = 0
    records_written: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    faults_fired: int = 0

    def public(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "api_calls": self.api_calls,
            "records_written": self.records_written,
            "faults_fired": self.faults_fired,
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
        }


class ServerState:
    def __init__(self, config: Config, data_dir: Path | None, token: str | None) -> None:
        self.config = config
        self.data_dir = data_dir
        schema = build_schema(
            config.custom_fields, config.pushforce_id_fields, config.restricted_picklists
        )
        self.org = Org(schema, config.duplicate_rules, config.org_name)
        self.tokens = TokenStore(
            self.org.clock, config.token_lifetime_seconds, token, self.org.org_id[:15]
        )
        for client in config.oauth_clients:
            self.tokens.add_refresh_tokens(client.client_id, client.refresh_tokens)
        self.usage = ApiUsage(self.org.clock, config.daily_api_requests)
        self.long_requests = LongRequests(
            config.max_concurrent_long_requests, config.long_request_seconds
        )
        self.faults = Faults()
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self.log_sequence = 0
        self.counters = Counters()
        self.latency: dict[str, float] = {}
        self.cursors = CursorStore()
        self.bulk_ingest = BulkIngest(lambda: self.org)
        self.bulk_query = BulkQuery(lambda: self.org)
        self._configure_limits()
        self.lock = threading.Lock()
        self.persistence: Any = None  # localforce.persistence.Persistence with --data-dir
        self.inner_app: Any = None  # the routed app, for in-process composite subrequests

    def client(self, client_id: str) -> OAuthClient | None:
        return next((c for c in self.config.oauth_clients if c.client_id == client_id), None)

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.log_sequence += 1
            entry["seq"] = self.log_sequence
            self.log.append(entry)
            self.counters.requests += 1
            self.counters.api_calls += entry["api_calls"]
            self.counters.records_written += entry["records_written"]
            self.counters.by_status[entry["status"]] += 1

    def reset(self) -> None:
        """The org as a fresh start would have it (docs/localforce.md, ``POST /reset``): bulk
        jobs stopped and forgotten first (so none writes into the new org), query cursors
        closed, records and clock, faults, limits and usage, the request log and counters.
        Access tokens are sessions, not org data: issued ones stay valid, and ``--token`` is
        restored if it was expired or revoked. Log sequence numbers keep counting up."""
        self.bulk_ingest.reset()
        self.bulk_query.reset()
        self.cursors.clear()
        self.org.clock.reset()
        self.org.reset()
        self.faults.reset()
        self._configure_limits()
        self.usage.set_used(0)
        self.tokens.restore_static()
        with self.lock:
            self.log.clear()
            self.counters = Counters()

    def _configure_limits(self) -> None:
        """Limits, latency and the bulk processing rate as the config sets them."""
        config = self.config
        self.usage.daily_max = config.daily_api_requests
        self.long_requests.cap = config.max_concurrent_long_requests
        self.long_requests.threshold = config.long_request_seconds
        self.latency.update(
            per_request_ms=config.per_request_ms, per_record_ms=config.per_record_ms
        )
        self.bulk_ingest.rate = RateModel(**config.bulk_rate) if config.bulk_rate else RateModel()
