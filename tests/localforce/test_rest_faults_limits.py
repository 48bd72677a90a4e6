"""Daily allocation, the long-request cap, fault injection, the request log and latency
(reference §7; the hooks for Pushforce's reliability tests, R18–R20)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)

from localforce.testing import ControlClient, RunningServer


def api(lf: RunningServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {lf.token}"}
    return lf.session().request(
        method, f"{lf.base_url}/services/data/v60.0/{path}", headers=headers, **kwargs
    )


def wait_for(condition: Any, deadline_seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
    raise AssertionError("condition not met before the deadline")


def test_daily_allocation_spent_gives_403_request_limit_exceeded(
    sf: Any, control: ControlClient
) -> None:
    control.set_limits(daily_api_requests=3, used=2)
    sf.Account.create({"Name": "last one"})
    with pytest.raises(SalesforceRefusedRequest) as caught:
        sf.Account.create({"Name": "refused"})
    assert caught.value.content == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
    assert [r["Name"] for r in control.records("Account")] == ["last one"]


def test_every_data_response_carries_the_limit_header(
    lf: RunningServer, control: ControlClient
) -> None:
    control.set_limits(daily_api_requests=1000, used=7)
    assert api(lf, "GET", "sobjects").headers["Sforce-Limit-Info"] == "api-usage=8/1000"
    missing = api(lf, "GET", "sobjects/Account/001000000000000AAA")
    assert missing.status_code == 404 and missing.headers["Sforce-Limit-Info"] == "api-usage=9/1000"


def test_unable_to_lock_row_fires_count_times(sf: Any, control: ControlClient) -> None:
    control.add_fault({"kind": "UNABLE_TO_LOCK_ROW", "object": "Contact", "count": 1})
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Contact.create({"LastName": "A"})
    assert caught.value.content[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"
    sf.Account.create({"Name": "other object is not affected"})
    sf.Contact.create({"LastName": "B"})
    assert [r["LastName"] for r in control.records("Contact")] == ["B"]


def test_per_record_lock_errors_in_collections(sf: Any, control: ControlClient) -> None:
    control.add_fault(
        {"kind": "UNABLE_TO_LOCK_ROW", "object": "Contact", "count": 1, "per_record": True}
    )
    records = [{"attributes": {"type": "Contact"}, "LastName": n} for n in ("A", "B")]
    results = sf.restful("composite/sobjects", method="POST", json={"records": records})
    assert results[0]["errors"][0]["statusCode"] == "UNABLE_TO_LOCK_ROW"
    assert results[1]["success"] is True
    assert [r["LastName"] for r in control.records("Contact")] == ["B"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_come_with_html_bodies(
    lf: RunningServer, control: ControlClient, status: int
) -> None:
    control.add_fault(
        {"kind": str(status), "path": "/sobjects/Account$", "fraction": 1.0, "count": 1}
    )
    response = api(lf, "POST", "sobjects/Account", json={"Name": "A"})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    assert control.records("Account") == []
    with pytest.raises(SalesforceGeneralError):
        control.add_fault({"kind": str(status), "count": 1})
        lf.simple_salesforce().Account.create({"Name": "B"})


def test_commit_then_fail_writes_but_answers_500(lf: RunningServer, control: ControlClient) -> None:
    control.add_fault({"kind": "commit_then_fail", "method": "POST", "count": 1})
    response = api(lf, "POST", "sobjects/Contact", json={"LastName": "Committed"})
    assert response.status_code == 500
    assert [r["LastName"] for r in control.records("Contact")] == ["Committed"]
    log = next(e for e in control.log() if e["path"].endswith("/sobjects/Contact"))
    assert (log["status"], log["records_written"], log["fault"]) == (500, 1, "commit_then_fail")


def test_hang_outlasts_the_client_timeout(lf: RunningServer, control: ControlClient) -> None:
    control.add_fault({"kind": "hang", "seconds": 30, "count": 1})
    with pytest.raises(requests.exceptions.ReadTimeout):
        api(lf, "GET", "limits", timeout=0.5)
    assert api(lf, "GET", "limits").status_code == 200


def test_token_expiry_fault_expires_sessions(lf: RunningServer, control: ControlClient) -> None:
    sf = lf.simple_salesforce()
    control.add_fault({"kind": "token_expiry", "count": 1})
    with pytest.raises(SalesforceExpiredSession) as caught:
        sf.Account.create({"Name": "A"})
    assert caught.value.content == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]
    with pytest.raises(SalesforceExpiredSession):
        sf.Account.create({"Name": "still expired"})
    assert control.records("Account") == []


def test_injected_request_limit_exceeded(sf: Any, control: ControlClient) -> None:
    control.add_fault({"kind": "REQUEST_LIMIT_EXCEEDED", "concurrent": True, "count": 1})
    with pytest.raises(SalesforceRefusedRequest) as caught:
        sf.Account.create({"Name": "A"})
    assert caught.value.content[0]["message"] == "ConcurrentPerOrgLongTxn Limit exceeded."


def test_concurrent_long_request_cap(lf: RunningServer, control: ControlClient) -> None:
    control.set_limits(max_concurrent_long_requests=1, long_request_seconds=0.2)
    control.add_fault({"kind": "hang", "path": "/limits$", "seconds": 3, "count": 1})
    outcome: list[Any] = []

    def call() -> None:
        try:
            outcome.append(api(lf, "GET", "limits", timeout=10))
        except Exception as exc:
            outcome.append(exc)

    hung = threading.Thread(target=call, daemon=True)
    hung.start()
    # a requests.Response is falsy for 4xx, so wait on a list holding it
    refused = wait_for(lambda: [r for r in [api(lf, "GET", "sobjects")] if r.status_code == 403])[0]
    assert refused.json()[0]["message"] == "ConcurrentPerOrgLongTxn Limit exceeded."
    hung.join(10)
    assert outcome[0].status_code == 503  # the hang ends in a 503 page
    assert api(lf, "GET", "sobjects").status_code == 200


def test_request_log_and_counters(sf: Any, control: ControlClient) -> None:
    sf.restful(
        "composite/sobjects",
        method="POST",
        json={"records": [{"attributes": {"type": "Account"}, "Name": n} for n in ("A", "B", "C")]},
    )
    entry = next(e for e in reversed(control.log()) if e["path"].endswith("/composite/sobjects"))
    assert (entry["method"], entry["status"], entry["records_written"], entry["api_calls"]) == (
        "POST",
        200,
        3,
        1,
    )
    counters = control.counters()
    assert counters["records"]["Account"] == 3 and counters["records_written"] >= 3


def test_latency_model_delays_by_request_and_record(
    lf: RunningServer, control: ControlClient
) -> None:
    control.set_limits(per_request_ms=50, per_record_ms=20)
    api(lf, "POST", "sobjects/Account", json={"Name": "A"})
    entry = control.log()[-1]
    assert entry["records_written"] == 1 and entry["duration_ms"] >= 70


def test_fault_rules_are_validated(control: ControlClient) -> None:
    with pytest.raises(requests.HTTPError) as caught:
        control.add_fault({"kind": "EXPLODE"})
    assert "fault.kind" in caught.value.response.json()[0]["message"]


def test_fraction_and_removal_of_fault_rules(sf: Any, control: ControlClient) -> None:
    never = control.add_fault({"kind": "UNABLE_TO_LOCK_ROW", "object": "Account", "fraction": 0.0})
    sf.Account.create({"Name": "never fails"})
    control.session.delete(f"{control.base}/faults/{never['id']}").raise_for_status()
    control.add_fault(
        {"kind": "UNABLE_TO_LOCK_ROW", "object": "Account", "fraction": 1.0, "count": 2}
    )
    for _ in range(2):
        with pytest.raises(SalesforceMalformedRequest):
            sf.Account.create({"Name": "fails"})
    sf.Account.create({"Name": "count spent"})
    assert sorted(r["Name"] for r in control.records("Account")) == ["count spent", "never fails"]
    assert control.counters()["faults_fired"] == 2


def test_validated_seed_reports_salesforce_errors(control: ControlClient) -> None:
    with pytest.raises(requests.HTTPError) as caught:
        control.seed(
            {"Contact": [{"LastName": "ok"}, {"FirstName": "no last name"}]}, validate=True
        )
    assert caught.value.response.json()[0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert control.records("Contact") == []


def test_faults_reach_the_token_endpoint_only_when_aimed_at_it(
    lf: RunningServer, control: ControlClient
) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": "localforce-client",
        "client_secret": "localforce-secret",
    }
    token_url = f"{lf.base_url}/services/oauth2/token"
    control.add_fault({"kind": "503", "count": 1})
    assert lf.session().post(token_url, data=form).status_code == 200
    control.clear_faults()
    control.add_fault({"kind": "503", "path": "/services/oauth2/token", "count": 1})
    refused = lf.session().post(token_url, data=form)
    assert refused.status_code == 503 and refused.text.startswith("<!DOCTYPE html>")
    assert lf.session().post(token_url, data=form).status_code == 200
