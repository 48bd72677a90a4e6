"""Record value types of the pure core (docs/records.md names), links, and the planner's context.

Records are immutable snapshots the store hands to the planner. Stages are referred to by name.
A `Link` says a Pushforce record (or one Salesforce write made for it, e.g. one Task per person)
is in Salesforce; `PlanContext` is everything the planner may look at besides the record itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal, TypeAlias

RecordKind: TypeAlias = Literal[
    "account", "contact", "deal", "email", "note", "task", "call", "meeting", "conversation"
]
EmailStatus: TypeAlias = Literal["verified", "guessed", "unavailable"]
Origin: TypeAlias = Literal["created", "imported", "api"]
LinkState: TypeAlias = Literal["active", "deleted", "merged", "converted"]


@dataclass(frozen=True, slots=True)
class RecordRef:
    """Identifies one Pushforce record; `external_id` is what it is pushed with (R16)."""

    team_id: int
    kind: RecordKind
    id: int

    @property
    def external_id(self) -> str:
        return f"pf-{self.team_id}-{self.kind}-{self.id}"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    team_id: int
    name: str
    domain: str | None = None
    website: str | None = None
    phone: str | None = None
    industry: str | None = None
    employees: int | None = None
    stage: str | None = None
    owner_id: int | None = None
    saved: bool = True
    custom: Mapping[str, object] = field(default_factory=dict)
    kind: ClassVar[Literal["account"]] = "account"


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    team_id: int
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    email: str | None = None
    email_status: EmailStatus = "verified"
    phone: str | None = None
    mobile_phone: str | None = None
    account_id: int | None = None
    stage: str | None = None
    owner_id: int | None = None
    saved: bool = True
    origin: Origin = "created"
    custom: Mapping[str, object] = field(default_factory=dict)
    kind: ClassVar[Literal["contact"]] = "contact"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True, slots=True)
class DealContact:
    contact_id: int
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    team_id: int
    name: str
    account_id: int | None = None
    amount: Decimal | None = None
    stage: str | None = None
    close_date: date | None = None
    owner_id: int | None = None
    contacts: tuple[DealContact, ...] = ()
    custom: Mapping[str, object] = field(default_factory=dict)
    kind: ClassVar[Literal["deal"]] = "deal"


@dataclass(frozen=True, slots=True)
class Email:
    id: int
    team_id: int
    direction: Literal["outgoing", "incoming"]
    sent_in_app: bool = False
    reply_to_app_email: bool = False
    from_address: str | None = None
    to_addresses: tuple[str, ...] = ()
    cc_addresses: tuple[str, ...] = ()
    subject: str | None = None
    body: str | None = None
    sent_at: datetime | None = None
    owner_id: int | None = None
    kind: ClassVar[Literal["email"]] = "email"


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    team_id: int
    body: str | None = None
    title: str | None = None
    contact_id: int | None = None
    account_id: int | None = None
    deal_id: int | None = None
    author_id: int | None = None
    created_at: datetime | None = None
    kind: ClassVar[Literal["note"]] = "note"


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    team_id: int
    task_type: Literal["call", "email", "action_item", "other"] = "action_item"
    title: str | None = None
    description: str | None = None
    due_date: date | None = None
    status: Literal["open", "completed"] = "open"
    priority: Literal["high", "normal", "low"] = "normal"
    contact_id: int | None = None
    account_id: int | None = None
    owner_id: int | None = None
    kind: ClassVar[Literal["task"]] = "task"


@dataclass(frozen=True, slots=True)
class Call:
    id: int
    team_id: int
    direction: Literal["outbound", "inbound"] = "outbound"
    duration_seconds: int | None = None
    disposition: str | None = None
    purpose: str | None = None
    notes: str | None = None
    contact_id: int | None = None
    owner_id: int | None = None
    started_at: datetime | None = None
    kind: ClassVar[Literal["call"]] = "call"


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    team_id: int
    source: Literal["scheduled_in_app", "calendar"] = "scheduled_in_app"
    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    description: str | None = None
    participants: tuple[str, ...] = ()
    owner_id: int | None = None
    kind: ClassVar[Literal["meeting"]] = "meeting"


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    team_id: int
    title: str | None = None
    summary: str | None = None
    participants: tuple[str, ...] = ()
    deal_id: int | None = None
    occurred_at: datetime | None = None
    kind: ClassVar[Literal["conversation"]] = "conversation"


Activity: TypeAlias = Email | Note | Task | Call | Meeting | Conversation
Record: TypeAlias = Account | Contact | Deal | Activity


def ref_of(record: Record) -> RecordRef:
    return RecordRef(record.team_id, record.kind, record.id)


@dataclass(frozen=True, slots=True)
class Link:
    """A Pushforce record (or one write made for it) that is in Salesforce.

    `pushed_values` holds the Salesforce field values of the last successful push (R15).
    `state` is what Salesforce last told us about the record (R14): `deleted` (the link is a
    tombstone: never re-created automatically), `merged` (`successor_id` is the surviving master),
    `converted` (a Lead whose `successor_id` is its Contact, `converted_account_id` its Account).
    """

    sobject: str
    sf_id: str
    pushed_values: Mapping[str, object] = field(default_factory=dict)
    pushed_at: datetime | None = None
    state: LinkState = "active"
    successor_id: str | None = None
    converted_account_id: str | None = None

    @property
    def is_live(self) -> bool:
        return self.state != "deleted"

    @property
    def current(self) -> tuple[str, str]:
        """(object, Id) the record lives at now, following merges and conversions."""
        if self.state == "converted" and self.successor_id:
            return "Contact", self.successor_id
        if self.state == "merged" and self.successor_id:
            return self.sobject, self.successor_id
        return self.sobject, self.sf_id


@dataclass(frozen=True, slots=True)
class Person:
    """A Pushforce contact with its link (None when net new) and its account, as the planner
    sees a person (a participant of an activity, a deal's contact).

    `push_failed`: its own push failed permanently, so an activity does not wait for it (R13).
    """

    contact: Contact
    link: Link | None = None
    account: Account | None = None
    account_link: Link | None = None
    push_failed: bool = False


@dataclass(frozen=True, slots=True)
class PlanContext:
    """Everything the planner may read besides the record: links and related records.

    * `own` — links of the record itself, keyed by the external id of each write
      (`pf-<team>-<kind>-<id>` for the record, `…-p<contact id>` per person for activities,
      `…-ocr-<contact id>` for a deal's contact roles, `…-cdl-<Salesforce Id>` for note links).
    * `account` / `account_link` — the related account (a contact's, deal's or activity's).
    * `people` — persons resolved by email address (lower-case) for emails and meetings.
    * `contacts` — persons by contact id (a deal's contacts, a note's, task's or call's contact).
    * `deal` / `deal_link` — the related deal.
    * `names` — display names of users by id (owner, sender) for title templates.
    * `stage_values` — Salesforce value of each team stage, by object then stage name
      (None: the stage writes nothing, e.g. a contact stage that has no Lead Status).
    """

    own: Mapping[str, Link] = field(default_factory=dict)
    account: Account | None = None
    account_link: Link | None = None
    people: Mapping[str, Person] = field(default_factory=dict)
    contacts: Mapping[int, Person] = field(default_factory=dict)
    deal: Deal | None = None
    deal_link: Link | None = None
    names: Mapping[int, str] = field(default_factory=dict)
    stage_values: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)


EMPTY_CONTEXT = PlanContext()
