"""Tables of the push engine: the outbox (``push_jobs``), team leases, links, the sync log and
push-all runs (DESIGN.md §4; migration 0004).

The outbox invariants live in two partial unique indexes on ``push_jobs``: at most one
*pending* row per record (a change while pending coalesces into it, R17) and at most one
*running* row per record (never two pushes of one record at once, R17). A team is drained by
whoever holds its fenced lease (``team_leases.epoch``); claims and settles carry the epoch.
"""

from __future__ import annotations

import sqlalchemy as sa

from pushforce.store.dialect import JSONDocument, UtcDateTime
from pushforce.store.schema import metadata

JOB_STATES = ("pending", "running", "failed", "held")


def _team() -> sa.Column[int]:
    return sa.Column(
        "team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False
    )


push_jobs = sa.Table(
    "push_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _team(),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("parent_kind", sa.String(32)),
    sa.Column("parent_id", sa.Integer),
    sa.Column("tier", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("trigger", sa.String(16), nullable=False),
    sa.Column("actor", sa.String(255)),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("epoch", sa.Integer),
    sa.Column("claimed_at", UtcDateTime),
    sa.Column("error_code", sa.String(255)),
    sa.Column("error_message", sa.Text),
    sa.Column("error_hint", sa.Text),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.CheckConstraint("state IN ('pending', 'running', 'failed', 'held')", name="state_valid"),
    sa.Index(
        "uq_push_jobs_pending_record",
        "team_id",
        "kind",
        "record_id",
        unique=True,
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    ),
    sa.Index(
        "uq_push_jobs_running_record",
        "team_id",
        "kind",
        "record_id",
        unique=True,
        sqlite_where=sa.text("state = 'running'"),
        postgresql_where=sa.text("state = 'running'"),
    ),
    sa.Index(None, "team_id", "state", "due_at"),
    sa.Index(None, "state", "due_at"),
)

team_leases = sa.Table(
    "team_leases",
    metadata,
    sa.Column(
        "team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("owner", sa.String(255)),
    sa.Column("until", UtcDateTime),
    sa.Column("epoch", sa.Integer, nullable=False, server_default="0"),
    sa.Column("paused_reason", sa.Text),
    sa.Column("paused_hint", sa.Text),
    sa.Column("paused_at", UtcDateTime),
)

links = sa.Table(
    "links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _team(),
    sa.Column("external_id", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("sobject", sa.String(64), nullable=False),
    sa.Column("sf_id", sa.String(18), nullable=False),
    sa.Column("pushed_values", JSONDocument, nullable=False),
    sa.Column("pushed_at", UtcDateTime),
    sa.Column("state", sa.String(16), nullable=False, server_default="active"),
    sa.Column("successor_id", sa.String(18)),
    sa.Column("converted_account_id", sa.String(18)),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("team_id", "external_id"),
    sa.Index(None, "team_id", "kind", "record_id"),
    sa.Index(None, "team_id", "sf_id"),
)

sync_log = sa.Table(
    "sync_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _team(),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("trigger", sa.String(16), nullable=False),
    sa.Column("actor", sa.String(255)),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("external_id", sa.String(128)),
    sa.Column("decision", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("operation", sa.String(16)),
    sa.Column("sobject", sa.String(64)),
    sa.Column("sf_id", sa.String(18)),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("error_code", sa.String(255)),
    sa.Column("message", sa.Text),
    sa.Column("hint", sa.Text),
    sa.Index(None, "team_id", "at"),
    sa.Index(None, "team_id", "kind", "record_id"),
    sa.Index(None, "team_id", "outcome"),
)

push_all_runs = sa.Table(
    "push_all_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _team(),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("stage", sa.String(255)),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("actor", sa.String(255)),
    sa.Column("counts", JSONDocument, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime),
    sa.Index(None, "team_id", "created_at"),
)
