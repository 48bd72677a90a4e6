"""Matching rows to existing records and writing one chunk (inside the caller's transaction).

Companies match by domain, else by name (case-insensitively; a name match is taken only when
the domains don't contradict). People match by email; people without an email by first name,
last name and company. A matched record is updated only where the file's values differ, so
re-importing a file changes nothing. Two rows of one chunk for the same record: the later one is
reported, not written. A contact row never overwrites its company's data; it only fills the
company's empty fields (the accounts import is the place to change companies).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.engine import Connection

from pushforce.importing.bulk import (
    StageNames,
    differences,
    find_emailless_contacts,
    team_users,
)
from pushforce.importing.report import ChunkOutcome
from pushforce.importing.rows import PreparedRow
from pushforce.store.lookups import (
    find_accounts_by_domains,
    find_accounts_by_names,
    find_contacts_by_emails,
)
from pushforce.store.records import insert_records, update_record

Record = dict[str, Any]


class AccountMatcher:
    """Existing accounts of the chunk's companies, plus those the chunk creates."""

    def __init__(self, conn: Connection, team_id: int, companies: list[Record]) -> None:
        domains = [c["domain"] for c in companies if c.get("domain")]
        self.by_domain: dict[str, Record] = find_accounts_by_domains(conn, team_id, domains)
        names = [c["name"] for c in companies]
        self.by_name: dict[str, Record] = find_accounts_by_names(conn, team_id, names)

    def match(self, values: Record) -> Record | None:
        domain = values.get("domain")
        if domain and domain in self.by_domain:
            return self.by_domain[domain]
        candidate = self.by_name.get(values["name"].lower())
        if candidate is not None and not (domain and candidate.get("domain")):
            return candidate
        return None

    def remember(self, values: Record, record: Record) -> None:
        if values.get("domain"):
            self.by_domain[values["domain"]] = record
        self.by_name.setdefault(values["name"].lower(), record)


def _check_stages(
    rows: list[PreparedRow], stages: StageNames, outcome: ChunkOutcome
) -> list[PreparedRow]:
    kept = []
    for row in rows:
        reason = stages.unknown(row.record.values.get("stage"))
        if reason:
            outcome.reject(row.number, row.column("stage"), reason)
        else:
            kept.append(row)
    return kept


def _resolve_owners(
    conn: Connection, team_id: int, rows: list[PreparedRow], outcome: ChunkOutcome
) -> list[PreparedRow]:
    """Rows with their owner (a user's email or name) turned into owner_id."""
    if not any(row.owner for row in rows):
        return rows
    users = team_users(conn, team_id)
    kept = []
    for row in rows:
        user_id = users.get(row.owner.lower()) if row.owner else None
        if row.owner and user_id is None:
            reason = f"the team has no user {row.owner!r} (give a user's email or name)"
            outcome.reject(row.number, row.column("owner"), reason)
            continue
        if user_id is not None:
            row = replace(row, record=row.record.with_value("owner_id", user_id))
        kept.append(row)
    return kept


def _update(conn: Connection, team_id: int, kind: str, record: Record, given: Record) -> bool:
    changes = differences(record, given)
    if changes:
        update_record(conn, team_id, kind, record["id"], changes)
    return bool(changes)


# ---- accounts import -------------------------------------------------------------------------


def upsert_accounts(
    conn: Connection, team_id: int, rows: list[PreparedRow], stages: StageNames
) -> ChunkOutcome:
    outcome = ChunkOutcome()
    rows = _resolve_owners(conn, team_id, _check_stages(rows, stages, outcome), outcome)
    matcher = AccountMatcher(conn, team_id, [row.record.values for row in rows])
    written: dict[int, int] = {}  # record id (or -row for a new one) → row that wrote it
    new: list[Record] = []
    for row in rows:
        values = row.record.values
        existing = matcher.match(values)
        key = existing["id"] if existing else None
        if key in written:
            outcome.reject(row.number, None, f"the same company as row {written[key]}")
            continue
        if existing is None:
            written[-row.number] = row.number
            matcher.remember(values, {"id": -row.number, **values})
            new.append(values)
        elif _update(conn, team_id, "account", existing, row.record.given_values()):
            written[existing["id"]] = row.number
            outcome.updated += 1
        else:
            written[existing["id"]] = row.number
            outcome.unchanged += 1
    outcome.created += len(insert_records(conn, team_id, "account", new))
    return outcome


