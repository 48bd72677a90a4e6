"""Each record's Salesforce status as the UI shows it (PRODUCT.md §6).

``not in Salesforce`` / ``Lead`` / ``Contact`` / ``Account`` / ``Opportunity`` (with the link to
the record), then ``pending`` (queued or running) and ``failed`` (with the error and its hint)
from the outbox. Read from the store's tables for one page of records at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.core.records import RecordKind, RecordRef
from pushforce.store.push_schema import links, push_jobs, sync_log


@dataclass(frozen=True)
class SalesforceStatus:
    sobject: str | None = None  # Lead / Contact / Account / Opportunity, when linked
    sf_id: str | None = None
    url: str | None = None
    link_state: str | None = None  # active / deleted / merged / converted
    pushed_at: Any = None
    job_state: str | None = None  # pending / running / failed / held
    error_code: str | None = None
    error_message: str | None = None
    error_hint: str | None = None

    @property
    def label(self) -> str:
        if self.job_state == "failed":
            return "failed"
        if self.linked:
            return str(self.sobject)
        if self.job_state in ("pending", "running"):
            return "pending"
        if self.job_state == "held":
            return "held for review"
        return "not in Salesforce"

    @property
    def css(self) -> str:
        label = self.label
        if label in ("failed", "pending"):
            return label
        return "pending" if label == "held for review" else ("linked" if self.linked else "")

    @property
    def queued(self) -> bool:
        """A linked record with a push waiting (an update, R1)."""
        return self.linked and self.job_state in ("pending", "running", "held")

    @property
    def linked(self) -> bool:
        return self.sobject is not None and self.link_state != "deleted"


def record_url(instance_url: str | None, sf_id: str | None) -> str | None:
    if not instance_url or not sf_id:
        return None
    return f"{instance_url.rstrip('/')}/{sf_id}"  # Salesforce redirects to the record's page


def statuses(
    conn: Connection, team_id: int, kind: str, ids: Iterable[int], instance_url: str | None
) -> dict[int, SalesforceStatus]:
    wanted = list(ids)
    if not wanted:
        return {}
    found_links = _own_links(conn, team_id, kind, wanted)
    found_jobs = _jobs(conn, team_id, kind, wanted) | _last_failures(conn, team_id, kind, wanted)
    return {
        record_id: _status(found_links.get(record_id), found_jobs.get(record_id), instance_url)
        for record_id in wanted
    }


def _own_links(conn: Connection, team_id: int, kind: str, ids: list[int]) -> dict[int, Any]:
    record_kind = cast(RecordKind, kind)
    external_ids = {RecordRef(team_id, record_kind, i).external_id: i for i in ids}
    query = sa.select(links).where(
        links.c.team_id == team_id, links.c.external_id.in_(list(external_ids))
    )
    return {external_ids[row.external_id]: row for row in conn.execute(query)}


def _jobs(conn: Connection, team_id: int, kind: str, ids: list[int]) -> dict[int, Any]:
    """The most telling job per record: failed, then held, then running, then pending."""
    query = sa.select(push_jobs).where(
        push_jobs.c.team_id == team_id, push_jobs.c.kind == kind, push_jobs.c.record_id.in_(ids)
    )
    rank = {"failed": 0, "held": 1, "running": 2, "pending": 3}
    best: dict[int, Any] = {}
    for row in conn.execute(query):
        current = best.get(row.record_id)
        if current is None or rank[row.state] < rank[current.state]:
            best[row.record_id] = row
    return best


def _last_failures(conn: Connection, team_id: int, kind: str, ids: list[int]) -> dict[int, Any]:
    """Records whose latest push attempt (by the log) failed — a manual push leaves no failed
    job behind, but its failure must show until a later attempt succeeds."""
    c = sync_log.c
    own = [RecordRef(team_id, cast(RecordKind, kind), i).external_id for i in ids]
    latest = (
        sa.select(sa.func.max(c.id))
        .where(c.team_id == team_id, c.kind == kind, c.record_id.in_(ids), c.external_id.in_(own))
        .group_by(c.record_id)
    )
    rows = conn.execute(sa.select(sync_log).where(c.id.in_(latest), c.outcome == "failed"))
    return {row.record_id: _failure(row) for row in rows}


def _failure(row: Any) -> SimpleNamespace:
    return SimpleNamespace(state="failed", error_code=row.error_code, error_message=row.message,
                           error_hint=row.hint)  # fmt: skip


def _status(link: Any, job: Any, instance_url: str | None) -> SalesforceStatus:
    sf_id = link.successor_id if link is not None and link.successor_id else None
    sf_id = sf_id or (link.sf_id if link is not None else None)
    return SalesforceStatus(
        sobject=link.sobject if link is not None else None,
        sf_id=sf_id,
        url=record_url(instance_url, sf_id),
        link_state=link.state if link is not None else None,
        pushed_at=link.pushed_at if link is not None else None,
        job_state=job.state if job is not None else None,
        error_code=job.error_code if job is not None else None,
        error_message=job.error_message if job is not None else None,
        error_hint=job.error_hint if job is not None else None,
    )


def instance_url_of(conn: Connection, team_id: int) -> str | None:
    from pushforce.store.connections import connection_for_team

    row = connection_for_team(conn, team_id)
    return row.instance_url if row is not None else None


def actor_names(
    conn: Connection, team_id: int, entries: Iterable[dict[str, Any]]
) -> dict[str, str]:
    """``user:<id>`` actors of log entries → the user's name (or e-mail), within the team."""
    from pushforce.store.schema import users

    ids = {int(a[5:]) for e in entries if (a := e.get("actor") or "").startswith("user:")
           and a[5:].isdigit()}  # fmt: skip
    if not ids:
        return {}
    query = sa.select(users.c.id, users.c.name, users.c.email).where(
        users.c.team_id == team_id, users.c.id.in_(ids)
    )
    return {f"user:{row.id}": row.name or row.email for row in conn.execute(query)}
