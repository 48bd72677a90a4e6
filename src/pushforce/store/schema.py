"""Tables of the Pushforce store (SQLAlchemy 2 Core), named as in ``docs/records.md``.

Every record row carries ``team_id``; references between records (a contact's account, a
note's deal, …) are foreign keys *and* are checked to belong to the same team by
``store.records`` before any write. Timestamps are UTC (``UtcDateTime``); amounts are stored
as integer cents so both databases keep them exact. Alembic migrations in
``store/migrations`` build exactly this metadata (a contract test compares them). A new table
is declared on this ``metadata`` (in any ``pushforce.store`` module) and added by a new Alembic
revision in ``store/migrations/versions``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from pushforce.store.dialect import JSONDocument, UtcDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Cents(sa.TypeDecorator[Decimal]):
    """A currency amount (Salesforce currency 18,2) stored exactly as integer cents."""

    impl = sa.BigInteger()
    cache_ok = True

    @property
    def python_type(self) -> type:
        return Decimal

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _team() -> sa.Column[int]:
    return sa.Column(
        "team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False
    )


def _ref(
    name: str, table: str, nullable: bool = True, ondelete: str = "SET NULL"
) -> sa.Column[Any]:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable
    )


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    ]


def _enum(name: str, *values: str) -> tuple[sa.Column[Any], sa.CheckConstraint]:
    allowed = ", ".join(f"'{value}'" for value in values)
    return (
        sa.Column(name, sa.String(32), nullable=False),
        sa.CheckConstraint(f"{name} IN ({allowed})", name=f"{name}_valid"),
    )


def _listed_by(*columns: str) -> list[sa.Index]:
    """Indexes for a team's list sorted by ``column`` then ``id`` (the keyset of ``listing``)."""
    return [sa.Index(None, "team_id", column, "id") for column in columns]


def contact_sort_name(c: Any) -> Any:
    """The contacts' ``name`` sort key; the literals are inline so the index below matches."""
    full = c.last_name.op("||")(sa.literal_column("' '"))
    first = sa.func.coalesce(c.first_name, sa.literal_column("''"))
    return sa.func.lower(full.op("||")(first), type_=sa.String)


# ---- support tables --------------------------------------------------------------------------

teams = sa.Table(
    "teams",
    metadata,
    _id(),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    _id(),
    _team(),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=False, server_default=""),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index("uq_users_email", sa.func.lower(sa.column("email")), unique=True),
    sa.Index(None, "team_id"),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    _id(),
    _team(),
    _ref("user_id", "users"),
    sa.Column("name", sa.String(255), nullable=False, server_default=""),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime),
    sa.Column("revoked_at", UtcDateTime),
    sa.Index(None, "team_id"),
)

stages = sa.Table(
    "stages",
    metadata,
    _id(),
    _team(),
    *_enum("object", "contact", "account", "deal"),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("salesforce_value", sa.String(255)),
    sa.Index(
        "uq_stages_team_object_name",
        "team_id",
        "object",
        sa.func.lower(sa.column("name")),
        unique=True,
    ),
)

