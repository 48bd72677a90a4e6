"""Push settings per team, with history (R21).

Every save appends a row to ``settings_versions`` (team, version n+1, the whole normalised
document, author, time and the diff against the version before); the newest row is the team's
settings. A team without rows has the defaults (``PushSettings()``). A restore is a save of an
old version's document, so it is a new version too. Validation runs against the team's own
stages; an invalid document raises ``SettingsError`` (every problem with its path) and nothing
is written.

The ``diff`` column holds ``{"changes": [{"path", "old", "new"}, …], "restored_from": n|null}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.core.settings import (
    Change,
    PushSettings,
    SettingsContext,
    diff,
    validate_settings,
)
from pushforce.store.push_status import RetrySelection, retry_stopped
from pushforce.store.records import utcnow
from pushforce.store.schema import settings_versions, users
from pushforce.store.stages import STAGE_OBJECTS, list_stages

__all__ = [
    "SettingsVersion",
    "UnknownVersion",
    "current_settings",
    "get_version",
    "list_versions",
    "restore_version",
    "save_settings",
    "settings_context",
]


class UnknownVersion(LookupError):
    def __init__(self, version: int) -> None:
        super().__init__(f"the team has no settings version {version}")
        self.version = version


@dataclass(frozen=True)
class SettingsVersion:
    version: int
    document: dict[str, Any]
    author_user_id: int | None
    author: str | None  # the author's name (or email) for display
    created_at: datetime
    changes: list[dict[str, Any]]
    restored_from: int | None

    @property
    def summary(self) -> list[str]:
        """The diff as lines a person reads: ``path: old → new``."""
        return [str(Change(c["path"], c["old"], c["new"])) for c in self.changes]

    def as_json(self, *, with_document: bool = False) -> dict[str, Any]:
        """The version as the REST API shows it (and the CLI prints it)."""
        shown: dict[str, Any] = {
            "version": self.version,
            "author_user_id": self.author_user_id,
            "author": self.author,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "restored_from": self.restored_from,
            "changes": self.changes,
            "summary": self.summary,
        }
        if with_document:
            shown["settings"] = self.document
        return shown


def settings_context(
    conn: Connection, team_id: int, describe: Mapping[str, frozenset[str]] | None = None
) -> SettingsContext:
    """What validation checks names against: the team's stages (per object) and, when the
    caller has the org's describe (field names per object), the Salesforce field names."""
    names: dict[str, set[str]] = {obj: set() for obj in STAGE_OBJECTS}
    for stage in list_stages(conn, team_id):
        names[stage["object"]].add(stage["name"])
    stages = {obj: frozenset(found) for obj, found in names.items()}
    return SettingsContext(stages=stages, describe=describe)


def current_settings(conn: Connection, team_id: int) -> tuple[PushSettings, int | None]:
    """The settings in force and their version (``None``: never saved, the defaults)."""
    row = conn.execute(_select().where(_team(team_id)).order_by(_newest()).limit(1)).first()
    if row is None:
        return PushSettings(), None
    # Saved documents were validated when saved; stages renamed since must not break reading.
    return validate_settings(row.document, SettingsContext()), row.version


def save_settings(
    conn: Connection,
    team_id: int,
    document: Mapping[str, object],
    author_user_id: int | None,
    *,
    restored_from: int | None = None,
    describe: Mapping[str, frozenset[str]] | None = None,
    now: datetime | None = None,
) -> SettingsVersion:
    """Validate and store ``document`` as the team's next version (raises ``SettingsError``)."""
    settings = validate_settings(document, settings_context(conn, team_id, describe))
    previous, version = current_settings(conn, team_id)
    changes = [_change(c) for c in diff(previous, settings)]
    next_version = (version or 0) + 1
    at = now or utcnow()
    values = {
        "team_id": team_id,
        "version": next_version,
        "document": settings.model_dump(mode="json"),
        "author_user_id": author_user_id,
        "created_at": at,
        "diff": {"changes": changes, "restored_from": restored_from},
    }
    conn.execute(sa.insert(settings_versions).values(values))
    if changes:  # R18: failed and held pushes are retried when the settings change
        retry_stopped(conn, team_id, RetrySelection(), at)
    return _must_get(conn, team_id, next_version)


def restore_version(
    conn: Connection, team_id: int, version: int, author_user_id: int | None
) -> SettingsVersion:
    """Save version ``version``'s document again, as a new version."""
    old = _must_get(conn, team_id, version)
    return save_settings(conn, team_id, old.document, author_user_id, restored_from=version)


def list_versions(conn: Connection, team_id: int) -> list[SettingsVersion]:
    """Every version, newest first."""
    rows = conn.execute(_select().where(_team(team_id)).order_by(_newest()))
    return [_version(row) for row in rows]


def get_version(conn: Connection, team_id: int, version: int) -> SettingsVersion | None:
    statement = _select().where(_team(team_id), settings_versions.c.version == version)
    row = conn.execute(statement).first()
    return _version(row) if row is not None else None


def _must_get(conn: Connection, team_id: int, version: int) -> SettingsVersion:
    found = get_version(conn, team_id, version)
    if found is None:
        raise UnknownVersion(version)
    return found


def _select() -> sa.Select[Any]:
    author = sa.func.coalesce(sa.func.nullif(users.c.name, ""), users.c.email)
    joined = settings_versions.outerjoin(users, users.c.id == settings_versions.c.author_user_id)
    return sa.select(settings_versions, author.label("author")).select_from(joined)


def _team(team_id: int) -> sa.ColumnElement[bool]:
    return settings_versions.c.team_id == team_id


def _newest() -> sa.UnaryExpression[Any]:
    return settings_versions.c.version.desc()


def _change(change: Change) -> dict[str, Any]:
    return {"path": change.path, "old": change.old, "new": change.new}


def _version(row: sa.Row[Any]) -> SettingsVersion:
    recorded = row.diff or {}
    return SettingsVersion(
        version=row.version,
        document=row.document,
        author_user_id=row.author_user_id,
        author=row.author,
        created_at=row.created_at,
        changes=list(recorded.get("changes", [])),
        restored_from=recorded.get("restored_from"),
    )
