"""Record input models: the single validation of record input for the REST API and CSV import.

One pydantic v2 model per record kind of ``docs/records.md`` for *create* (``AccountIn`` …
``ConversationIn``) and one for *update* (``AccountPatch`` …, every field optional: a field that
is absent stays unchanged, an explicit ``null`` clears it — refused for fields that cannot be
empty, such as a contact's ``last_name``). ``KIND_MODELS`` maps each kind to
``(create_model, patch_model)``. Use ``model.model_dump(exclude_unset=True)`` for a patch.

What the models guarantee (and the store relies on):

* unknown fields are rejected (``extra="forbid"``); strings are trimmed and capped at the length
  of the Salesforce field they are pushed to (LastName 80, FirstName 40, Email 80, Title 128,
  Account Name 255, Opportunity Name 120, Phone 40, Website 255, Subject 255, Description 32,000);
* emails are syntactically valid and lower-cased; enums are the vocabulary's values;
* dates are ``date``; timestamps are timezone-aware UTC (one without an offset is read as UTC);
* ``stage`` is a stage *name*; whether the team has such a stage is the store's check;
* an account's ``domain`` is derived from ``website`` when not given.

Rules across fields (a meeting ends after it starts, …) raise ``FieldRuleError``, a
``ValueError`` that names the field; ``error_location(error)`` gives the full location of any
pydantic error dict, so API and CSV reports name the field either way. A patch is checked field
by field; ``check_update(kind, current, changes)`` checks the record it would leave.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)

from pushforce.email_domains import remember_checked_domains

__all__ = [
    "KIND_MODELS",
    "AccountIn",
    "AccountPatch",
    "CallIn",
    "CallPatch",
    "ContactIn",
    "ContactPatch",
    "ConversationIn",
    "ConversationPatch",
    "DealContactIn",
    "DealIn",
    "DealPatch",
    "EmailIn",
    "EmailPatch",
    "FieldRuleError",
    "MeetingIn",
    "MeetingPatch",
    "NoteIn",
    "NotePatch",
    "TaskIn",
    "TaskPatch",
    "check_update",
    "domain_from_website",
    "error_location",
]


class FieldRuleError(ValueError):
    """A rule across fields was broken; ``field`` is the field the message is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def error_location(error: Any) -> tuple[str | int, ...]:
    """The location of one pydantic error dict, extended by a ``FieldRuleError``'s field."""
    location = tuple(error.get("loc", ()))
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldRuleError):
        return (*location, cause.field)
    return location


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _no_nul(value: str) -> str:
    if "\x00" in value:  # PostgreSQL text cannot hold NUL, and no Salesforce field takes one
        raise ValueError("must not contain NUL characters")
    return value


NO_NUL = AfterValidator(_no_nul)


def _text(max_length: int, min_length: int = 0) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Required80 = Annotated[str, _text(80, 1), NO_NUL]
Required120 = Annotated[str, _text(120, 1), NO_NUL]
Required255 = Annotated[str, _text(255, 1), NO_NUL]
Text40 = Annotated[str, _text(40), NO_NUL]
Text128 = Annotated[str, _text(128), NO_NUL]
Text255 = Annotated[str, _text(255), NO_NUL]
Text3000 = Annotated[str, _text(3000), NO_NUL]
LongText = Annotated[str, _text(32_000), NO_NUL]  # Salesforce Description / Body (textarea 32,000)
RequiredLongText = Annotated[str, _text(32_000, 1), NO_NUL]
# An email body is kept whole; it is cut to 32,000 when pushed as a Task Description.
EmailBody = Annotated[str, _text(1_000_000), NO_NUL]
Phone = Text40
StageName = Required255
remember_checked_domains()  # an import validates many addresses of few domains
Email = Annotated[EmailStr, StringConstraints(max_length=80), AfterValidator(str.lower)]
Timestamp = Annotated[datetime, AfterValidator(_utc)]
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
CustomKey = Annotated[str, StringConstraints(min_length=1, max_length=80), NO_NUL]


