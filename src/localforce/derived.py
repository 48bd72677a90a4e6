"""Fields Salesforce computes on save: names, defaults, Opportunity stage facts, activity facts.

Each function takes the merged record (old values overlaid with the new ones) and returns the
fields to overwrite; `org` applies them after validation.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from localforce.schema_picklists import CLOSED_TASK_STATUSES, OPPORTUNITY_STAGES
from localforce.values import format_datetime, parse_datetime

if TYPE_CHECKING:
    from localforce.org import Org

Record = dict[str, Any]


def full_name(record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    parts = [record.get("FirstName"), record.get("LastName")]
    return {"Name": " ".join(p for p in parts if p) or None}


def opportunity_stage(record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    stage = OPPORTUNITY_STAGES.get(record.get("StageName") or "")
    derived: Record = {}
    if stage is not None:
        probability, closed, won, forecast = stage
        derived.update(IsClosed=closed, IsWon=won)
        if "StageName" in changes and "Probability" not in changes:
            derived["Probability"] = probability
        if "StageName" in changes and "ForecastCategoryName" not in changes:
            derived["ForecastCategoryName"] = forecast
    amount = record.get("Amount")
    chance = derived.get("Probability", record.get("Probability"))
    if amount is not None and chance is not None:
        derived["ExpectedRevenue"] = round(amount * chance / 100, 2)
    return derived


def activity_account(record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    """AccountId: the What's account (Account, or an Opportunity's), else the Who contact's."""
    what = org.get(record["WhatId"]) if record.get("WhatId") else None
    if what is not None:
        if what["Id"].startswith("001"):
            return {"AccountId": what["Id"]}
        if what["Id"].startswith("006"):
            return {"AccountId": what.get("AccountId")}
    who = org.get(record["WhoId"]) if record.get("WhoId") else None
    if who is not None and who["Id"].startswith("003"):
        return {"AccountId": who.get("AccountId")}
    return {"AccountId": None}


def task_status(record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    closed = record.get("Status") in CLOSED_TASK_STATUSES
    derived: Record = {"IsClosed": closed, "IsHighPriority": record.get("Priority") == "High"}
    if closed and not record.get("CompletedDateTime"):
        derived["CompletedDateTime"] = format_datetime(org.now())
    if not closed:
        derived["CompletedDateTime"] = None
    return derived


def event_times(record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    """Keep start, end, duration and ActivityDate of an Event consistent."""
    if record.get("IsAllDayEvent") and record.get("ActivityDate"):
        return _all_day(record["ActivityDate"])
    start_text = (
        changes.get("StartDateTime")
        or changes.get("ActivityDateTime")
        or record.get("StartDateTime")
    )
    start = parse_datetime(start_text) if start_text else None
    if start is None:
        return {}
    derived: Record = {
        "StartDateTime": format_datetime(start),
        "ActivityDateTime": format_datetime(start),
    }
    if not record.get("IsAllDayEvent"):
        derived["ActivityDate"] = start.date().isoformat()
    end_text = changes.get("EndDateTime")
    if end_text and "DurationInMinutes" not in changes:
        end = parse_datetime(end_text)
        if end is not None:
            derived["DurationInMinutes"] = int((end - start).total_seconds() // 60)
    elif record.get("DurationInMinutes") is not None:
        end = start + timedelta(minutes=record["DurationInMinutes"])
        derived["EndDateTime"] = format_datetime(end)
    return derived


def _all_day(day: str) -> Record:
    """An all-day event spans its ActivityDate: midnight GMT for 1,440 minutes."""
    start = parse_datetime(f"{day}T00:00:00Z")
    assert start is not None
    return {
        "StartDateTime": format_datetime(start),
        "ActivityDateTime": format_datetime(start),
        "DurationInMinutes": 1440,
        "EndDateTime": format_datetime(start + timedelta(days=1)),
    }


def note_content(record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    raw = base64.b64decode(record.get("Content") or "")
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw.decode("utf-8", "replace")))
    preview = " ".join(text.split())[:255]
    return {"FileType": "SNOTE", "TextPreview": preview or None, "ContentSize": len(raw)}


DERIVATIONS: dict[str, list[Callable[[Record, Mapping[str, Any], Org], Record]]] = {
    "contact": [full_name],
    "lead": [full_name],
    "user": [full_name],
    "opportunity": [opportunity_stage],
    "task": [activity_account, task_status],
    "event": [activity_account, event_times],
    "contentnote": [note_content],
}


def derive(object_name: str, record: Record, changes: Mapping[str, Any], org: Org) -> Record:
    for derivation in DERIVATIONS.get(object_name.lower(), ()):
        record.update(derivation(record, changes, org))
    return record
