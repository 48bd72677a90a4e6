"""Listing indexes: (team, sort key, id) for every list sort the API offers by default.

Keyset pages compare (key, id) row values, so each index ends with ``id``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 04:01:43.382933
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_accounts_team_id_created_at"), table_name="accounts")
    op.drop_index(op.f("ix_accounts_team_name"), table_name="accounts")
    op.create_index(
        op.f("ix_accounts_team_id_created_at_id"),
        "accounts",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_accounts_team_sort_name",
        "accounts",
        ["team_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
    )
    op.drop_index(op.f("ix_calls_team_id_started_at"), table_name="calls")
    op.create_index(
        op.f("ix_calls_team_id_created_at_id"),
        "calls",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_calls_team_id_started_at_id"),
        "calls",
        ["team_id", "started_at", "id"],
        unique=False,
    )
    op.drop_index(op.f("ix_contacts_team_id_created_at"), table_name="contacts")
    op.create_index(
        op.f("ix_contacts_team_id_created_at_id"),
        "contacts",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_contacts_team_sort_name",
        "contacts",
        [
            "team_id",
            sa.literal_column("lower((last_name || ' ') || coalesce(first_name, ''))"),
            "id",
        ],
        unique=False,
    )
    op.drop_index(op.f("ix_conversations_team_id_occurred_at"), table_name="conversations")
    op.create_index(
        op.f("ix_conversations_team_id_created_at_id"),
        "conversations",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_conversations_team_id_occurred_at_id"),
        "conversations",
        ["team_id", "occurred_at", "id"],
        unique=False,
    )
    op.drop_index(op.f("ix_deals_team_name"), table_name="deals")
    op.create_index(
        op.f("ix_deals_team_id_created_at_id"),
        "deals",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_deals_team_sort_name",
        "deals",
        ["team_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
    )
    op.drop_index(op.f("ix_emails_team_id_sent_at"), table_name="emails")
    op.create_index(
        op.f("ix_emails_team_id_created_at_id"),
        "emails",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_emails_team_id_sent_at_id"), "emails", ["team_id", "sent_at", "id"], unique=False
    )
    op.drop_index(op.f("ix_meetings_team_id_starts_at"), table_name="meetings")
    op.create_index(
        op.f("ix_meetings_team_id_created_at_id"),
        "meetings",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_meetings_team_id_starts_at_id"),
        "meetings",
        ["team_id", "starts_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notes_team_id_created_at_id"),
        "notes",
        ["team_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tasks_team_id_created_at_id"),
        "tasks",
        ["team_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tasks_team_id_created_at_id"), table_name="tasks")
    op.drop_index(op.f("ix_notes_team_id_created_at_id"), table_name="notes")
    op.drop_index(op.f("ix_meetings_team_id_starts_at_id"), table_name="meetings")
    op.drop_index(op.f("ix_meetings_team_id_created_at_id"), table_name="meetings")
    op.create_index(
        op.f("ix_meetings_team_id_starts_at"), "meetings", ["team_id", "starts_at"], unique=False
    )
    op.drop_index(op.f("ix_emails_team_id_sent_at_id"), table_name="emails")
    op.drop_index(op.f("ix_emails_team_id_created_at_id"), table_name="emails")
    op.create_index(
        op.f("ix_emails_team_id_sent_at"), "emails", ["team_id", "sent_at"], unique=False
    )
    op.drop_index("ix_deals_team_sort_name", table_name="deals")
    op.drop_index(op.f("ix_deals_team_id_created_at_id"), table_name="deals")
    op.create_index(
        op.f("ix_deals_team_name"),
        "deals",
        ["team_id", sa.literal_column("lower(name)")],
        unique=False,
    )
    op.drop_index(op.f("ix_conversations_team_id_occurred_at_id"), table_name="conversations")
    op.drop_index(op.f("ix_conversations_team_id_created_at_id"), table_name="conversations")
    op.create_index(
        op.f("ix_conversations_team_id_occurred_at"),
        "conversations",
        ["team_id", "occurred_at"],
        unique=False,
    )
    op.drop_index("ix_contacts_team_sort_name", table_name="contacts")
    op.drop_index(op.f("ix_contacts_team_id_created_at_id"), table_name="contacts")
    op.create_index(
        op.f("ix_contacts_team_id_created_at"), "contacts", ["team_id", "created_at"], unique=False
    )
    op.drop_index(op.f("ix_calls_team_id_started_at_id"), table_name="calls")
    op.drop_index(op.f("ix_calls_team_id_created_at_id"), table_name="calls")
    op.create_index(
        op.f("ix_calls_team_id_started_at"), "calls", ["team_id", "started_at"], unique=False
    )
    op.drop_index("ix_accounts_team_sort_name", table_name="accounts")
    op.drop_index(op.f("ix_accounts_team_id_created_at_id"), table_name="accounts")
    op.create_index(
        op.f("ix_accounts_team_name"),
        "accounts",
        ["team_id", sa.literal_column("lower(name)")],
        unique=False,
    )
    op.create_index(
        op.f("ix_accounts_team_id_created_at"), "accounts", ["team_id", "created_at"], unique=False
    )
