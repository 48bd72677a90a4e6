"""Record + field map → Salesforce payload (R3, R7, R8, R15).

`sources_*` turn a record into its Pushforce field values (with the guessed-email policy and
stage maps applied); `create_payload` and `update_writes` apply the field map's write modes.
Blank Pushforce values are never written, so they never blank a Salesforce field (R15).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol

from pushforce.core.decisions import Writes
from pushforce.core.records import Account, Contact, Deal, Link, PlanContext
from pushforce.core.settings import PushSettings, WriteMode

NOT_PROVIDED = "[not provided]"  # R3: a Lead's Company when the contact has no account
DESCRIPTION_MAX = 32_000

Sources = Mapping[str, object]


class FieldMap(Protocol):
    @property
    def field(self) -> str: ...
    @property
    def salesforce_field(self) -> str: ...
    @property
    def mode(self) -> WriteMode: ...


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def salesforce_value(value: object) -> object:
    """A JSON-ready Salesforce value: dates `yyyy-MM-dd`, datetimes UTC ISO, decimals as numbers."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def email_to_write(contact: Contact, push_guessed: bool) -> str | None:
    """R7: `unavailable` is no email; `guessed` only with push_guessed_emails."""
    if contact.email_status == "unavailable":
        return None
    if contact.email_status == "guessed" and not push_guessed:
        return None
    return contact.email.strip() if contact.email else None


def _stage_value(
    obj: str, stage: str | None, mapped: Mapping[str, str], ctx: PlanContext
) -> str | None:
    if stage is None:
        return None
    return mapped.get(stage) or ctx.stage_values.get(obj, {}).get(stage) or stage


def sources_of_contact(
    contact: Contact, settings: PushSettings, ctx: PlanContext
) -> dict[str, object]:
    account = ctx.account
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "title": contact.title,
        "email": email_to_write(contact, settings.contacts.push_guessed_emails),
        "phone": contact.phone,
        "mobile_phone": contact.mobile_phone,
        "stage": _stage_value("contact", contact.stage, settings.stages.contact, ctx),
        "account_name": account.name if account is not None else None,
        **_custom(contact.custom),
    }


def sources_of_account(account: Account, ctx: PlanContext) -> dict[str, object]:
    return {
        "name": account.name,
        "domain": account.domain,
        "website": account.website,
        "phone": account.phone,
        "industry": account.industry,
        "employees": account.employees,
        "stage": _stage_value("account", account.stage, {}, ctx),
        **_custom(account.custom),
    }


def sources_of_deal(deal: Deal, settings: PushSettings, ctx: PlanContext) -> dict[str, object]:
    return {
        "name": deal.name,
        "amount": deal.amount,
        "close_date": deal.close_date,
        "stage": _stage_value("deal", deal.stage, settings.stages.deal, ctx),
        **_custom(deal.custom),
    }


def _custom(custom: Mapping[str, object]) -> dict[str, object]:
    return {f"custom.{key}": value for key, value in custom.items()} if custom else {}


def create_payload(sources: Sources, field_map: Sequence[FieldMap]) -> dict[str, object]:
    """Every mapped, non-blank value except `never` fields: Salesforce is empty on create."""
    payload: dict[str, object] = {}
    for mapping in field_map:
        value = sources.get(mapping.field)
        if mapping.mode != "never" and not is_blank(value):
            payload[mapping.salesforce_field] = salesforce_value(value)
    return payload


def update_writes(sources: Sources, field_map: Sequence[FieldMap], link: Link | None) -> Writes:
    """R15: only non-blank mapped values that changed since the last successful push.

    `overwrite` fields go when they differ from what was last pushed; `fill_if_empty` fields go
    (conditionally) while we never pushed them; `create_only` and `never` fields never go.
    """
    pushed = link.pushed_values if link is not None else {}
    overwrite: dict[str, object] = {}
    fill: dict[str, object] = {}
    for mapping in field_map:
        value = sources.get(mapping.field)
        if mapping.mode in ("create_only", "never") or is_blank(value):
            continue
        value = salesforce_value(value)
        target = mapping.salesforce_field
        if mapping.mode == "overwrite" and pushed.get(target) != value:
            overwrite[target] = value
        elif mapping.mode == "fill_if_empty" and target not in pushed:
            fill[target] = value
    return Writes(overwrite, fill)


def changed_fields(values: Mapping[str, object], link: Link | None) -> dict[str, object]:
    """The fixed (non-mapped) values that differ from the link's last pushed values."""
    pushed = link.pushed_values if link is not None else {}
    return {
        key: value
        for key, value in values.items()
        if not is_blank(value) and pushed.get(key) != value
    }


def note_content(text: str | None) -> str:
    """ContentNote `Content`: base64 of HTML-escaped text, line breaks as <br>."""
    escaped = html.escape(text or "").replace("\r\n", "\n").replace("\n", "<br>")
    return base64.b64encode(escaped.encode("utf-8")).decode("ascii")


def clip(text: str | None, limit: int = DESCRIPTION_MAX) -> str | None:
    return None if text is None else text[:limit]
