"""Batching and look-up planning speed (R20): how long the pure core takes to turn 100,000
decisions into calls, and how many calls it plans.

    .venv/bin/python -m bench batching_bench
"""

from __future__ import annotations

import time

from pushforce.core.batching import batch
from pushforce.core.decisions import (
    AccountLookup,
    Create,
    MatchThenLinkOrCreate,
    PersonLookup,
    SalesforceIdOf,
)
from pushforce.core.lookups import plan_lookups
from pushforce.core.records import RecordRef

RECORDS = 100_000
CONTACTS_PER_ACCOUNT = 10


def _contacts_with_accounts() -> list[Create]:
    decisions = []
    for n in range(RECORDS):
        account = RecordRef(1, "account", n // CONTACTS_PER_ACCOUNT)
        contact = RecordRef(1, "contact", n)
        parent = Create(account, "Account", {"Name": f"Account {account.id}"}, account.external_id)
        payload = {"LastName": f"Person {n}", "AccountId": SalesforceIdOf(account.external_id)}
        decisions.append(Create(contact, "Contact", payload, contact.external_id, (parent,)))
    return decisions


def _matches() -> list[MatchThenLinkOrCreate]:
    decisions = []
    for n in range(RECORDS):
        ref = RecordRef(1, "contact", n)
        lookup = PersonLookup(f"person.{n}@company-{n % 5000}.example.com", ("Contact", "Lead"))
        decisions.append(MatchThenLinkOrCreate(ref, "Contact", lookup, {}, ref.external_id))
        if n % CONTACTS_PER_ACCOUNT == 0:
            account = RecordRef(1, "account", n)
            by = AccountLookup(f"company-{n}.example.com", f"Company {n}", "oldest")
            decisions.append(MatchThenLinkOrCreate(account, "Account", by, {}, "a"))
    return decisions


def _timed(label: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s ({RECORDS / elapsed:,.0f} records/s)")
    return result


def main() -> None:
    contacts = _contacts_with_accounts()
    plan = _timed("batch 100k contacts + 10k accounts (automatic)", lambda: batch(contacts))
    print(f"  {plan.estimated_calls} calls in {len(plan.stages)} stages")
    bulk = _timed(
        "batch 100k contacts + 10k accounts (push all)", lambda: batch(contacts, push_all=True)
    )
    print(f"  {bulk.estimated_calls} calls (Bulk API 2.0 jobs)")
    matches = _matches()
    queries = _timed("plan look-ups for 100k people + 10k companies", lambda: plan_lookups(matches))
    print(f"  {len(queries)} SOQL queries, each URI ≤ 15,360 bytes")
    scans = _timed(
        "same, org with 50k contacts / 20k leads / 10k accounts",
        lambda: plan_lookups(
            matches, org_counts={"Contact": 50_000, "Lead": 20_000, "Account": 10_000}
        ),
    )
    calls, full = sum(q.estimated_calls for q in scans), sum(q.full_scan for q in scans)
    print(f"  {calls} calls ({full} full scans)")


if __name__ == "__main__":
    main()
