"""The Salesforce half of the reconciliation checker: linked records read back in batches of Ids,
and a keyset scan of every record carrying a Pushforce external id (``Pushforce_Id__c``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from pushforce.app.check_report import (
    CROSS_TEAM,
    DUPLICATED,
    GONE,
    STALE,
    UNEXPECTED,
    CheckReport,
    Finding,
)
from pushforce.app.ports import Salesforce
from pushforce.core.lookups import soql_literal
from pushforce.store import check_queries as q
from pushforce.store import read_connection

EXTERNAL_ID = "Pushforce_Id__c"
SCANNED = ("Account", "Contact", "Lead", "Opportunity", "Task", "Event")
KEY_PREFIXES = {
    "001": "Account",
    "003": "Contact",
    "00Q": "Lead",
    "006": "Opportunity",
    "00T": "Task",
    "00U": "Event",
}
SCAN_PAGE = 2000
# Salesforce refuses ``WHERE Id IN (…)`` on these (a ContentDocumentId/LinkedEntityId filter is
# required): their links are not read back.
NOT_READ_BY_ID = frozenset({"ContentDocumentLink"})
_OURS = re.compile(r"^pf-(\d+)-")


def _in_list(values: Sequence[str]) -> str:
    return ", ".join(soql_literal(value) for value in values)


def _chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def existing_ids(sf: Salesforce, ids: Sequence[str]) -> set[str]:
    """The Ids among ``ids`` that exist and are not deleted (objects told by key prefix)."""
    found: set[str] = set()
    by_object: dict[str, list[str]] = {}
    for sf_id in ids:
        sobject = KEY_PREFIXES.get(sf_id[:3])
        if sobject is None:
            found.add(sf_id)  # an object the checker does not read: assume it is there
        else:
            by_object.setdefault(sobject, []).append(sf_id)
    for sobject, wanted in by_object.items():
        for chunk in _chunks(wanted, 200):
            rows = sf.query(f"SELECT Id FROM {sobject} WHERE Id IN ({_in_list(chunk)})")
            alive = {str(row["Id"])[:15] for row in rows}
            found |= {sf_id for sf_id in chunk if sf_id[:15] in alive}
    return found


# ---- linked records: do they exist, and do they hold what we pushed? --------------------------


class LinkChecker:
    def __init__(self, engine: Any, team_id: int, sf: Salesforce, report: CheckReport) -> None:
        self.engine, self.team_id, self.sf, self.report = engine, team_id, sf, report

    def run(self, page_size: int) -> None:
        after = 0
        while True:
            with read_connection(self.engine) as conn:
                page = q.links_page(conn, self.team_id, after, page_size)
            if not page:
                return
            self.report.links_checked += len(page)
            live = [
                link
                for link in page
                if link["state"] != "deleted" and link["sobject"] not in NOT_READ_BY_ID
            ]
            for sobject, group in groupby(sorted(live, key=_object), key=_object):
                self._check_object(sobject, list(group))
            after = page[-1]["id"]

    def _check_object(self, sobject: str, links: list[dict[str, Any]]) -> None:
        fields = self.sf.describe(sobject).fields
        pushed = {name for link in links for name in (link["pushed_values"] or {})}
        columns = sorted(name for name in pushed if name in fields and name != "Id")
        extra = [name for name in ("IsDeleted", "MasterRecordId", "IsConverted") if name in fields]
        select = ", ".join(["Id", *extra, *columns])
        ids = [_current_id(link) for link in links]
        soql = f"SELECT {select} FROM {sobject} WHERE Id IN ({_in_list(ids)})"
        rows = {str(row["Id"])[:15]: row for row in self.sf.query(soql, include_deleted=True)}
        for link in links:
            self._judge(link, rows.get(_current_id(link)[:15]), set(columns))

    def _judge(
        self, link: dict[str, Any], row: Mapping[str, Any] | None, columns: set[str]
    ) -> None:
        finding = _gone(link, row)
        if finding is not None:
            self.report.add(finding)
            return
        if link["state"] != "active" or row is None:
            return
        differ = [
            name
            for name, value in (link["pushed_values"] or {}).items()
            if name in columns and not same_value(value, row.get(name))
        ]
        if differ:
            detail = "; ".join(
                f"{name}: pushed {link['pushed_values'][name]!r}, Salesforce has {row.get(name)!r}"
                for name in sorted(differ)
            )
            self.report.add(_finding(STALE, detail, link))


def _object(link: dict[str, Any]) -> str:
    if link["state"] == "converted" and link["successor_id"]:
        return "Contact"
    return str(link["sobject"])


def _current_id(link: dict[str, Any]) -> str:
    if link["state"] in ("converted", "merged") and link["successor_id"]:
        return str(link["successor_id"])
    return str(link["sf_id"])


def _finding(category: str, detail: str, link: dict[str, Any]) -> Finding:
    return Finding(
        category,
        detail,
        link["external_id"],
        link["kind"],
        link["record_id"],
        link["sobject"],
        link["sf_id"],
    )


def _gone(link: dict[str, Any], row: Mapping[str, Any] | None) -> Finding | None:
    if row is None:
        return _finding(
            GONE, "not in Salesforce any more (deleted and emptied from the bin?)", link
        )
    if row.get("IsDeleted"):
        master = row.get("MasterRecordId")
        detail = f"merged into {master}" if master else "deleted in Salesforce"
        return _finding(GONE, detail + "; Pushforce follows at its next push (R14)", link)
    if row.get("IsConverted") and link["state"] == "active":
        return _finding(GONE, "converted in Salesforce; relinked at its next push (R14)", link)
    return None


def same_value(pushed: object, current: object) -> bool:
    """Pushed and read-back values agree, allowing for Salesforce's own renderings (numbers,
    15/18-character Ids, datetimes with or without milliseconds, email case)."""
    if pushed == current:
        return True
    if _number(pushed) and _number(current):
        return float(pushed) == float(current)  # type: ignore[arg-type]
    if isinstance(pushed, str) and isinstance(current, str):
        if _looks_like_id(pushed) and _looks_like_id(current):
            return pushed[:15] == current[:15]
        if "@" in pushed:
            return pushed.casefold() == current.casefold()
        return _same_moment(pushed, current)
    return False


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _looks_like_id(value: str) -> bool:
    return len(value) in (15, 18) and value.isalnum() and value[:3] in KEY_PREFIXES


def _same_moment(a: str, b: str) -> bool:
    try:
        return _moment(a) == _moment(b)
    except ValueError:
        return False


def _moment(text: str) -> datetime:
    cleaned = text.replace("Z", "+0000")
    for shape in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(cleaned, shape)
        except ValueError:
            continue
    raise ValueError(text)


# ---- every record carrying a Pushforce external id -------------------------------------------


def scan_external_ids(engine: Any, team_id: int, sf: Salesforce, report: CheckReport) -> None:
    with read_connection(engine) as conn:
        same_org = q.teams_sharing_org(conn, team_id)
    for sobject in SCANNED:
        if EXTERNAL_ID not in sf.describe(sobject).fields:
            continue
        for page in _external_id_pages(sf, sobject):
            report.salesforce_rows += len(page)
            _judge_page(engine, team_id, same_org, sobject, page, report)


def _external_id_pages(sf: Salesforce, sobject: str) -> Iterator[list[dict[str, Any]]]:
    """Rows with an external id starting ``pf-``, by external id; a page never splits the rows
    of one external id (so duplicates are always seen together)."""
    bound: str | None = None
    while True:
        where = f"{EXTERNAL_ID} LIKE 'pf-%'"
        if bound is not None:
            where += f" AND {EXTERNAL_ID} >= {soql_literal(bound)}"
        soql = (
            f"SELECT Id, {EXTERNAL_ID} FROM {sobject} WHERE {where} "
            f"ORDER BY {EXTERNAL_ID} LIMIT {SCAN_PAGE}"
        )
        rows = sf.query(soql)
        if len(rows) < SCAN_PAGE:
            if rows:
                yield rows
            return
        last = rows[-1][EXTERNAL_ID]
        complete = [row for row in rows if row[EXTERNAL_ID] != last]
        if not complete:
            raise RuntimeError(f"more than {SCAN_PAGE} {sobject} records carry {last}")
        yield complete
        bound = last


def _judge_page(
    engine: Any,
    team_id: int,
    same_org: set[int],
    sobject: str,
    rows: list[dict[str, Any]],
    report: CheckReport,
) -> None:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row[EXTERNAL_ID]), []).append(row)
    with read_connection(engine) as conn:
        known = q.links_by_external_id(conn, groups)
    for external_id, group in groups.items():
        matched = _OURS.match(external_id)
        if matched is None:
            continue
        owner = int(matched.group(1))
        ids = ", ".join(str(row["Id"]) for row in group)
        if owner != team_id:
            if owner not in same_org:
                detail = f"team {owner}'s write found in this team's org: {sobject} {ids}"
                report.add(Finding(CROSS_TEAM, detail, external_id, sobject=sobject))
            continue
        mine = [link for link in known.get(external_id, []) if link["team_id"] == team_id]
        _judge_group(sobject, external_id, group, mine[0] if mine else None, report)


def _judge_group(
    sobject: str,
    external_id: str,
    group: list[dict[str, Any]],
    link: dict[str, Any] | None,
    report: CheckReport,
) -> None:
    ids = ", ".join(str(row["Id"]) for row in group)
    if len(group) > 1:
        detail = f"{len(group)} {sobject} records carry one external id: {ids}"
        report.add(Finding(DUPLICATED, detail, external_id, sobject=sobject))
        return
    if link is None:
        detail = f"{sobject} {ids} carries this team's external id, Pushforce has no link"
        report.add(Finding(UNEXPECTED, detail, external_id, sobject=sobject, sf_id=ids))
        return
    if sobject != link["sobject"]:
        return  # a converted Lead's Contact keeps the Lead's mapped external id (R14)
    allowed = {str(x)[:15] for x in (link["sf_id"], link["successor_id"]) if x}
    if str(group[0]["Id"])[:15] not in allowed:
        detail = f"{sobject} {ids} carries the external id of the write linked to {link['sf_id']}"
        report.add(_finding(DUPLICATED, detail, link))


# ---- people created twice by us (orgs without Pushforce_Id__c have no other guard, R16) -------


def scan_person_emails(
    engine: Any, team_id: int, sf: Salesforce, report: CheckReport, page_size: int
) -> None:
    """An email with two or more unconverted Leads/Contacts created by Pushforce's user."""
    with read_connection(engine) as conn:
        user = q.connection_user(conn, team_id)
    if user is None:
        return
    after = 0
    while True:
        with read_connection(engine) as conn:
            page = q.contact_emails_page(conn, team_id, after, page_size)
        if not page:
            return
        emails = sorted({email.lower() for _, email in page})
        _judge_emails(sf, user, emails, report)
        after = page[-1][0]


def _judge_emails(sf: Salesforce, user: str, emails: list[str], report: CheckReport) -> None:
    found: dict[str, list[str]] = {}
    for sobject, extra in (("Contact", ""), ("Lead", " AND IsConverted = false")):
        soql = (
            f"SELECT Id, Email FROM {sobject} WHERE Email IN ({_in_list(emails)}) "
            f"AND CreatedById = {soql_literal(user)}{extra}"
        )
        for row in sf.query(soql):
            found.setdefault(str(row["Email"]).lower(), []).append(f"{sobject} {row['Id']}")
    for email, records in sorted(found.items()):
        if len(records) > 1:
            detail = f"{email} was created {len(records)} times by Pushforce: {', '.join(records)}"
            report.add(Finding(DUPLICATED, detail))
