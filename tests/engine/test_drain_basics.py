"""The drain end to end against localforce: outbox → plan → gateway → settle (DESIGN.md §1)."""

from __future__ import annotations

from engine_helpers import change, create
from harness import FakeClock, Org
from sqlalchemy.engine import Engine

from pushforce.store import write_transaction


def _account_and_contact(org: Org) -> tuple[int, int]:
    with write_transaction(org.engine) as conn:
        account = create(conn, org.team_id, "account", name="Acme", website="https://acme.com")
        contact = create(
            conn,
            org.team_id,
            "contact",
            first_name="Ada",
            last_name="Lovelace",
            email="ada@acme.com",
            account_id=account,
        )
    return account, contact


def test_R17_accounts_go_before_people_and_links_and_log_are_stored(org: Org) -> None:
    account_id, contact_id = _account_and_contact(org)
    report = org.drain()
    assert report.leased and report.jobs == 2
    [sf_account] = org.sf_records("Account")
    [sf_contact] = org.sf_records("Contact")
    assert sf_contact["AccountId"] == sf_account["Id"]
    assert sf_contact["Email"] == "ada@acme.com"
    assert org.link("account", account_id)["sf_id"] == sf_account["Id"]
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]
    assert org.jobs() == []
    outcomes = {(e["kind"], e["outcome"]) for e in org.log()}
    assert ("account", "created") in outcomes and ("contact", "created") in outcomes


def test_R15_an_unchanged_record_costs_no_api_call_and_a_change_sends_only_it(org: Org) -> None:
    _account_id, contact_id = _account_and_contact(org)
    org.drain()
    with write_transaction(org.engine) as conn:  # a write that changes no mapped field
        change(conn, org.team_id, "contact", contact_id, saved=True)
    before = org.api_calls()
    org.drain()
    assert org.api_calls() == before
    assert org.log(kind="contact")[0]["outcome"] == "skipped"
    with write_transaction(org.engine) as conn:
        change(conn, org.team_id, "contact", contact_id, title="Countess")
    seq = org.requests()[-1]["seq"] if org.requests() else 0
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    assert sf_contact["Title"] == "Countess"
    writes = [r for r in org.requests(seq) if r["records_written"]]
    assert len(writes) == 1 and writes[0]["records_written"] == 1


def test_a_team_without_a_connection_keeps_its_jobs_queued(store: Engine) -> None:
    from pushforce.app.drain import Drainer, drain_team
    from pushforce.store import create_team, outbox, read_connection

    with write_transaction(store) as conn:
        team_id = int(create_team(conn, "unconnected")["id"])
        create(conn, team_id, "contact", last_name="Waiting")
    drainer = Drainer(store, lambda _team: None, FakeClock(), "test")
    report = drain_team(drainer, team_id)
    assert (report.leased, report.paused, report.jobs) == (False, True, 0)
    with read_connection(store) as conn:
        assert [j["state"] for j in outbox.jobs_of(conn, team_id)] == ["pending"]
