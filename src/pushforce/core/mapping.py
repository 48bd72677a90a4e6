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


_PLAIN = frozenset({str, int, float, bool, type(None)})


def is_blank(value: object) -> bool:
    return value is None or (value.__class__ is str and not value.strip())  # type: ignore[attr-defined,unused-ignore]


def salesforce_value(value: object) -> object:
    """A JSON-ready Salesforce value: dates `yyyy-MM-dd`, datetimes UTC ISO, decimals as numbers."""
    if value.__class__ in _PLAIN:
        return value
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
    """Settings' stage map first, then the team stage's own Salesforce value (None there means
    "write nothing"), else the stage's name ("same names")."""
    if stage is None:
        return None
    if stage in mapped:
        return mapped[stage]
    team_values = ctx.stage_values.get(obj)
    if team_values is not None and stage in team_values:
        return team_values[stage]
    return stage


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


Compiled = tuple[tuple[str, str, WriteMode], ...]
_COMPILED: dict[int, tuple[Sequence[FieldMap], Compiled]] = {}


def compiled_map(field_map: Sequence[FieldMap]) -> Compiled:
    """(source, target, mode) triples of a field map, cached per settings object (hot path)."""
    cached = _COMPILED.get(id(field_map))
    if cached is not None and cached[0] is field_map:
        return cached[1]
    triples = tuple((m.field, m.salesforce_field, m.mode) for m in field_map)
    if len(_COMPILED) > 256:
        _COMPILED.clear()
    _COMPILED[id(field_map)] = (field_map, triples)  # holding field_map keeps its id unique
    return triples


def _present(sources: Sources, field_map: Sequence[FieldMap]) -> list[tuple[str, str, object]]:
    """(target, mode, Salesforce value) of every mapped non-blank value, `never` left out."""
    present: list[tuple[str, str, object]] = []
    for source, target, mode in compiled_map(field_map):
        value = sources.get(source)
        if mode == "never" or value is None:
            continue
        if value.__class__ is str:
            if not value.strip():  # type: ignore[attr-defined,unused-ignore]
                continue
        else:
            value = salesforce_value(value)
        present.append((target, mode, value))
    return present


def create_payload(sources: Sources, field_map: Sequence[FieldMap]) -> dict[str, object]:
    """Every mapped, non-blank value except `never` fields: Salesforce is empty on create."""
    return {target: value for target, _, value in _present(sources, field_map)}


def update_writes(sources: Sources, field_map: Sequence[FieldMap], link: Link | None) -> Writes:
    """R15: only non-blank mapped values that changed since the last successful push.

    `overwrite` fields go when they differ from what was last pushed; `fill_if_empty` fields go
    (conditionally) while we never pushed them; `create_only` and `never` fields never go.
    """
    return _writes(_present(sources, field_map), pushed_to_current(link))


def pushed_to_current(link: Link | None) -> Mapping[str, object]:
    """What Salesforce's current record holds from us. After a merge or a conversion (R14) the
    values pushed to the old record say nothing about the one the link moves to: all mapped
    values go there (as ``store.links.save_link`` forgets them once it moved)."""
    if link is None or link.current != (link.sobject, link.sf_id):
        return {}
    return link.pushed_values


def _writes(present: list[tuple[str, str, object]], pushed: Mapping[str, object]) -> Writes:
    overwrite: dict[str, object] = {}
    fill: dict[str, object] = {}
    for target, mode, value in present:
        if mode == "overwrite":
            if pushed.get(target) != value:
                overwrite[target] = value
        elif mode == "fill_if_empty" and target not in pushed:
            fill[target] = value
    return Writes(overwrite, fill)


def create_and_match(
    sources: Sources, field_map: Sequence[FieldMap]
) -> tuple[dict[str, object], Writes]:
    """The create payload and the writes for a matched record (R6), in one pass."""
    present = _present(sources, field_map)
    return {target: value for target, _, value in present}, _writes(present, {})


def changed_fields(values: Mapping[str, object], link: Link | None) -> dict[str, object]:
    """The fixed (non-mapped) values that differ from the link's last pushed values."""
    pushed = pushed_to_current(link)
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
