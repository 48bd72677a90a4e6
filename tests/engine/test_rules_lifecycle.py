"""Acceptance: R14 (deleted, merged, converted in Salesforce) and the outbox invariants seen
from outside — coalescing (R17), parents first, lease fencing, merge into a newer job."""

from __future__ import annotations

from datetime import timedelta

from engine_helpers import change, create
from harness import Org

from pushforce.app.batch import run_batch
from pushforce.app.drain import _acquire, _claim
from pushforce.store import leases, write_transaction


def _contact(org: Org, **values: object) -> int:
    with write_transaction(org.engine) as conn:
        return create(conn, org.team_id, "contact", **values)


def _change(org: Org, kind: str, record_id: int, **values: object) -> None:
    with write_transaction(org.engine) as conn:
        change(conn, org.team_id, kind, record_id, **values)


def test_R14_deleted_in_salesforce_the_link_goes_and_nothing_is_recreated(org: Org) -> None:
    contact_id = _contact(org, last_name="Gone", email="gone@example.com")
    org.drain()
    sf_id = org.link("contact", contact_id)["sf_id"]
    org.lf.simple_salesforce().Contact.delete(sf_id)
    _change(org, "contact", contact_id, title="Ghost")
    org.drain()
    assert org.link("contact", contact_id)["state"] == "deleted"
    assert org.log(kind="contact")[0]["outcome"] == "link_removed"
    _change(org, "contact", contact_id, title="Still a ghost")
    org.drain()
    assert org.sf_records("Contact") == []  # not re-created automatically
    assert org.log(kind="contact")[0]["reason"].startswith("deleted_in_salesforce")
    result = org.push("contact", contact_id)  # a manual push re-creates it
    [sf_contact] = org.sf_records("Contact")
    assert result.status == "pushed" and result.sf_id == sf_contact["Id"] != sf_id
    assert org.link("contact", contact_id)["state"] == "active"


def test_R14_merged_in_salesforce_the_record_is_relinked_to_the_master(org: Org) -> None:
    keep = _contact(org, last_name="Keep", email="keep@example.com")
    lose = _contact(org, last_name="Lose", email="lose@example.com")
    org.drain()
    master, loser = org.link("contact", keep)["sf_id"], org.link("contact", lose)["sf_id"]
    org.lf.control._call(
        "POST", "/merge", json={"masterRecordId": master, "recordToMergeIds": [loser]}
    )
    _change(org, "contact", lose, title="Merged")
    org.drain()  # the update hits the deleted loser: relinked to the master, written again
    org.drain()
    assert org.link("contact", lose)["sf_id"] == master
    assert org.sf_record(master)["Title"] == "Merged"
    assert [c["Id"] for c in org.sf_records("Contact")] == [master]
    assert any(e["outcome"] == "relinked" for e in org.log(kind="contact"))


def test_R14_a_converted_lead_is_relinked_to_its_contact_and_the_write_retried(org: Org) -> None:
    org.settings(enabled=True, contacts={"create_as": "lead"})
    contact_id = _contact(org, last_name="Convert", email="convert@example.com")
    org.drain()
    lead_id = org.link("contact", contact_id)["sf_id"]
    converted = org.lf.control._call(
        "POST", "/convert-lead", json={"leadId": lead_id, "doNotCreateOpportunity": True}
    )
    sf_contact_id = converted["contactId"]
    _change(org, "contact", contact_id, title="Now a contact")
    org.drain()
    org.drain()
    link = org.link("contact", contact_id)
    assert (link["sobject"], link["sf_id"]) == ("Contact", sf_contact_id)
    assert org.sf_record(sf_contact_id)["Title"] == "Now a contact"
    assert org.jobs() == []


def test_R17_many_quick_changes_become_one_push_of_the_latest_state(org: Org) -> None:
    contact_id = _contact(org, last_name="Quick", email="quick@example.com")
    org.drain()
    for title in ("One", "Two", "Three", "Four", "Five"):
        _change(org, "contact", contact_id, title=title)
    assert len(org.jobs()) == 1
    seq = org.requests()[-1]["seq"]
    org.drain()
    writes = [r for r in org.requests(seq) if r["records_written"]]
    assert len(writes) == 1
    assert org.sf_record(org.link("contact", contact_id)["sf_id"])["Title"] == "Five"


