"""``POST /__localforce__/reset`` leaves nothing of the previous test behind: records, bulk
ingest and query jobs (running ones stopped first), query cursors, faults, limits, clock, the
request log and counters; the ``--token`` works again and issued sessions stay valid (§11.7)."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from localforce.testing import ControlClient, RunningServer

POLL = 0.05


def test_reset_forgets_bulk_ingest_and_query_jobs(sf: Any, control: ControlClient) -> None:
    [ingest] = sf.bulk2.Contact.insert(records=[{"LastName": "Doe"}], wait=POLL)
    query = sf.restful(
        "jobs/query", method="POST", json={"operation": "query", "query": "SELECT Id FROM Contact"}
    )
    control.reset()
    assert sf.restful("jobs/ingest")["records"] == []
    assert sf.restful("jobs/query")["records"] == []
    for path in (f"jobs/ingest/{ingest['job_id']}", f"jobs/query/{query['id']}"):
        with pytest.raises(SalesforceResourceNotFound):
            sf.restful(path)
    assert control.records("Contact") == []


def test_reset_stops_a_running_ingest_job_before_emptying_the_org(
    lf: RunningServer, sf: Any, control: ControlClient
) -> None:
    session, headers = lf.session(), {"Authorization": f"Bearer {lf.token}"}
    rate_url = f"{lf.base_url}/__localforce__/bulk/rate"
    session.put(rate_url, json={"recordsPerSecond": 2, "batchSize": 10}, headers=headers)
    job = sf.restful(
        "jobs/ingest", method="POST", json={"object": "Contact", "operation": "insert"}
    )
    rows = "LastName\n" + "".join(f"Slow {i}\n" for i in range(10))
    session.put(
        f"{lf.base_url}/services/data/v60.0/jobs/ingest/{job['id']}/batches",
        data=rows,
        headers={**headers, "Content-Type": "text/csv"},
    )
    sf.restful(f"jobs/ingest/{job['id']}", method="PATCH", json={"state": "UploadComplete"})
    control.reset()  # the job would need 5 s; reset aborts it and waits for it to stop
    assert lf.state.bulk_ingest.wait_idle(0)  # nothing left running that could still write
    assert control.records("Contact") == []
    assert session.get(rate_url, headers=headers).json()["recordsPerSecond"] is None


def test_reset_closes_query_cursors(sf: Any, control: ControlClient) -> None:
    control.seed({"Contact": [{"LastName": f"C{i}"} for i in range(201)]})
    first = sf.query("SELECT Id FROM Contact", headers={"Sforce-Query-Options": "batchSize=200"})
    assert first["done"] is False and len(first["records"]) == 200
    control.reset()
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert caught.value.content[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_reset_clears_faults_limits_clock_log_and_counters(sf: Any, control: ControlClient) -> None:
    before = control._call("GET", "/limits")
    control.add_fault({"kind": "503", "path": "/sobjects/Lead$", "count": 5})
    control.set_limits(daily_api_requests=3, used=2, per_request_ms=5, long_request_seconds=1)
    control.set_clock(now="2020-01-01T00:00:00Z", frozen=True)
    sf.Account.create({"Name": "Acme"})

    control.reset()
    assert [entry["path"] for entry in control.log()] == ["/__localforce__/reset"]
    counters = control.counters()
    assert (counters["api_calls"], counters["records_written"], counters["faults_fired"]) == (
        0,
        0,
        0,
    )
    assert control._call("GET", "/faults") == []
    assert control.add_fault({"kind": "503", "path": "^/never$"})["id"] == 1
    assert control._call("GET", "/limits") == before
    clock = control._call("GET", "/clock")
    assert clock["frozen"] is False and not clock["now"].startswith("2020")
    [user] = control.records("User")
    assert not user["CreatedDate"].startswith("2020")
    assert sf.Lead.create({"LastName": "L", "Company": "C"})["success"] is True


def test_reset_restores_the_static_token_and_keeps_issued_sessions(
    lf: RunningServer, control: ControlClient
) -> None:
    issued = lf.session().post(
        f"{lf.base_url}/services/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "localforce-client",
            "client_secret": "localforce-secret",
        },
    )
    assert issued.status_code == 200
    oauth_client = Salesforce(
        instance_url=lf.base_url, session_id=issued.json()["access_token"], session=lf.session()
    )
    oauth_client.Account.create({"Name": "Before"})
    control.reset()
    assert oauth_client.Account.create({"Name": "Issued"})["success"] is True

    control.expire_tokens()
    static_session = lf.session()
    static_session.headers["Authorization"] = f"Bearer {lf.token}"
    reset = static_session.post(f"{lf.base_url}/__localforce__/reset")
    assert reset.status_code == 200  # the --token always works on the control API
    assert lf.simple_salesforce().Account.create({"Name": "Static"})["success"] is True
    assert [a["Name"] for a in control.records("Account")] == ["Static"]


def test_reset_keeps_org_and_user_ids_but_never_reissues_a_record_id(
    sf: Any, control: ControlClient
) -> None:
    [organization] = control.records("Organization")
    before = sf.Account.create({"Name": "Before"})["id"]
    control.reset()
    after = sf.Account.create({"Name": "After"})["id"]
    assert after != before
    with pytest.raises(SalesforceResourceNotFound) as caught:
        sf.Account.get(before)
    assert caught.value.content[0]["errorCode"] == "NOT_FOUND"
    assert control.records("Organization")[0]["Id"] == organization["Id"]