# ---- contacts import -------------------------------------------------------------------------


def _person_key(row: PreparedRow) -> tuple[str, ...]:
    values = row.record.values
    if values.get("email"):
        return ("email", values["email"])
    company = row.account.values if row.account else {}
    where = company.get("domain") or (company.get("name") or "").lower()
    return ("name", (values.get("first_name") or "").lower(), values["last_name"].lower(), where)


def _drop_repeats(rows: list[PreparedRow], outcome: ChunkOutcome) -> list[PreparedRow]:
    first_row: dict[tuple[str, ...], int] = {}
    kept = []
    for row in rows:
        key = _person_key(row)
        if key in first_row:
            what = "email" if key[0] == "email" else "name and company"
            column = row.column("email") if key[0] == "email" else None
            outcome.reject(row.number, column, f"the same {what} as row {first_row[key]}")
            continue
        first_row[key] = row.number
        kept.append(row)
    return kept


def _fill_empty(conn: Connection, team_id: int, account: Record, values: Record) -> bool:
    """Give an existing company the values it lacks; never overwrite what it has."""
    empty = {name: values[name] for name in values if account.get(name) in (None, "", {})}
    if not _update(conn, team_id, "account", account, empty):
        return False
    account.update(empty)  # later rows of the chunk see the filled values
    return True


def resolve_companies(
    conn: Connection, team_id: int, rows: list[PreparedRow], outcome: ChunkOutcome
) -> dict[int, int]:
    """Account id for every row with a company (row number → id), creating missing ones."""
    with_company = [row for row in rows if row.account is not None]
    matcher = AccountMatcher(conn, team_id, [row.account.values for row in with_company])  # type: ignore[union-attr]
    new: list[Record] = []
    filled: set[int] = set()
    chosen: dict[int, Record] = {}
    for row in with_company:
        values = row.account.given_values()  # type: ignore[union-attr]
        account = matcher.match(values)
        if account is None:
            account = {"id": None, "new_index": len(new)}
            new.append(row.account.values)  # type: ignore[union-attr]
            matcher.remember(values, account)
        elif account["id"] is not None and _fill_empty(conn, team_id, account, values):
            filled.add(account["id"])
        chosen[row.number] = account
    ids = insert_records(conn, team_id, "account", new)
    outcome.accounts_created += len(ids)
    outcome.accounts_updated += len(filled)
    return {n: a["id"] if a["id"] is not None else ids[a["new_index"]] for n, a in chosen.items()}


def _existing_people(
    conn: Connection, team_id: int, rows: list[PreparedRow]
) -> tuple[dict[str, Record], dict[tuple[str, str, int | None], Record]]:
    emails = [row.record.values["email"] for row in rows if row.record.values.get("email")]
    names = [row.record.values["last_name"] for row in rows if not row.record.values.get("email")]
    by_email = find_contacts_by_emails(conn, team_id, emails)
    by_name = find_emailless_contacts(conn, team_id, names) if names else {}
    return by_email, by_name


def upsert_contacts(
    conn: Connection, team_id: int, rows: list[PreparedRow], stages: StageNames
) -> ChunkOutcome:
    outcome = ChunkOutcome()
    rows = _resolve_owners(conn, team_id, _check_stages(rows, stages, outcome), outcome)
    rows = _drop_repeats(rows, outcome)
    account_ids = resolve_companies(conn, team_id, rows, outcome)
    by_email, by_name = _existing_people(conn, team_id, rows)
    new: list[Record] = []
    for row in rows:
        values, given = dict(row.record.values), row.record.given_values()
        if row.number in account_ids:
            values["account_id"] = given["account_id"] = account_ids[row.number]
        existing = _match_person(values, by_email, by_name)
        if existing is None:
            new.append(values)
        elif _update(conn, team_id, "contact", existing, given):
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    outcome.created += len(insert_records(conn, team_id, "contact", new))
    return outcome


def _match_person(
    values: Record,
    by_email: dict[str, Record],
    by_name: dict[tuple[str, str, int | None], Record],
) -> Record | None:
    if values.get("email"):
        return by_email.get(values["email"])
    key = ((values.get("first_name") or "").lower(), values["last_name"].lower())
    return by_name.get((*key, values.get("account_id")))
