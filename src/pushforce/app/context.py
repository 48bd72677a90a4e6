"""Records and links from the store → the core's records and `PlanContext` (what `plan` reads).

A `ContextLoader` serves one batch: it caches records and links, so 200 contacts of one
account read that account and its link once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from pushforce.core.records import (
    Account,
    Call,
    Contact,
    Conversation,
    Deal,
    DealContact,
    Email,
    Link,
    Meeting,
    Note,
    Person,
    PlanContext,
    Record,
    RecordRef,
    Task,
)
from pushforce.store import find_contacts_by_emails, get_record, links, push_reads

CORE_TYPES: Mapping[str, type[Any]] = {
    "account": Account,
    "contact": Contact,
    "deal": Deal,
    "email": Email,
    "note": Note,
    "task": Task,
    "call": Call,
    "meeting": Meeting,
    "conversation": Conversation,
}


def to_core(kind: str, row: Mapping[str, Any]) -> Record:
    """A store record dict (docs/records.md names) → the core's frozen value."""
    cls = CORE_TYPES[kind]
    names = {f.name for f in dataclasses.fields(cls)}
    values = {name: _core_value(name, row[name]) for name in names if name in row}
    if kind == "deal":
        values["contacts"] = tuple(
            DealContact(int(c["contact_id"]), c.get("role")) for c in row.get("contacts") or ()
        )
    if kind == "deal" and values.get("amount") is not None:
        values["amount"] = Decimal(values["amount"])
    record: Record = cls(**{k: v for k, v in values.items() if v is not None or k == "custom"})
    return record


def _core_value(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if name == "custom" and value is None:
        return {}
    return value


class ContextLoader:
    """Reads what planning a batch of records of one team needs, each thing once."""

    def __init__(self, conn: Any, team_id: int) -> None:
        self.conn = conn
        self.team_id = team_id
        self._records: dict[tuple[str, int], Record | None] = {}
        self._links: dict[tuple[str, int], dict[str, Link]] = {}
        self._stage_values: dict[str, dict[str, str | None]] | None = None
        self._by_email: dict[str, Contact | None] = {}  # activity participants (R13)
        self._failed: set[int] = set()

    def record(self, kind: str, record_id: int) -> Record | None:
        key = (kind, record_id)
        if key not in self._records:
            row = get_record(self.conn, self.team_id, kind, record_id)
            self._records[key] = None if row is None else to_core(kind, row)
        return self._records[key]

    def links_of(self, kind: str, record_id: int) -> dict[str, Link]:
        self.preload_links([(kind, record_id)])
        return self._links[(kind, record_id)]

    def preload_links(self, refs: Iterable[tuple[str, int]]) -> None:
        missing = [ref for ref in set(refs) if ref not in self._links]
        if missing:
            self._links.update(links.links_of(self.conn, self.team_id, missing))

    def own_link(self, kind: str, record_id: int) -> Link | None:
        ref = RecordRef(self.team_id, kind, record_id)  # type: ignore[arg-type]
        return self.links_of(kind, record_id).get(ref.external_id)

    def context(self, record: Record) -> PlanContext:
        """Everything `plan` may read for `record`."""
        kind = record.kind
        own = self.links_of(kind, record.id)
        account_id = getattr(record, "account_id", None)
        deal_id = getattr(record, "deal_id", None)
        account = self._account(account_id, getattr(record, "contact_id", None))
        deal = self.record("deal", deal_id) if deal_id is not None else None
        return PlanContext(
            own=own,
            account=account,
            account_link=self.own_link("account", account.id) if account else None,
            people=self._people(record),
            contacts=self._contacts(record),
            deal=deal if isinstance(deal, Deal) else None,
            deal_link=self.own_link("deal", deal.id) if isinstance(deal, Deal) else None,
            names=self._names(record),
            stage_values=self.stage_values(),
        )

    def _account(self, account_id: int | None, contact_id: int | None) -> Account | None:
        if account_id is None and contact_id is not None:
            contact = self.record("contact", contact_id)
            account_id = contact.account_id if isinstance(contact, Contact) else None
        if account_id is None:
            return None
        account = self.record("account", account_id)
        return account if isinstance(account, Account) else None

    def person(self, contact: Contact, failed: frozenset[int] = frozenset()) -> Person:
        account = self._account(contact.account_id, None)
        return Person(
            contact=contact,
            link=self.own_link("contact", contact.id),
            account=account,
            account_link=self.own_link("account", account.id) if account else None,
            push_failed=contact.id in failed,
        )

    def _contacts(self, record: Record) -> dict[int, Person]:
        ids: list[int] = []
        if isinstance(record, Deal):
            ids = [deal_contact.contact_id for deal_contact in record.contacts]
        elif isinstance(contact_id := getattr(record, "contact_id", None), int):
            ids = [contact_id]
        contacts = [c for c in (self.record("contact", i) for i in ids) if isinstance(c, Contact)]
        failed = frozenset(push_reads.failed_records(self.conn, self.team_id, "contact", ids))
        return {contact.id: self.person(contact, failed) for contact in contacts}

    def preload_people(self, records: Iterable[Record | None]) -> None:
        """Read the participants of a batch's activities at once (R13: one query for 2,000
        emails instead of one each), with their push failures, links and accounts."""
        wanted = {a for r in records if r is not None for a in _addresses(r)} - set(self._by_email)
        if not wanted:
            return
        rows = find_contacts_by_emails(self.conn, self.team_id, wanted)
        contacts = {key: to_core("contact", row) for key, row in rows.items()}
        ids = [contact.id for contact in contacts.values()]
        self._failed |= push_reads.failed_records(self.conn, self.team_id, "contact", ids)
        accounts = {c.account_id for c in contacts.values() if isinstance(c, Contact)}
        self.preload_links(
            [("contact", contact_id) for contact_id in ids]
            + [("account", account_id) for account_id in accounts if account_id is not None]
        )
        for address in wanted:
            contact = contacts.get(address)
            self._by_email[address] = contact if isinstance(contact, Contact) else None
            if isinstance(contact, Contact):
                self._records.setdefault(("contact", contact.id), contact)

    def _people(self, record: Record) -> dict[str, Person]:
        addresses = _addresses(record)
        if not addresses:
            return {}
        self.preload_people([record])
        failed = frozenset(self._failed)
        found = {address: self._by_email.get(address) for address in addresses}
        return {
            key: self.person(contact, failed)
            for key, contact in found.items()
            if isinstance(contact, Contact)
        }

    def _names(self, record: Record) -> dict[int, str]:
        ids = [getattr(record, name, None) for name in ("owner_id", "author_id")]
        wanted = [user_id for user_id in ids if isinstance(user_id, int)]
        return push_reads.user_names(self.conn, self.team_id, wanted)

    def stage_values(self) -> dict[str, dict[str, str | None]]:
        if self._stage_values is None:
            self._stage_values = push_reads.stage_values(self.conn, self.team_id)
        return self._stage_values


def _addresses(record: Record) -> list[str]:
    if isinstance(record, Email):
        found = [record.from_address, *record.to_addresses, *record.cc_addresses]
    elif isinstance(record, Meeting | Conversation):
        found = list(record.participants)
    else:
        return []
    return [address.lower() for address in found if address]
