"""R20 — few API calls: when the org is small, one COUNT() and one scan page answer a batch's
look-ups instead of one chunked query per ~200 emails."""

from __future__ import annotations

from dataclasses import replace

from harness import Org

from pushforce.app.drain import drain_team
from pushforce.inputs import ContactIn
from pushforce.store import write_transaction
from pushforce.store.records import insert_records

PEOPLE = 1_000


def _queries(org: Org, since: int) -> list[str]:
    return [r["path"] for r in org.requests(since) if "/query" in r["path"]]


def _seed_people(org: Org, count: int) -> None:
    people = [
        ContactIn(last_name=f"Person {n}", email=f"person{n}@example.com").model_dump()
        for n in range(count)
    ]
    with write_transaction(org.engine) as conn:
        insert_records(conn, org.team_id, "contact", people)


def _drain_in_one_batch(org: Org) -> None:
    drain_team(replace(org.drainer(), batch_size=PEOPLE), org.team_id)


def test_R20_a_small_org_is_counted_and_scanned_instead_of_chunked_look_ups(org: Org) -> None:
    _seed_people(org, PEOPLE)
    seq = org.requests()[-1]["seq"] if org.requests() else 0
    _drain_in_one_batch(org)
    assert len(org.sf_records("Contact")) == PEOPLE  # R6 still holds: none matched, all created
    # Contact and Lead look-ups of 1,000 emails would be ≥ 10 chunked queries; an empty org
    # answers with a COUNT() and a one-page scan per object.
    assert len(_queries(org, seq)) <= 4


def test_R6_a_scan_still_links_the_person_it_finds(org: Org) -> None:
    org.lf.control.seed({"Contact": [{"LastName": "Existing", "Email": "person7@example.com"}]})
    _seed_people(org, PEOPLE)
    _drain_in_one_batch(org)
    contacts = org.sf_records("Contact")
    assert len(contacts) == PEOPLE  # the existing one was linked and updated, not duplicated
    assert sum(1 for c in contacts if c["Email"] == "person7@example.com") == 1