def test_a_drainer_that_lost_its_lease_cannot_settle_and_nothing_is_duplicated(org: Org) -> None:
    contact_id = _contact(org, last_name="Fenced", email="fenced@example.com")
    slow = org.drainer("slow")
    epoch = _acquire(slow, org.team_id)
    assert epoch is not None
    jobs = _claim(slow, org.team_id, epoch)
    assert jobs
    org.clock.advance(minutes=5)  # the slow drainer's lease expires
    fast = org.drain()  # another drainer takes over, recovers the job and pushes it
    assert fast.leased and fast.jobs == 1
    # the slow one finally calls Salesforce and tries to settle under its stale epoch
    run_batch(org.engine, org.gateway_for, org.clock, org.team_id, jobs)
    assert org.jobs() == []  # its settle wrote nothing: no job resurrected
    [sf_contact] = org.sf_records("Contact")  # the repeated upsert created no duplicate
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]


def test_a_job_changed_while_running_is_pushed_again_with_the_newest_state(org: Org) -> None:
    contact_id = _contact(org, last_name="Racing", email="racing@example.com")
    drainer = org.drainer()
    epoch = _acquire(drainer, org.team_id)
    assert epoch is not None
    jobs = _claim(drainer, org.team_id, epoch)
    _change(org, "contact", contact_id, title="Changed meanwhile")
    assert sorted(j["state"] for j in org.jobs()) == ["pending", "running"]
    run_batch(org.engine, org.gateway_for, org.clock, org.team_id, jobs)
    assert [j["state"] for j in org.jobs()] == ["pending"]
    with write_transaction(org.engine) as conn:
        leases.release(conn, org.team_id, drainer.owner, epoch)
    org.drain()
    assert org.jobs() == []
    [sf_contact] = org.sf_records("Contact")
    assert sf_contact["Title"] == "Changed meanwhile"


def test_children_wait_for_their_parent_job(org: Org) -> None:
    with write_transaction(org.engine) as conn:
        account = create(conn, org.team_id, "account", name="Parent Co")
        contact = create(conn, org.team_id, "contact", last_name="Child", account_id=account)
    drainer = org.drainer()
    epoch = _acquire(drainer, org.team_id)
    assert epoch is not None
    first = _claim(drainer, org.team_id, epoch)
    assert [(j.kind, j.record_id) for j in first] == [("account", account)]
    run_batch(org.engine, org.gateway_for, org.clock, org.team_id, first)
    second = _claim(drainer, org.team_id, epoch)
    assert [(j.kind, j.record_id) for j in second] == [("contact", contact)]


def test_a_batch_longer_than_the_lease_keeps_it_by_heartbeat(org: Org) -> None:
    """The heartbeat runs on real time, so this test does too (a 1 s lease; it fails without
    the heartbeat: the intruder takes the team over half-way through the batch)."""
    import dataclasses
    import threading

    from pushforce.app.drain import drain_team

    _contact(org, last_name="Slow", email="slow@example.com")
    org.lf.control.set_limits(per_request_ms=700)  # the batch (4 calls) outlives a 1 s lease
    slow = dataclasses.replace(org.drainer("slow"), lease_ttl=timedelta(seconds=1))
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(drain_team(slow, org.team_id)))
    thread.start()
    try:
        wait_until_a_request_is_in_flight(org)
        intruder = drain_team(org.drainer("intruder"), org.team_id)
        assert not intruder.leased  # the slow drainer still holds the team
    finally:
        thread.join()
    assert len(org.sf_records("Contact")) == 1 and org.jobs() == []


def wait_until_a_request_is_in_flight(org: Org) -> None:
    import time

    deadline = time.monotonic() + 10
    while not org.lf.state.long_requests._started:
        assert time.monotonic() < deadline, "no request went out"
        time.sleep(0.01)
    time.sleep(1.3)  # longer than the lease: without a heartbeat it would have expired
