"""The push engine: outbox (push_jobs with its two partial unique indexes), team leases,
links, the sync log and push-all runs (DESIGN.md §4).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pushforce.store.dialect

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("sobject", sa.String(length=64), nullable=False),
        sa.Column("sf_id", sa.String(length=18), nullable=False),
        sa.Column(
            "pushed_values",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("pushed_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), server_default="active", nullable=False),
        sa.Column("successor_id", sa.String(length=18), nullable=True),
        sa.Column("converted_account_id", sa.String(length=18), nullable=True),
        sa.Column("updated_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_links_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
        sa.UniqueConstraint("team_id", "external_id", name=op.f("uq_links_team_id_external_id")),
    )
    op.create_index(
        op.f("ix_links_team_id_kind_record_id"),
        "links",
        ["team_id", "kind", "record_id"],
        unique=False,
    )
    op.create_index(op.f("ix_links_team_id_sf_id"), "links", ["team_id", "sf_id"], unique=False)
    op.create_table(
        "push_all_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_push_all_runs_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_all_runs")),
    )
    op.create_index(
        op.f("ix_push_all_runs_team_id_created_at"),
        "push_all_runs",
        ["team_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "push_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("parent_kind", sa.String(length=32), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("due_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=True),
        sa.Column("claimed_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=True),
        sa.Column("error_code", sa.String(length=255), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("error_hint", sa.Text(), nullable=True),
        sa.Column("created_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'running', 'failed', 'held')",
            name=op.f("ck_push_jobs_state_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_push_jobs_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_jobs")),
    )
    op.create_index(
        op.f("ix_push_jobs_state_due_at"), "push_jobs", ["state", "due_at"], unique=False
    )
    op.create_index(
        op.f("ix_push_jobs_team_id_state_due_at"),
        "push_jobs",
        ["team_id", "state", "due_at"],
        unique=False,
    )
    op.create_index(
        "uq_push_jobs_pending_record",
        "push_jobs",
        ["team_id", "kind", "record_id"],
        unique=True,
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index(
        "uq_push_jobs_running_record",
        "push_jobs",
        ["team_id", "kind", "record_id"],
        unique=True,
        sqlite_where=sa.text("state = 'running'"),
        postgresql_where=sa.text("state = 'running'"),
    )
    op.create_table(
        "sync_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("operation", sa.String(length=16), nullable=True),
        sa.Column("sobject", sa.String(length=64), nullable=True),
        sa.Column("sf_id", sa.String(length=18), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("error_code", sa.String(length=255), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("hint", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_sync_log_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_log")),
    )
    op.create_index(op.f("ix_sync_log_team_id_at"), "sync_log", ["team_id", "at"], unique=False)
    op.create_index(
        op.f("ix_sync_log_team_id_kind_record_id"),
        "sync_log",
        ["team_id", "kind", "record_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sync_log_team_id_outcome"), "sync_log", ["team_id", "outcome"], unique=False
    )
    op.create_table(
        "team_leases",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("until", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=True),
        sa.Column("epoch", sa.Integer(), server_default="0", nullable=False),
        sa.Column("paused_reason", sa.Text(), nullable=True),
        sa.Column("paused_hint", sa.Text(), nullable=True),
        sa.Column("paused_at", pushforce.store.dialect.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_leases_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_leases")),
    )


def downgrade() -> None:
    op.drop_table("team_leases")
    op.drop_index(op.f("ix_sync_log_team_id_outcome"), table_name="sync_log")
    op.drop_index(op.f("ix_sync_log_team_id_kind_record_id"), table_name="sync_log")
    op.drop_index(op.f("ix_sync_log_team_id_at"), table_name="sync_log")
    op.drop_table("sync_log")
    op.drop_index(
        "uq_push_jobs_running_record",
        table_name="push_jobs",
        sqlite_where=sa.text("state = 'running'"),
        postgresql_where=sa.text("state = 'running'"),
    )
    op.drop_index(
        "uq_push_jobs_pending_record",
        table_name="push_jobs",
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.drop_index(op.f("ix_push_jobs_team_id_state_due_at"), table_name="push_jobs")
    op.drop_index(op.f("ix_push_jobs_state_due_at"), table_name="push_jobs")
    op.drop_table("push_jobs")
    op.drop_index(op.f("ix_push_all_runs_team_id_created_at"), table_name="push_all_runs")
    op.drop_table("push_all_runs")
    op.drop_index(op.f("ix_links_team_id_sf_id"), table_name="links")
    op.drop_index(op.f("ix_links_team_id_kind_record_id"), table_name="links")
    op.drop_table("links")
