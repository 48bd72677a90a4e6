"""Builders for planner tests: settings by dotted path, records, links and contexts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pushforce.core.records import (
    Account,
    Contact,
    Deal,
    Link,
    Person,
    PlanContext,
)
from pushforce.core.settings import PushSettings

TEAM = 7
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def sf_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce-shaped Id with the object's key prefix."""
    return f"{prefix}{number:015d}"


ACCOUNT_ID = sf_id("001", 1)
CONTACT_ID = sf_id("003", 1)
LEAD_ID = sf_id("00Q", 1)
OPP_ID = sf_id("006", 1)


def settings(**dotted: Any) -> PushSettings:
    """`settings(enabled=True, contacts__create_as="lead")` — `__` separates path parts."""
    document: dict[str, Any] = {}
    for path, value in dotted.items():
        *parents, leaf = path.split("__")
        node = document
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return PushSettings.model_validate(document)


ON = settings(enabled=True)


def account(**fields: Any) -> Account:
    values: dict[str, Any] = {"id": 1, "team_id": TEAM, "name": "Acme", "domain": "acme.com"}
    return Account(**{**values, **fields})


def contact(**fields: Any) -> Contact:
    values: dict[str, Any] = {
        "id": 2,
        "team_id": TEAM,
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@acme.com",
        "account_id": 1,
    }
    return Contact(**{**values, **fields})


def deal(**fields: Any) -> Deal:
    values: dict[str, Any] = {"id": 3, "team_id": TEAM, "name": "Big deal", "account_id": 1}
    return Deal(**{**values, **fields})


def link(sobject: str, sf: str, **pushed: object) -> Link:
    return Link(sobject, sf, pushed_values=pushed)


def own(kind: str, record_id: int, the_link: Link | None) -> dict[str, Link]:
    return {f"pf-{TEAM}-{kind}-{record_id}": the_link} if the_link is not None else {}


def person(
    the_contact: Contact | None = None,
    the_link: Link | None = None,
    with_account: bool = True,
    account_link: Link | None = None,
) -> Person:
    return Person(
        the_contact or contact(),
        the_link,
        account() if with_account else None,
        account_link,
    )


def ctx(**fields: Any) -> PlanContext:
    return PlanContext(**fields)
