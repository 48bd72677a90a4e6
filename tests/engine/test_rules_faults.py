"""Acceptance: faults and limits — R16 (no duplicate after commit-then-fail), R18 (transient
retried, permanent failed with a hint and retried after the fix, auth pauses), R19 (budget)."""

from __future__ import annotations

from engine_helpers import change, create
from harness import Org

from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import write_transaction


def _contact(org: Org, **values: object) -> int:
    with write_transaction(org.engine) as conn:
        return create(conn, org.team_id, "contact", last_name="Hopper", **values)


def _job(org: Org) -> dict:
    [job] = org.jobs()
    return job


def test_R16_commit_then_fail_with_the_external_id_upserts_again_no_duplicate(org: Org) -> None:
    contact_id = _contact(org, email="grace@navy.mil")
    org.lf.control.add_fault({"kind": "commit_then_fail", "path": "composite/sobjects", "count": 1})
    org.drain()
    assert len(org.sf_records("Contact")) == 1  # Salesforce committed it before failing
    job = _job(org)
    assert (job["state"], job["attempts"]) == ("pending", 1)
    assert org.log(kind="contact")[0]["outcome"] == "retry"
    org.clock.advance(seconds=60)
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]
    assert org.jobs() == []


def test_R16_without_the_external_id_an_ambiguous_create_is_looked_up_first(
    strict_org: Org,
) -> None:
    org = strict_org
    contact_id = _contact(org, email="grace@navy.mil")
    org.lf.control.add_fault({"kind": "commit_then_fail", "path": "composite/sobjects", "count": 1})
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    # the verify look-up found the record the failed call made: linked, never sent again
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]
    assert org.jobs() == []
    org.clock.advance(seconds=3600)
    org.drain()
    assert len(org.sf_records("Contact")) == 1


def test_R18_a_lock_error_is_retried_with_backoff(org: Org) -> None:
    contact_id = _contact(org, email="lock@example.com")
    org.lf.control.add_fault(
        {"kind": "UNABLE_TO_LOCK_ROW", "path": "composite/sobjects", "count": 1}
    )
    org.drain()
    assert org.sf_records("Contact") == []
    job = _job(org)
    entry = org.log(kind="contact")[0]
    assert (entry["outcome"], entry["error_code"]) == ("retry", "UNABLE_TO_LOCK_ROW")
    assert job["due_at"] > org.clock.now()  # backoff: not due again at once
    org.drain()
    assert org.sf_records("Contact") == []
    org.clock.advance(seconds=60)
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]


def test_R18_a_validation_error_fails_with_a_hint_and_is_retried_after_the_fix(
    strict_org: Org,
) -> None:
    org = strict_org
    with write_transaction(org.engine) as conn:
        account_id = create(conn, org.team_id, "account", name="Odd", industry="Alchemy")
    org.drain()
    assert org.sf_records("Account") == []
    job = _job(org)
    assert job["state"] == "failed"
    assert job["error_code"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    entry = org.log(kind="account")[0]
    assert entry["outcome"] == "failed" and "Industry" in (entry["hint"] or "")
    org.clock.advance(seconds=3600)
    org.drain()  # a failed job is not retried by itself
    assert org.sf_records("Account") == []
    with write_transaction(org.engine) as conn:
        change(conn, org.team_id, "account", account_id, industry="Banking")
    org.drain()
    [sf_account] = org.sf_records("Account")
    assert sf_account["Industry"] == "Banking"
    assert org.jobs() == []


def test_R18_an_expired_session_is_renewed_and_revoked_access_pauses_the_team(org: Org) -> None:
    refresh = org.lf.control.mint_refresh_token("localforce-client")
    org.connect_with_refresh_token(refresh)
    _contact(org, email="first@example.com")
    org.lf.control.expire_tokens()
    org.drain()  # one 401, one token renewal, the call retried
    assert len(org.sf_records("Contact")) == 1
    org.lf.control.session.post(
        f"{org.lf.base_url}/services/oauth2/revoke", data={"token": refresh}
    )
    org.lf.control.expire_tokens()
    second = _contact(org, email="second@example.com")
    report = org.drain()
    assert report.paused
    assert len(org.sf_records("Contact")) == 1
    job = _job(org)
    assert (job["record_id"], job["state"]) == (second, "pending")  # nothing is lost
    assert org.log(kind="contact")[0]["outcome"] == "paused"
    org.drain()  # paused: no call at all until the team reconnects
    assert org.jobs()[0]["state"] == "pending"
    org.connect()
    org.forget_gateway()
    org.drain()
    assert len(org.sf_records("Contact")) == 2 and org.jobs() == []


def test_R19_pushes_pause_at_the_budget_and_resume_by_themselves(org: Org) -> None:
    org.settings(enabled=True, limits={"api_budget_percent": 50})
    org.lf.control.set_limits(daily_api_requests=1000, used=600)
    forget_org_states()  # a fresh worker: the meter is unknown, so /limits is read first
    org.forget_gateway()
    contact_id = _contact(org, email="budget@example.com")
    org.drain()
    assert org.sf_records("Contact") == []
    entry = org.log(kind="contact")[0]
    assert entry["outcome"] == "waiting" and "budget" in entry["reason"]
    assert _job(org)["attempts"] == 0
    manual_id = _contact(org, email="manual@example.com")
    assert org.push("contact", manual_id).status == "pushed"  # manual pushes still run
    org.lf.control.set_limits(used=100)
    org.drain()  # not yet: the wait lasts until the recheck time
    assert len(org.sf_records("Contact")) == 1
    org.clock.advance(minutes=6)
    org.drain()
    assert len(org.sf_records("Contact")) == 2
    assert org.link("contact", contact_id)["state"] == "active"