settings_versions = sa.Table(
    "settings_versions",
    metadata,
    _id(),
    _team(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", JSONDocument, nullable=False),
    _ref("author_user_id", "users"),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("diff", JSONDocument),
    sa.UniqueConstraint("team_id", "version"),
)

# ---- records ---------------------------------------------------------------------------------

accounts = sa.Table(
    "accounts",
    metadata,
    _id(),
    _team(),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("domain", sa.String(255)),
    sa.Column("website", sa.String(255)),
    sa.Column("phone", sa.String(40)),
    sa.Column("industry", sa.String(255)),
    sa.Column("employees", sa.Integer),
    _ref("stage_id", "stages", ondelete="RESTRICT"),
    _ref("owner_id", "users"),
    sa.Column("saved", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("custom", JSONDocument, nullable=False),
    *_timestamps(),
    sa.Index("ix_accounts_team_sort_name", "team_id", sa.func.lower(sa.column("name")), "id"),
    sa.Index(None, "team_id", "domain"),
    *_listed_by("created_at"),
)

contacts = sa.Table(
    "contacts",
    metadata,
    _id(),
    _team(),
    sa.Column("first_name", sa.String(40)),
    sa.Column("last_name", sa.String(80), nullable=False),
    sa.Column("title", sa.String(128)),
    sa.Column("email", sa.String(80)),  # stored lower-cased
    *_enum("email_status", "verified", "guessed", "unavailable"),
    sa.Column("phone", sa.String(40)),
    sa.Column("mobile_phone", sa.String(40)),
    _ref("account_id", "accounts"),
    _ref("stage_id", "stages", ondelete="RESTRICT"),
    _ref("owner_id", "users"),
    sa.Column("saved", sa.Boolean, nullable=False, server_default=sa.false()),
    *_enum("origin", "created", "imported", "api"),
    sa.Column("custom", JSONDocument, nullable=False),
    *_timestamps(),
    sa.Index(None, "team_id", "email"),
    sa.Index("ix_contacts_team_last_name", "team_id", sa.func.lower(sa.column("last_name"))),
    sa.Index(None, "account_id"),
    *_listed_by("created_at"),
)

sa.Index(
    "ix_contacts_team_sort_name", contacts.c.team_id, contact_sort_name(contacts.c), contacts.c.id
)

deals = sa.Table(
    "deals",
    metadata,
    _id(),
    _team(),
    sa.Column("name", sa.String(120), nullable=False),
    _ref("account_id", "accounts"),
    sa.Column("amount", Cents),
    _ref("stage_id", "stages", ondelete="RESTRICT"),
    sa.Column("close_date", sa.Date),
    _ref("owner_id", "users"),
    sa.Column("custom", JSONDocument, nullable=False),
    *_timestamps(),
    sa.Index("ix_deals_team_sort_name", "team_id", sa.func.lower(sa.column("name")), "id"),
    *_listed_by("created_at"),
    sa.Index(None, "account_id"),
)

deal_contacts = sa.Table(
    "deal_contacts",
    metadata,
    _team(),
    _ref("deal_id", "deals", nullable=False, ondelete="CASCADE"),
    _ref("contact_id", "contacts", nullable=False, ondelete="CASCADE"),
    sa.Column("role", sa.String(40)),
    sa.PrimaryKeyConstraint("deal_id", "contact_id"),
    sa.Index(None, "contact_id"),
)

# ---- activities ------------------------------------------------------------------------------

emails = sa.Table(
    "emails",
    metadata,
    _id(),
    _team(),
    *_enum("direction", "outgoing", "incoming"),
    sa.Column("sent_in_app", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("reply_to_app_email", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("from_address", sa.String(80), nullable=False),
    sa.Column("to_addresses", JSONDocument, nullable=False),
    sa.Column("cc_addresses", JSONDocument, nullable=False),
    sa.Column("subject", sa.String(3000), nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False, server_default=""),
    sa.Column("sent_at", UtcDateTime, nullable=False),
    _ref("owner_id", "users"),
    *_timestamps(),
    *_listed_by("created_at", "sent_at"),
    sa.Index(None, "team_id", "from_address"),
)

notes = sa.Table(
    "notes",
    metadata,
    _id(),
    _team(),
    sa.Column("title", sa.String(255), nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False),
    _ref("contact_id", "contacts"),
    _ref("account_id", "accounts"),
    _ref("deal_id", "deals"),
    _ref("author_id", "users"),
    *_timestamps(),
    sa.Index(None, "contact_id"),
    sa.Index(None, "account_id"),
    sa.Index(None, "deal_id"),
    *_listed_by("created_at"),
)

tasks = sa.Table(
    "tasks",
    metadata,
    _id(),
    _team(),
    *_enum("task_type", "call", "email", "action_item", "other"),
    sa.Column("title", sa.String(255), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("due_date", sa.Date),
    *_enum("status", "open", "completed"),
    *_enum("priority", "high", "normal", "low"),
    _ref("contact_id", "contacts"),
    _ref("account_id", "accounts"),
    _ref("owner_id", "users"),
    *_timestamps(),
    sa.Index(None, "contact_id"),
    sa.Index(None, "account_id"),
    *_listed_by("created_at"),
)

calls = sa.Table(
    "calls",
    metadata,
    _id(),
    _team(),
    *_enum("direction", "outbound", "inbound"),
    sa.Column("duration_seconds", sa.Integer, nullable=False, server_default="0"),
    sa.Column("disposition", sa.String(255)),
    sa.Column("purpose", sa.String(255)),
    sa.Column("notes", sa.Text),
    _ref("contact_id", "contacts"),
    _ref("owner_id", "users"),
    sa.Column("started_at", UtcDateTime, nullable=False),
    *_timestamps(),
    sa.Index(None, "contact_id"),
    *_listed_by("created_at", "started_at"),
)

meetings = sa.Table(
    "meetings",
    metadata,
    _id(),
    _team(),
    *_enum("source", "scheduled_in_app", "calendar"),
    sa.Column("title", sa.String(255), nullable=False),
    sa.Column("starts_at", UtcDateTime, nullable=False),
    sa.Column("ends_at", UtcDateTime, nullable=False),
    sa.Column("location", sa.String(255)),
    sa.Column("description", sa.Text),
    sa.Column("participants", JSONDocument, nullable=False),
    _ref("owner_id", "users"),
    *_timestamps(),
    *_listed_by("created_at", "starts_at"),
)

conversations = sa.Table(
    "conversations",
    metadata,
    _id(),
    _team(),
    sa.Column("title", sa.String(255), nullable=False),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("participants", JSONDocument, nullable=False),
    _ref("deal_id", "deals"),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    *_timestamps(),
    sa.Index(None, "deal_id"),
    *_listed_by("created_at", "occurred_at"),
)

RECORD_TABLES: dict[str, sa.Table] = {
    "account": accounts,
    "contact": contacts,
    "deal": deals,
    "email": emails,
    "note": notes,
    "task": tasks,
    "call": calls,
    "meeting": meetings,
    "conversation": conversations,
}
