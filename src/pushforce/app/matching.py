"""Run the batched look-ups of a batch and resolve each `MatchThenLinkOrCreate` (R5, R6).

The rows of every query are kept per (object, look-up kind); each match keeps only the rows
that really answer its key (`row_matches`) and `core.matches` picks the record, never at random.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pushforce.app.failures import outcome_of
from pushforce.app.ports import Salesforce
from pushforce.core.decisions import AccountLookup, MatchThenLinkOrCreate, PersonLookup
from pushforce.core.lookups import LookupBy, LookupQuery, plan_lookups, row_matches
from pushforce.core.matches import Candidate, Resolution, resolve_account, resolve_person
from pushforce.core.outcomes import Operation, Outcome

Rows = dict[tuple[str, LookupBy], list[dict[str, Any]]]
# Chunked look-ups of one object cheaper than this are sent as they are: a COUNT() (one call)
# plus a scan (at least one page) could not save anything.
SCAN_WORTH_COUNTING = 2

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LookupFailed:
    """A look-up this match needs did not answer; the match is retried like the call."""

    outcome: Outcome


def resolve_matches(
    sf: Salesforce, matches: Sequence[MatchThenLinkOrCreate]
) -> dict[str, Resolution | LookupFailed]:
    """Each match's resolution, by its external id."""
    if not matches:
        return {}
    columns = _fill_columns(matches)
    queries = plan_lookups(matches, extra_columns=columns)
    counts = _org_counts(sf, queries)
    if counts:  # a full scan of a small org may answer in fewer calls (R20)
        queries = plan_lookups(matches, extra_columns=columns, org_counts=counts)
    rows, failed = _run(sf, queries)
    resolved: dict[str, Resolution | LookupFailed] = {}
    for match in matches:
        if failed is not None:
            resolved[match.external_id] = failed
        else:
            resolved[match.external_id] = _resolve(match, rows)
    return resolved


def _org_counts(sf: Salesforce, queries: Sequence[LookupQuery]) -> dict[str, int]:
    """Record counts of the objects whose chunked look-ups cost more than counting and one
    scan page would; a count that fails only means the chunked look-ups run as planned."""
    calls: dict[str, int] = {}
    for query in queries:
        calls[query.sobject] = calls.get(query.sobject, 0) + query.estimated_calls
    counts: dict[str, int] = {}
    for sobject, planned in calls.items():
        if planned > SCAN_WORTH_COUNTING:
            try:
                counts[sobject] = sf.count(sobject)
            except Exception:
                log.warning("counting %s failed; look-ups stay chunked", sobject, exc_info=True)
    return counts


def _fill_columns(matches: Iterable[MatchThenLinkOrCreate]) -> dict[str, set[str]]:
    """Current values a match must read to write `fill_if_empty` fields only where empty."""
    columns: dict[str, set[str]] = {}
    for match in matches:
        for sobject, writes in match.on_match.items():
            columns.setdefault(sobject, set()).update(writes.fill_if_empty)
    return columns


def _run(sf: Salesforce, queries: Sequence[LookupQuery]) -> tuple[Rows, LookupFailed | None]:
    rows: Rows = {}
    by_soql: dict[str, list[dict[str, Any]]] = {}
    for query in queries:
        if query.reuse_rows and query.soql in by_soql:
            found = by_soql[query.soql]
        else:
            try:
                found = sf.run_lookup(query)
            except Exception as error:
                return rows, LookupFailed(outcome_of(error, Operation.QUERY))
            by_soql[query.soql] = found
        rows.setdefault((query.sobject, query.by), []).extend(found)
    return rows, None


def _resolve(match: MatchThenLinkOrCreate, rows: Rows) -> Resolution:
    lookup = match.lookup
    if isinstance(lookup, AccountLookup):
        by_domain = _candidates("Account", rows, LookupBy.DOMAIN, lookup.domain)
        by_name = _candidates("Account", rows, LookupBy.NAME, lookup.name)
        return resolve_account(lookup, by_domain, by_name)
    assert isinstance(lookup, PersonLookup)
    found: dict[str, list[Candidate]] = {
        sobject: _candidates(sobject, rows, LookupBy.EMAIL, lookup.email)
        for sobject in lookup.objects
    }
    return resolve_person(lookup, found)


def _candidates(sobject: str, rows: Rows, by: LookupBy, key: str | None) -> list[Candidate]:
    if not key:
        return []
    wanted = key.lower() if by is not LookupBy.NAME else key
    seen: dict[str, Candidate] = {}
    for row in rows.get((sobject, by), ()):
        if row_matches(by, wanted, row) and str(row["Id"]) not in seen:
            seen[str(row["Id"])] = _candidate(sobject, row)
    return list(seen.values())


def _candidate(sobject: str, row: Mapping[str, Any]) -> Candidate:
    return Candidate(
        sobject=sobject,
        sf_id=str(row["Id"]),
        created_at=_when(row.get("CreatedDate")),
        modified_at=_when(row.get("LastModifiedDate") or row.get("CreatedDate")),
        values=dict(row),
    )


def _when(value: object) -> datetime:
    if not isinstance(value, str) or not value:
        return datetime.min.replace(tzinfo=UTC)
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]  # Salesforce writes +0000
    return datetime.fromisoformat(text)
