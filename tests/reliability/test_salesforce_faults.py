"""F3–F8, F12–F14 (reliability.md §2.3): Salesforce failing in every way localforce can fail —
before and after applying a write, limits, expired and revoked tokens, bad records inside a
200-record collection, whole-batch rejections and lock storms. Each ends with a full drain and
the checker's verdict (R16, R18, R19)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

import pytest
from reliability_helpers import Team, assert_contract, people

from pushforce.salesforce.connections import connect
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret

COLLECTIONS = "composite/sobjects"


def _assert_once_each(team: Team, sobject: str, count: int) -> None:
    rows = team.sf_records(sobject)
    assert len(rows) == count
    assert len({row["Pushforce_Id__c"] for row in rows}) == count


def _contacts(team: Team, seed: int, low: int = 5, high: int = 40) -> int:
    count = Random(seed).randint(low, high)
    team.create_many("contact", people(count))
    return count


AFTER_APPLY = [
    pytest.param({"kind": "commit_then_fail"}, id="500-after-commit"),
    pytest.param({"kind": "commit_then_fail", "seconds": 10}, id="hang-after-commit"),
]
BEFORE_APPLY = [
    pytest.param({"kind": "503"}, id="503"),
    pytest.param({"kind": "500"}, id="500"),
    pytest.param({"kind": "UNKNOWN_EXCEPTION"}, id="500-json"),
    pytest.param({"kind": "hang", "seconds": 10}, id="hang"),
]


@pytest.mark.parametrize("fault", AFTER_APPLY + BEFORE_APPLY)
def test_F3_F4_a_failed_or_hung_call_is_retried_without_a_duplicate(
    team: Team, seed: int, fault: dict[str, Any]
) -> None:
    count = _contacts(team, seed)
    team.lf.control.add_fault({**fault, "path": COLLECTIONS, "count": 1})
    team.drain()
    applied = len(team.sf_records("Contact"))
    assert applied == (count if fault["kind"] == "commit_then_fail" else 0)
    assert {job["attempts"] for job in team.jobs()} == {1}  # retried, with backoff
    team.drain_fully()
    _assert_once_each(team, "Contact", count)
    assert_contract(team.check(), seed)


@pytest.mark.parametrize("concurrent", [False, True], ids=["daily", "concurrent"])
def test_F5_request_limit_exceeded_waits_and_nothing_is_lost(
    team: Team, seed: int, concurrent: bool
) -> None:
    count = _contacts(team, seed)
    team.lf.control.add_fault(
        {"kind": "REQUEST_LIMIT_EXCEEDED", "concurrent": concurrent, "count": 2}
    )
    team.drain()
    assert team.sf_records("Contact") == []
    team.drain_fully()
    _assert_once_each(team, "Contact", count)
    assert_contract(team.check(), seed)


def test_F6_expired_access_tokens_are_renewed_mid_drain(team: Team, seed: int) -> None:
    count = _contacts(team, seed, 250, 450)  # two or three collections
    team.lf.control.expire_tokens()  # the session ran out between two drains
    team.drain(max_batches=1)
    team.lf.control.add_fault({"kind": "token_expiry", "count": 1, "path": COLLECTIONS})
    team.drain_fully()  # and once more in the middle of one
    renewals = [e for e in team.requests() if "oauth2/token" in e["path"]]
    assert len(renewals) == 3  # the connection's first token, then one per expiry
    _assert_once_each(team, "Contact", count)
    assert_contract(team.check(), seed)


def test_F8_a_revoked_refresh_token_pauses_the_team_until_it_reconnects(
    team: Team, seed: int
) -> None:
    refresh_token = team.lf.control.mint_refresh_token("localforce-client")
    _connect_with_refresh_token(team, refresh_token)
    count = _contacts(team, seed)
    revoked = team.lf.session().post(
        f"{team.lf.base_url}/services/oauth2/revoke", data={"token": refresh_token}, timeout=10
    )
    assert revoked.status_code == 200
    team.lf.control.expire_tokens()
    assert team.drain().paused  # invalid_grant on renewal: the team waits for a reconnect
    before = team.api_calls()
    team.clock.advance(hours=1)
    assert team.drain().paused  # paused: not a single call while the connection is broken
    assert team.api_calls() == before
    assert {job["state"] for job in team.jobs()} == {"pending"}
    team.connect()  # the admin reconnects
    team.forget_gateway()
    team.drain_fully()
    _assert_once_each(team, "Contact", count)
    assert_contract(team.check(), seed)


def _connect_with_refresh_token(team: Team, refresh_token: str) -> None:
    params = FlowParams(
        Flow.REFRESH_TOKEN,
        team.lf.base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
        refresh_token=Secret(refresh_token),
    )
    connect(team.engine, team.team_id, params, team.config, ca_file=str(team.lf.ca_path))
    team.forget_gateway()


def _accounts_with_bad(team: Team, seed: int, total: int, bad: int) -> set[str]:
    """``total`` accounts, ``bad`` of them at random positions with an Industry the org's
    restricted picklist refuses (a permanent, per-record error)."""
    positions = set(Random(seed).sample(range(total), bad))
    rows = [
        {"name": f"Company {i}", "industry": "Alchemy" if i in positions else "Banking"}
        for i in range(total)
    ]
    ids = team.create_many("account", rows)
    return {team.external_id("account", ids[i]) for i in positions}


@pytest.mark.parametrize("bad", [1, 17, 199])
def test_F12_bad_records_inside_a_200_record_collection_are_exactly_the_held_ones(
    team: Team, seed: int, bad: int
) -> None:
    expected_held = _accounts_with_bad(team, seed, 200, bad)
    team.drain_fully()
    _assert_once_each(team, "Account", 200 - bad)
    report = team.check()
    assert_contract(report, seed, held=expected_held)
    for finding in report.of("held"):
        assert "Industry" in finding.detail  # the hint names the field to fix


def test_F13_a_whole_batch_rejection_is_retried_for_every_record(team: Team, seed: int) -> None:
    count = _contacts(team, seed, 150, 200)
    team.lf.control.add_fault({"kind": "UNABLE_TO_LOCK_ROW", "path": COLLECTIONS, "count": 1})
    team.drain()
    assert team.sf_records("Contact") == []
    team.drain_fully()
    _assert_once_each(team, "Contact", count)
    assert_contract(team.check(), seed)


def test_F14_a_lock_storm_on_one_account_resolves_by_retries(team: Team, seed: int) -> None:
    [account_id] = team.create_many("account", [{"name": "Busy Corp"}])
    rows = [{**person, "account_id": account_id} for person in people(120)]
    team.create_many("contact", rows)
    team.lf.control.add_fault(
        {
            "kind": "UNABLE_TO_LOCK_ROW",
            "path": COLLECTIONS,
            "per_record": True,
            "fraction": 0.3,
            "count": 6,
            "seed": seed,
        }
    )
    rounds = team.drain_fully()
    assert rounds > 1
    _assert_once_each(team, "Contact", 120)
    assert_contract(team.check(), seed)


@pytest.mark.parametrize("fault", AFTER_APPLY)
def test_F3_without_the_external_id_an_ambiguous_create_is_not_repeated(
    strict_team: Team, seed: int, fault: dict[str, Any]
) -> None:
    """R16 on an org without Pushforce_Id__c: the look-up before the retry finds the records the
    failed call created; the checker's email scan is the duplicate guard here."""
    team = strict_team
    count = _contacts(team, seed)
    team.lf.control.add_fault({**fault, "path": COLLECTIONS, "count": 1})
    team.drain_fully()
    assert len(team.sf_records("Contact")) == count
    assert_contract(team.check(), seed)


def test_F3_an_email_activity_after_a_commit_then_fail_is_one_task(team: Team, seed: int) -> None:
    """R13/R16 for activities: the Task's Pushforce_Id__c is not unique in Salesforce, so only
    the engine's look-up keeps a retried create from making a second Task."""
    [contact_id] = team.create_many("contact", people(1))
    team.drain_fully()
    sent_at = datetime.now(UTC) - timedelta(days=1)
    [email_id] = team.create_many(
        "email",
        [
            {
                "direction": "outgoing",
                "sent_in_app": True,
                "from_address": "rep@pushforce.io",
                "to_addresses": ["p0@example.com"],
                "subject": "Pricing",
                "body": "Our offer.",
                "sent_at": sent_at,
            }
        ],
    )
    team.lf.control.add_fault({"kind": "commit_then_fail", "path": COLLECTIONS, "count": 1})
    team.drain_fully()
    [task] = team.sf_records("Task")
    assert task["Pushforce_Id__c"] == f"pf-{team.team_id}-email-{email_id}-p{contact_id}"
    assert_contract(team.check(), seed)
