"""The ports the use cases talk through (DESIGN.md §2): Salesforce and the clock.

The store is reached through ``pushforce.store`` functions taking an opaque connection handle
(``Conn``); the use cases never write SQL. ``pushforce.salesforce.gateway.SalesforceGateway``
implements :class:`Salesforce` exactly; tests use it against localforce.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from pushforce.core.batching import BulkJob, CollectionCall
from pushforce.core.lookups import LookupQuery
from pushforce.core.outcomes import Outcome, Success
from pushforce.core.policy import ApiUsage

__all__ = ["Clock", "GatewayFor", "ObjectInfo", "Salesforce", "SystemClock"]


class ObjectInfo(Protocol):
    """What the engine reads from a describe: the field names and the R16 external id."""

    @property
    def has_pushforce_id(self) -> bool: ...

    @property
    def fields(self) -> Mapping[str, Any]: ...


class Salesforce(Protocol):
    """One org, as the push engine uses it (docs/push-core.md)."""

    def describe(self, sobject: str) -> ObjectInfo: ...

    def run_collection(self, call: CollectionCall) -> list[Success | Outcome]: ...

    def run_bulk(self, job: BulkJob) -> list[Success | Outcome]: ...

    def run_lookup(self, query: LookupQuery) -> list[dict[str, Any]]: ...

    def query(self, soql: str, *, include_deleted: bool = False) -> list[dict[str, Any]]: ...

    def count(self, sobject: str) -> int: ...

    def api_usage(self) -> ApiUsage | None: ...

    def refresh_limits(self) -> ApiUsage: ...


GatewayFor = Callable[[int], "Salesforce | None"]
"""The team's gateway, or None when the team has no (usable) connection."""


class Clock(Protocol):
    def now(self) -> datetime: ...

    def random(self) -> float: ...


class SystemClock:
    """Wall-clock time and real jitter (tests pass a fake clock instead)."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def random(self) -> float:
        return self._random.random()
