"""Reads of the reconciliation checker (``pushforce check``, ``app.check``).

Everything is paged (keyset on ids) or aggregated in SQL, so a check of a team with millions of
records holds one page in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.connections import salesforce_connections as sc
from pushforce.store.kinds import spec_for
from pushforce.store.push_schema import links, push_jobs, sync_log

SUCCESS_OUTCOMES = ("created", "linked", "updated", "done")
OPEN_STATES = ("pending", "running")
STOPPED_STATES = ("failed", "held")


def record_ids_page(conn: Connection, team_id: int, kind: str, after: int, limit: int) -> list[int]:
    """Ids of a team's records of ``kind`` above ``after``, ascending."""
    table = spec_for(kind).table
    query = (
        sa.select(table.c.id)
        .where(table.c.team_id == team_id, table.c.id > after)
        .order_by(table.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).scalars())


def job_states(
    conn: Connection, team_id: int, kind: str, ids: Sequence[int]
) -> dict[int, set[str]]:
    """The states of the jobs of each record (pending, running, failed, held)."""
    if not ids:
        return {}
    c = push_jobs.c
    query = sa.select(c.record_id, c.state).where(
        c.team_id == team_id, c.kind == kind, c.record_id.in_(list(ids))
    )
    found: dict[int, set[str]] = {}
    for row in conn.execute(query):
        found.setdefault(row.record_id, set()).add(row.state)
    return found


def stopped_jobs(conn: Connection, team_id: int, after: int, limit: int) -> list[dict[str, Any]]:
    """Failed and held jobs (the records Pushforce holds visibly), keyset on job id."""
    c = push_jobs.c
    query = (
        sa.select(c.id, c.kind, c.record_id, c.state, c.error_code, c.error_message, c.error_hint)
        .where(c.team_id == team_id, c.state.in_(STOPPED_STATES), c.id > after)
        .order_by(c.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def open_job_count(conn: Connection, team_id: int) -> int:
    c = push_jobs.c
    query = sa.select(sa.func.count()).where(c.team_id == team_id, c.state.in_(OPEN_STATES))
    return int(conn.execute(query).scalar_one())


def links_page(conn: Connection, team_id: int, after: int, limit: int) -> list[dict[str, Any]]:
    """A page of the team's links, keyset on link id."""
    query = (
        sa.select(links)
        .where(links.c.team_id == team_id, links.c.id > after)
        .order_by(links.c.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def links_by_external_id(
    conn: Connection, external_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """Links of any team carrying these external ids (a foreign one is a cross-team write)."""
    wanted = sorted(set(external_ids))
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = sa.select(links).where(links.c.external_id.in_(chunk))
        for row in conn.execute(query):
            found.setdefault(row.external_id, []).append(dict(row._mapping))
    return found


def shared_salesforce_ids(conn: Connection, team_id: int) -> list[dict[str, Any]]:
    """Salesforce Ids that two or more live links of the team point at."""
    c = links.c
    query = (
        sa.select(c.sobject, c.sf_id, sa.func.count().label("links"))
        .where(c.team_id == team_id, c.state == "active")
        .group_by(c.sobject, c.sf_id)
        .having(sa.func.count() > 1)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def created_more_than_once(conn: Connection, team_id: int) -> list[dict[str, Any]]:
    """Writes for which the sync log shows creates of two or more different Salesforce Ids."""
    c = sync_log.c
    query = (
        sa.select(
            c.kind, c.record_id, c.external_id, sa.func.count(sa.distinct(c.sf_id)).label("ids")
        )
        .where(c.team_id == team_id, c.outcome == "created", c.sf_id.is_not(None))
        .group_by(c.kind, c.record_id, c.external_id)
        .having(sa.func.count(sa.distinct(c.sf_id)) > 1)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def created_ids(conn: Connection, team_id: int, external_id: str) -> list[str]:
    c = sync_log.c
    query = (
        sa.select(c.sf_id)
        .where(c.team_id == team_id, c.external_id == external_id, c.outcome == "created")
        .distinct()
    )
    return [str(sf_id) for sf_id in conn.execute(query).scalars() if sf_id]


def pushed_without_link(conn: Connection, team_id: int, limit: int) -> list[dict[str, Any]]:
    """Writes the sync log says succeeded whose link is missing (a push that was lost)."""
    c = sync_log.c
    linked = sa.select(links.c.id).where(
        links.c.team_id == team_id, links.c.external_id == c.external_id
    )
    query = (
        sa.select(c.kind, c.record_id, c.external_id, sa.func.max(c.sf_id).label("sf_id"))
        .where(
            c.team_id == team_id,
            c.outcome.in_(SUCCESS_OUTCOMES),
            c.external_id.is_not(None),
            c.sf_id.is_not(None),
            ~sa.exists(linked),
        )
        .group_by(c.kind, c.record_id, c.external_id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def teams_sharing_org(conn: Connection, team_id: int) -> set[int]:
    """The teams connected to the same Salesforce org as ``team_id`` (itself included)."""
    mine = sa.select(sc.c.org_id).where(sc.c.team_id == team_id).scalar_subquery()
    query = sa.select(sc.c.team_id).where(sc.c.org_id == mine)
    return set(conn.execute(query).scalars()) | {team_id}


def connection_user(conn: Connection, team_id: int) -> str | None:
    """The Salesforce user Pushforce writes as for this team (records it created name it)."""
    query = sa.select(sc.c.user_id).where(sc.c.team_id == team_id)
    found = conn.execute(query).scalar_one_or_none()
    return str(found) if found else None


def contact_emails_page(
    conn: Connection, team_id: int, after: int, limit: int
) -> list[tuple[int, str]]:
    """(id, email) of the team's contacts with an email, keyset on id."""
    table = spec_for("contact").table
    query = (
        sa.select(table.c.id, table.c.email)
        .where(table.c.team_id == team_id, table.c.id > after, table.c.email.is_not(None))
        .order_by(table.c.id)
        .limit(limit)
    )
    return [(int(row.id), str(row.email)) for row in conn.execute(query)]