def _custom_value(value: Any) -> Any:
    if isinstance(value, str):
        return _no_nul(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    raise ValueError("a custom field value must be text, a number, true/false or null")


CustomValue = Annotated[Any, AfterValidator(_custom_value)]
Custom = Annotated[dict[CustomKey, CustomValue], Field(max_length=200)]
Addresses = Annotated[list[Email], Field(max_length=500)]
Amount = Annotated[Decimal, Field(max_digits=18, decimal_places=2, allow_inf_nan=False)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---- accounts and contacts -------------------------------------------------------------------


def domain_from_website(website: str) -> str | None:
    """The lower-cased host of ``website`` without ``www.`` (``None`` when there is no host)."""
    candidate = website.strip()
    if "://" not in candidate:
        candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    if not host or "." not in host or _is_ip(host):
        return None
    return host.lower().rstrip(".").removeprefix("www.")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _valid_label(label: str) -> bool:
    return (
        0 < len(label) <= 63
        and not label.startswith("-")
        and not label.endswith("-")
        and all(ch.isalnum() or ch == "-" for ch in label)
    )


def _valid_domain(value: str) -> str:
    domain = value.lower().strip().rstrip(".").removeprefix("www.")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_valid_label(label) for label in labels) or _is_ip(domain):
        raise ValueError("must be a domain name such as example.com")
    return domain


def _valid_website(value: str) -> str:
    if value and domain_from_website(value) is None:
        raise ValueError("must be a web address such as https://example.com")
    return value


Domain = Annotated[str, StringConstraints(max_length=255), AfterValidator(_valid_domain)]
Website = Annotated[Text255, AfterValidator(_valid_website)]


def _derive_domain(data: Any) -> Any:
    """Fill ``domain`` from ``website`` when the input does not mention ``domain``."""
    if isinstance(data, dict) and "domain" not in data and isinstance(data.get("website"), str):
        derived = domain_from_website(data["website"])
        if derived is not None:
            return {**data, "domain": derived}
    return data


class AccountIn(_Input):
    name: Required255
    domain: Domain | None = None
    website: Website | None = None
    phone: Phone | None = None
    industry: Text255 | None = None
    employees: Annotated[int, Field(ge=0, le=99_999_999)] | None = None
    stage: StageName | None = None
    owner_id: RecordId | None = None
    saved: bool = False
    custom: Custom = Field(default_factory=dict)

    _derive = model_validator(mode="before")(_derive_domain)


class ContactIn(_Input):
    first_name: Text40 | None = None
    last_name: Required80
    title: Text128 | None = None
    email: Email | None = None
    email_status: Literal["verified", "guessed", "unavailable"] | None = Field(
        default=None, description="Defaults to `verified` with an email, `unavailable` without."
    )
    phone: Phone | None = None
    mobile_phone: Phone | None = None
    account_id: RecordId | None = None
    stage: StageName | None = None
    owner_id: RecordId | None = None
    saved: bool = False
    origin: Literal["created", "imported", "api"] = "api"
    custom: Custom = Field(default_factory=dict)

    @model_validator(mode="after")
    def _email_status_matches_email(self) -> ContactIn:
        if self.email_status is None:
            self.email_status = "verified" if self.email else "unavailable"
        elif self.email_status != "unavailable" and not self.email:
            raise FieldRuleError("email_status", f"'{self.email_status}' needs an email")
        elif self.email_status == "unavailable" and self.email:
            raise FieldRuleError("email_status", "'unavailable' means the contact has no email")
        return self


# ---- deals -----------------------------------------------------------------------------------


class DealContactIn(_Input):
    contact_id: RecordId
    role: Text40 | None = None  # OpportunityContactRole.Role (picklist, 40)


def _distinct_contacts(contacts: list[DealContactIn]) -> list[DealContactIn]:
    ids = [c.contact_id for c in contacts]
    if len(ids) != len(set(ids)):
        raise ValueError("a contact may appear only once in a deal's contacts")
    return contacts


DealContacts = Annotated[
    list[DealContactIn], Field(max_length=500), AfterValidator(_distinct_contacts)
]


class DealIn(_Input):
    name: Required120
    account_id: RecordId | None = None
    amount: Amount | None = None
    stage: StageName | None = None
    close_date: date | None = None
    owner_id: RecordId | None = None
    custom: Custom = Field(default_factory=dict)
    contacts: DealContacts = Field(default_factory=list)


# ---- activities ------------------------------------------------------------------------------


class EmailIn(_Input):
    direction: Literal["outgoing", "incoming"]
    sent_in_app: bool = False
    reply_to_app_email: bool = False
    from_address: Email
    to_addresses: Annotated[list[Email], Field(min_length=1, max_length=500)]
    cc_addresses: Addresses = Field(default_factory=list)
    subject: Text3000 = ""  # EmailMessage.Subject; the push template cuts it to 255
    body: EmailBody = ""
    sent_at: Timestamp
    owner_id: RecordId | None = None

    @model_validator(mode="after")
    def _flags_match_direction(self) -> EmailIn:
        if self.sent_in_app and self.direction != "outgoing":
            raise FieldRuleError("sent_in_app", "applies only to outgoing emails")
        if self.reply_to_app_email and self.direction != "incoming":
            raise FieldRuleError("reply_to_app_email", "applies only to incoming emails")
        return self


class NoteIn(_Input):
    title: Text255 = ""  # ContentNote.Title
    body: RequiredLongText
    contact_id: RecordId | None = None
    account_id: RecordId | None = None
    deal_id: RecordId | None = None
    author_id: RecordId | None = None


class TaskIn(_Input):
    task_type: Literal["call", "email", "action_item", "other"] = "action_item"
    title: Required255
    description: LongText | None = None
    due_date: date | None = None
    status: Literal["open", "completed"] = "open"
    priority: Literal["high", "normal", "low"] = "normal"
    contact_id: RecordId | None = None
    account_id: RecordId | None = None
    owner_id: RecordId | None = None


class CallIn(_Input):
    direction: Literal["outbound", "inbound"]
    duration_seconds: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0
    disposition: Text255 | None = None  # Task.CallDisposition
    purpose: Text255 | None = None
    notes: LongText | None = None
    contact_id: RecordId | None = None
    owner_id: RecordId | None = None
    started_at: Timestamp


MAX_MEETING_SECONDS = 14 * 24 * 3600  # a Salesforce Event lasts at most 14 days


class MeetingIn(_Input):
    source: Literal["scheduled_in_app", "calendar"]
    title: Required255
    starts_at: Timestamp
    ends_at: Timestamp
    location: Text255 | None = None
    description: LongText | None = None
    participants: Addresses = Field(default_factory=list)
    owner_id: RecordId | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> MeetingIn:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        if seconds < 0:
            raise FieldRuleError("ends_at", "must not be before starts_at")
        if seconds > MAX_MEETING_SECONDS:
            raise FieldRuleError("ends_at", "a meeting lasts at most 14 days (Salesforce Event)")
        return self


class ConversationIn(_Input):
    title: Required255
    summary: LongText = ""
    participants: Addresses = Field(default_factory=list)
    deal_id: RecordId | None = None
    occurred_at: Timestamp


# ---- patches ---------------------------------------------------------------------------------


def _patch_field(info: Any) -> tuple[Any, Any]:
    """Optional in a patch; ``null`` accepted only where the create model accepts it.

    A non-nullable field keeps its own type with a ``None`` default: pydantic does not validate
    defaults, so leaving it out is fine and an explicit ``null`` is rejected at its path.
    """
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return (annotation, Field(default=None, description=info.description))


def _make_patch_model(create: type[BaseModel], before: Any = None) -> type[BaseModel]:
    fields = {name: _patch_field(info) for name, info in create.model_fields.items()}
    validators = {"_before": model_validator(mode="before")(before)} if before else None
    return create_model(  # type: ignore[call-overload,no-any-return]
        create.__name__.removesuffix("In") + "Patch",
        __base__=_Input,
        __validators__=validators,
        **fields,
    )


AccountPatch = _make_patch_model(AccountIn, before=_derive_domain)
ContactPatch = _make_patch_model(ContactIn)
DealPatch = _make_patch_model(DealIn)
EmailPatch = _make_patch_model(EmailIn)
NotePatch = _make_patch_model(NoteIn)
TaskPatch = _make_patch_model(TaskIn)
CallPatch = _make_patch_model(CallIn)
MeetingPatch = _make_patch_model(MeetingIn)
ConversationPatch = _make_patch_model(ConversationIn)

KIND_MODELS: dict[str, tuple[type[BaseModel], type[BaseModel]]] = {
    "account": (AccountIn, AccountPatch),
    "contact": (ContactIn, ContactPatch),
    "deal": (DealIn, DealPatch),
    "email": (EmailIn, EmailPatch),
    "note": (NoteIn, NotePatch),
    "task": (TaskIn, TaskPatch),
    "call": (CallIn, CallPatch),
    "meeting": (MeetingIn, MeetingPatch),
    "conversation": (ConversationIn, ConversationPatch),
}


def check_update(kind: str, current: dict[str, Any], changes: dict[str, Any]) -> None:
    """Validate the whole record an update would leave, rules across fields included (a patch
    alone is checked field by field); raises ``pydantic.ValidationError`` located at fields."""
    create = KIND_MODELS[kind][0]
    merged = {name: current[name] for name in create.model_fields if name in current}
    create.model_validate({**merged, **changes})
