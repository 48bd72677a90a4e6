"""Push-all over the REST API against localforce (R12, R20, R22): preview writes nothing; 5,000
contacts go through Bulk API 2.0, each exactly once, progress reaches 100 %; cancel stops."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from acceptance_helpers import Team
from ops_helpers import accounts_and_contacts

from pushforce.store import leases, write_transaction

PUSH_ALL = "/api/v1/salesforce/push-all"


def wait_for(condition: Callable[[], Any], seconds: float = 120.0) -> Any:
    """Poll ``condition`` until it is truthy, failing at the deadline (no fixed sleeps)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not true within {seconds} s")


def join_run(run_id: int) -> None:
    for thread in threading.enumerate():
        if thread.name == f"push-all-{run_id}":
            thread.join(timeout=120)
            assert not thread.is_alive()


def progress_of(team: Team, run_id: int) -> dict[str, Any]:
    answer = team.client.get(f"{PUSH_ALL}/{run_id}", headers=team.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_R22_push_all_preview_over_the_api_writes_nothing(team: Team) -> None:
    accounts_and_contacts(team.org, accounts=4, contacts=40)
    calls, jobs = team.org.api_calls(), team.org.jobs()
    answer = team.client.post(PUSH_ALL, json={"kind": "contacts"}, headers=team.headers)
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert summary["records"] == 40 and summary["match_then_link_or_create"] == 44
    assert summary["api_calls"] > 0 and summary["skipped"] == {}
    assert team.org.api_calls() == calls and team.org.jobs() == jobs
    assert team.org.sf_records("Contact") == [] and team.org.sf_records("Account") == []


def test_R12_push_all_refuses_bad_input_naming_the_field(team: Team) -> None:
    bad = {"kind": "widgets"}, {"kind": "contacts", "stage": "Nope"}, {"kind": "deals", "saved": 1}
    paths = []
    for body in bad:
        answer = team.client.post(PUSH_ALL, json=body, headers=team.headers)
        assert answer.status_code == 422
        paths.append(answer.json()["errors"][0]["path"])
    assert paths == ["body.kind", "body.stage", "body.saved"]
    missing = team.client.get(f"{PUSH_ALL}/999999", headers=team.headers)
    assert missing.status_code == 404


def test_R12_R20_push_all_of_5000_contacts_uses_bulk_and_creates_each_exactly_once(
    team: Team,
) -> None:
    contact_ids = accounts_and_contacts(team.org, accounts=50, contacts=5000)
    seq = team.org.requests()[-1]["seq"] if team.org.requests() else 0
    body = {"kind": "contacts", "preview": False}
    answer = team.client.post(PUSH_ALL, json=body, headers=team.headers)
    assert answer.status_code == 202, answer.text
    run_id = answer.json()["id"]
    final = wait_for(lambda: (p := progress_of(team, run_id))["state"] == "finished" and p)
    assert final["percent"] == 100.0 and final["done"] == final["total"] == 5000
    assert final["created"] == 5000 and final["failed"] == 0
    contacts = team.org.sf_records("Contact")
    assert len(contacts) == 5000
    ids = Counter(c["Pushforce_Id__c"] for c in contacts)
    assert set(ids.values()) == {1}
    assert set(ids) == {f"pf-{team.org.team_id}-contact-{i}" for i in contact_ids}
    assert len(team.org.sf_records("Account")) == 50
    bulk = [r for r in team.org.requests(seq) if r["path"].endswith("/jobs/ingest")]
    assert bulk and all(r["method"] == "POST" for r in bulk)
    join_run(run_id)


def test_R12_cancel_stops_a_running_push_all_before_it_pushes(team: Team) -> None:
    accounts_and_contacts(team.org, accounts=5, contacts=300)
    team.org.drain()  # the records' own jobs (skipped: automatic pushing is off)
    with write_transaction(team.org.engine) as conn:  # another drainer holds the team for now
        epoch = leases.acquire(conn, team.org.team_id, "other", team.org.clock.now(), _minutes(5))
    assert epoch is not None
    body = {"kind": "contacts", "preview": False}
    run_id = team.client.post(PUSH_ALL, json=body, headers=team.headers).json()["id"]
    wait_for(lambda: progress_of(team, run_id)["state"] == "running")
    cancelled = team.client.post(f"{PUSH_ALL}/{run_id}/cancel", headers=team.headers).json()
    assert cancelled["state"] == "cancelled" and cancelled["remaining"] == 0
    with write_transaction(team.org.engine) as conn:
        leases.release(conn, team.org.team_id, "other", epoch)
    join_run(run_id)
    team.org.drain()
    assert team.org.sf_records("Contact") == []
    assert [j for j in team.org.jobs() if j["trigger"] == "push_all"] == []
    assert progress_of(team, run_id)["state"] == "cancelled"


def _minutes(n: int) -> Any:
    from datetime import timedelta

    return timedelta(minutes=n)
