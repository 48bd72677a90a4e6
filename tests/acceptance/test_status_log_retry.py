"""Status, the sync log and retry over the REST API and the CLI, against localforce (R18, R19,
PRODUCT.md §6). localforce blocks a Contact whose Title an existing contact has (a Block
duplicate rule): the cause lives in Salesforce, so the fix is there and the retry is by hand."""

from __future__ import annotations

from typing import Any

import pytest
from acceptance_helpers import Team
from ops_helpers import accounts_and_contacts, bulk_create
from typer.testing import CliRunner

from pushforce.cli import app as cli_app

FAILED_CLASS = "DUPLICATES_DETECTED"


def _get(team: Team, path: str, **params: Any) -> Any:
    answer = team.client.get(f"/api/v1/salesforce/{path}", params=params, headers=team.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _three_failed_contacts(team: Team) -> list[int]:
    """Three contacts blocked by Salesforce contacts with their titles (their account goes)."""
    team.org.settings(enabled=True)
    twins = [{"LastName": "Existing", "Title": f"Twin {i}"} for i in range(3)]
    team.twins = team.org.lf.control.seed({"Contact": twins})["Contact"]
    [account] = bulk_create(team.org, "account", [{"name": "Acme", "website": "acme.example"}])
    people = [
        {"last_name": f"P{i}", "email": f"p{i}@acme.example", "title": f"Twin {i}"}
        for i in range(3)
    ]
    ids = bulk_create(team.org, "contact", [{**p, "account_id": account} for p in people])
    team.org.drain()
    return ids


def _fix_in_salesforce(team: Team) -> None:
    """The admin removes the Salesforce contacts the rule matched."""
    sf = team.org.lf.simple_salesforce()
    for sf_id in team.twins:
        sf.Contact.delete(sf_id)


def test_R18_status_counts_failures_by_class_and_the_queue(team: Team) -> None:
    _three_failed_contacts(team)
    status = _get(team, "status")
    assert status["connection"]["state"] == "connected" and status["enabled"] is True
    assert status["queue"]["contact"] == {"pending": 0, "running": 0, "failed": 3, "held": 0}
    assert status["failures_by_class"] == {FAILED_CLASS: 3} and status["failed"] == 3
    assert status["pending"] == 0 and status["oldest_pending_age_seconds"] is None
    usage = status["api_usage"]
    assert usage["budget_percent"] == 50 and usage["limit"] == 100_000
    assert 0 < usage["used"] <= team.org.api_calls()
    assert len(team.org.sf_records("Account")) == 1 and len(team.org.sf_records("Contact")) == 3


def test_status_shows_the_pending_queue_and_its_oldest_age(team: Team) -> None:
    accounts_and_contacts(team.org, accounts=1, contacts=2)
    status = _get(team, "status")
    assert status["pending"] == 3 and status["queue"]["account"]["pending"] == 1
    assert status["oldest_pending_age_seconds"] >= 0


def test_sync_log_filters_and_pages_with_a_cursor(team: Team) -> None:
    ids = _three_failed_contacts(team)
    failed = _get(team, "log", outcome="failed", kind="contact")["items"]
    assert sorted(e["record_id"] for e in failed) == sorted(ids)
    assert {e["error_code"] for e in failed} == {FAILED_CLASS} and all(e["hint"] for e in failed)
    one = _get(team, "log", record=f"contact:{ids[0]}")["items"]
    assert [e["record_id"] for e in one] == [ids[0]]
    created = _get(team, "log", outcome="created")["items"]
    assert [e["kind"] for e in created] == ["account"]
    first = _get(team, "log", error_class=FAILED_CLASS, limit=2)
    second = _get(team, "log", error_class=FAILED_CLASS, limit=2, cursor=first["next_cursor"])
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    paged = {e["id"] for e in first["items"] + second["items"]}
    assert paged == {e["id"] for e in failed}
    bad = team.client.get("/api/v1/salesforce/log?record=contact-1", headers=team.headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "query.record"


def test_R18_retry_by_error_class_after_the_cause_is_fixed(team: Team) -> None:
    _three_failed_contacts(team)
    _fix_in_salesforce(team)
    answer = team.client.post(
        "/api/v1/salesforce/retry", json={"error_class": FAILED_CLASS}, headers=team.headers
    )
    assert answer.status_code == 200 and answer.json() == {"retried": 3}
    team.org.drain()
    contacts = team.org.sf_records("Contact")
    assert sorted(c["Title"] for c in contacts) == ["Twin 0", "Twin 1", "Twin 2"]
    assert {c["LastName"] for c in contacts} == {"P0", "P1", "P2"}
    assert _get(team, "status")["failures_by_class"] == {}
    none_left = team.client.post(
        "/api/v1/salesforce/retry", json={"all": True}, headers=team.headers
    )
    assert none_left.json() == {"retried": 0}


def test_R18_retry_one_record_and_refuse_an_ambiguous_request(team: Team) -> None:
    ids = _three_failed_contacts(team)
    _fix_in_salesforce(team)
    body = {"record": f"contact:{ids[1]}"}
    answer = team.client.post("/api/v1/salesforce/retry", json=body, headers=team.headers)
    assert answer.json() == {"retried": 1}
    team.org.drain()
    [contact] = team.org.sf_records("Contact")
    assert contact["Pushforce_Id__c"] == f"pf-{team.org.team_id}-contact-{ids[1]}"
    both = {"all": True, "error_class": FAILED_CLASS}
    refused = team.client.post("/api/v1/salesforce/retry", json=both, headers=team.headers)
    assert refused.status_code == 422


# ---- the CLI ----------------------------------------------------------------------------------


@pytest.fixture
def cli(team: Team, monkeypatch: pytest.MonkeyPatch) -> Any:
    config = team.org.config
    monkeypatch.setenv("PUSHFORCE_DATA_DIR", str(config.data_dir))
    monkeypatch.setenv("PUSHFORCE_DATABASE_URL", config.database_url)
    monkeypatch.setenv("PUSHFORCE_SECRET_KEY", config.secret_key)
    monkeypatch.setenv("PUSHFORCE_ALLOWED_SALESFORCE_HOSTS", config.allowed_salesforce_hosts)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli_app, [*args, "--team", team.name], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return result.output

    return run


def test_cli_status_log_retry_and_push_all(team: Team, cli: Any) -> None:
    ids = _three_failed_contacts(team)
    assert FAILED_CLASS in cli("status") and "contact" in cli("status")
    log = cli("log", "--outcome", "failed")
    assert log.count(f"contact:{ids[0]}") == 1 and FAILED_CLASS in log
    _fix_in_salesforce(team)
    assert "3 failed push(es) queued again" in cli("retry", "--class", FAILED_CLASS)
    preview = cli("push-all", "contacts", "--preview")
    assert "3 contact records" in preview and "Nothing was written" in preview
    assert team.org.sf_records("Contact") == []
    done = cli("push-all", "contacts")
    assert "finished: 3/3 done (3 created" in done
    assert sorted(c["LastName"] for c in team.org.sf_records("Contact")) == ["P0", "P1", "P2"]
