"""The Pushforce store: SQLAlchemy 2 Core on SQLite (default) or PostgreSQL.

Public API (import from ``pushforce.store``):

* engines and transactions — ``make_engine``, ``migrate``, ``write_transaction``,
  ``read_connection`` (``store.db``);
* records — ``insert_record``, ``insert_records`` (bulk), ``update_record``, ``delete_record``,
  ``get_record``
  (``store.records``, the one write path), ``list_records`` with ``ListQuery`` → ``Page``
  (``store.listing``), ``find_contacts_by_emails``, ``find_accounts_by_domains``,
  ``find_accounts_by_names`` (``store.lookups``);
* the write hook — ``add_write_listener``, ``RecordChange`` (``store.hooks``);
* stages — ``resolve_stage``, ``list_stages``, ``DEFAULT_STAGES`` (``store.stages``);
* teams — ``create_team`` (with default stages), ``create_user``, ``create_api_key`` (returns
  the secret once), ``team_for_api_key`` (``store.teams``);
* errors — ``StoreError`` and its subclasses (``store.errors``).
"""

from pushforce.store.db import make_engine, migrate, read_connection, write_transaction
from pushforce.store.errors import (
    DuplicateRecord,
    InvalidListQuery,
    InvalidRecordInput,
    StoreError,
    UnknownStage,
)
from pushforce.store.hooks import RecordChange, add_write_listener
from pushforce.store.listing import ListQuery, Page, list_records
from pushforce.store.lookups import (
    find_accounts_by_domains,
    find_accounts_by_names,
    find_contacts_by_emails,
)
from pushforce.store.records import (
    delete_record,
    get_record,
    insert_record,
    insert_records,
    update_record,
)
from pushforce.store.stages import DEFAULT_STAGES, list_stages, resolve_stage
from pushforce.store.teams import (
    NewApiKey,
    create_api_key,
    create_team,
    create_user,
    revoke_api_key,
    team_for_api_key,
)

__all__ = [
    "DEFAULT_STAGES",
    "DuplicateRecord",
    "InvalidListQuery",
    "InvalidRecordInput",
    "ListQuery",
    "NewApiKey",
    "Page",
    "RecordChange",
    "StoreError",
    "UnknownStage",
    "add_write_listener",
    "create_api_key",
    "create_team",
    "create_user",
    "delete_record",
    "find_accounts_by_domains",
    "find_accounts_by_names",
    "find_contacts_by_emails",
    "get_record",
    "insert_record",
    "insert_records",
    "list_records",
    "list_stages",
    "make_engine",
    "migrate",
    "read_connection",
    "resolve_stage",
    "revoke_api_key",
    "team_for_api_key",
    "update_record",
    "write_transaction",
]
