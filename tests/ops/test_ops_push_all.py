"""Push-all (R12, R20, R22) through the one drain, against localforce over HTTPS."""

from __future__ import annotations

from typing import Any

import pytest
from harness import Org
from ops_helpers import accounts_and_contacts

from pushforce.app.push_all import (
    PushAllBusy,
    PushAllError,
    PushAllRequest,
    cancel_push_all,
    preview_push_all,
    push_all_progress,
    run_push_all,
    start_push_all,
)
from pushforce.store import read_connection
from pushforce.store.push_schema import push_all_runs


def _runs(org: Org) -> list[Any]:
    with read_connection(org.engine) as conn:
        query = push_all_runs.select().where(push_all_runs.c.team_id == org.team_id)
        return list(conn.execute(query))


def _run(org: Org, request: PushAllRequest, **options: Any) -> dict[str, Any]:
    run_id = start_push_all(org.engine, org.clock, org.team_id, request, "ada@example.com")
    return run_push_all(
        org.engine, org.gateway_for, org.clock, org.team_id, run_id, owner="t", **options
    )


def test_R22_push_all_preview_counts_what_would_happen_and_writes_nothing(org: Org) -> None:
    accounts_and_contacts(org, accounts=3, contacts=12)
    jobs_before, calls_before = org.jobs(), org.api_calls()
    summary = preview_push_all(org.engine, org.clock, org.team_id, PushAllRequest("contacts"))
    assert summary["records"] == 12
    # every contact and its account (R4) is looked up, then linked or created
    assert summary["match_then_link_or_create"] == 12 + 3
    assert summary["api_calls"] >= 2
    assert org.api_calls() == calls_before and org.sf_records("Contact") == []
    assert org.jobs() == jobs_before and _runs(org) == []


def test_R12_push_all_pushes_every_contact_even_when_pushing_is_off(org: Org) -> None:
    contact_ids = accounts_and_contacts(org, accounts=3, contacts=25)
    progress = _run(org, PushAllRequest("contacts"))
    assert progress["state"] == "finished" and progress["percent"] == 100.0
    assert progress["done"] == 25 and progress["created"] == 25 and progress["failed"] == 0
    emails = sorted(r["Email"] for r in org.sf_records("Contact"))
    assert emails == sorted(f"person{i}@company{i % 3}.example" for i in range(25))
    assert len(org.sf_records("Account")) == 3
    assert all(org.link("contact", i)["sf_id"] for i in contact_ids)
    pushed = org.log(kind="contact", outcome="created")
    assert len(pushed) == 25 and {e["trigger"] for e in pushed} == {"push_all"}


def test_R12_a_second_push_all_of_unchanged_records_costs_no_write(org: Org) -> None:
    accounts_and_contacts(org, accounts=2, contacts=6)
    _run(org, PushAllRequest("contacts"))
    seq = org.requests()[-1]["seq"]
    progress = _run(org, PushAllRequest("contacts"))
    assert progress["skipped"] == 6 and progress["done"] == 6
    assert [r for r in org.requests(seq) if r["records_written"]] == []


def test_R12_stage_narrows_push_all_and_unknown_stage_is_named(org: Org) -> None:
    accounts_and_contacts(org, accounts=1, contacts=3)
    accounts_and_contacts(org, accounts=1, contacts=2, stage="Qualified")
    progress = _run(org, PushAllRequest("contacts", stage="Qualified"))
    assert progress["total"] == 2 and len(org.sf_records("Contact")) == 2
    with pytest.raises(PushAllError) as error:
        start_push_all(org.engine, org.clock, org.team_id, PushAllRequest("contacts", "Nope"), None)
    assert error.value.field == "stage"
    with pytest.raises(PushAllError) as error:
        PushAllRequest("widgets").record_filter(org.team_id)
    assert error.value.field == "kind"


def test_R12_cancel_stops_the_run_and_drops_its_pending_jobs(org: Org) -> None:
    accounts_and_contacts(org, accounts=2, contacts=30)
    org.drain()  # the records' own jobs: skipped, automatic pushing is off
    run_id = start_push_all(org.engine, org.clock, org.team_id, PushAllRequest("contacts"), None)
    with pytest.raises(PushAllBusy):
        start_push_all(org.engine, org.clock, org.team_id, PushAllRequest("contacts"), None)

    def cancel_after_first_batch(progress: dict[str, Any]) -> None:
        if progress["state"] == "running":
            cancel_push_all(org.engine, org.clock, org.team_id, run_id)

    final = run_push_all(
        org.engine,
        org.gateway_for,
        org.clock,
        org.team_id,
        run_id,
        owner="t",
        batch_size=10,
        on_progress=cancel_after_first_batch,
    )
    assert final["state"] == "cancelled" and final["done"] == 10
    assert len(org.sf_records("Contact")) == 10
    assert [j for j in org.jobs() if j["trigger"] == "push_all"] == []
    again = push_all_progress(org.engine, org.clock, org.team_id, run_id)
    assert again["state"] == "cancelled" and again["done"] == 10


def test_R12_saved_narrows_push_all_to_saved_records(org: Org) -> None:
    accounts_and_contacts(org, accounts=1, contacts=2)
    saved = accounts_and_contacts(org, accounts=1, contacts=3, saved=True)
    progress = _run(org, PushAllRequest("contacts", saved=True))
    assert progress["total"] == 3 and progress["created"] == 3
    pushed = {c["Pushforce_Id__c"] for c in org.sf_records("Contact")}
    assert pushed == {f"pf-{org.team_id}-contact-{i}" for i in saved}
