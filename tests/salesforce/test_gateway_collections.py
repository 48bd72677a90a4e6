"""sObject Collections through the gateway, checked against localforce's stored records."""

from __future__ import annotations

from pathlib import Path

from sf_helpers import collection, contact_create, contact_update, gateway_on

from localforce.testing import RunningServer, running_server
from pushforce.core.batching import WriteOp
from pushforce.core.outcomes import OutcomeKind, Success


def test_R16_creates_are_upserts_on_pushforce_id_when_the_org_has_it(lf: RunningServer) -> None:
    gateway = gateway_on(lf)
    call = collection("Contact", WriteOp.CREATE, contact_create(1), contact_create(2))
    first = gateway.run_collection(call)
    again = gateway.run_collection(call)  # a retry after an ambiguous failure: no duplicate
    assert [type(r) for r in first] == [Success, Success]
    assert all(r.created for r in first if isinstance(r, Success))
    assert [r.sf_id for r in again if isinstance(r, Success)] == [
        r.sf_id for r in first if isinstance(r, Success)
    ]
    assert not any(r.created for r in again if isinstance(r, Success))
    stored = {c["Pushforce_Id__c"]: c for c in lf.control.records("Contact")}
    assert set(stored) == {"pf-7-contact-1", "pf-7-contact-2"}
    assert stored["pf-7-contact-1"]["Email"] == "p1@example.com"
    paths = [entry["path"] for entry in lf.control.log()]
    assert paths.count("/services/data/v59.0/composite/sobjects/Contact/Pushforce_Id__c") == 2


def test_R16_an_org_without_the_field_gets_plain_creates(tmp_path: Path) -> None:
    with running_server(tmp_path, config={"pushforce_id_fields": False}) as server:
        gateway = gateway_on(server)
        results = gateway.run_collection(collection("Contact", WriteOp.UPSERT, contact_create(1)))
        assert isinstance(results[0], Success) and results[0].created
        stored = server.control.records("Contact")
        assert len(stored) == 1 and "Pushforce_Id__c" not in stored[0]
        methods = [(e["method"], e["path"]) for e in server.control.log()]
        assert ("POST", "/services/data/v59.0/composite/sobjects") in methods


def test_per_record_errors_are_classified_and_the_rest_succeed(lf: RunningServer) -> None:
    gateway = gateway_on(lf)
    bad = contact_create(2)
    bad = type(bad)(bad.record, "Contact", {"Email": "nolastname@example.com"}, bad.external_id)
    results = gateway.run_collection(collection("Contact", WriteOp.CREATE, contact_create(1), bad))
    assert isinstance(results[0], Success)
    failed = results[1]
    assert not isinstance(failed, Success)
    assert (failed.kind, failed.code) == (OutcomeKind.PERMANENT, "REQUIRED_FIELD_MISSING")
    assert failed.fields == ("LastName",) and "LastName" in failed.hint
    assert [c["Pushforce_Id__c"] for c in lf.control.records("Contact")] == ["pf-7-contact-1"]


def test_update_by_id_writes_only_the_given_fields(lf: RunningServer) -> None:
    gateway = gateway_on(lf)
    created = gateway.run_collection(collection("Contact", WriteOp.CREATE, contact_create(1)))[0]
    assert isinstance(created, Success)
    update = contact_update(1, created.sf_id, Title="CTO")
    result = gateway.run_collection(collection("Contact", WriteOp.UPDATE, update))[0]
    assert result == Success("Contact", created.sf_id, False)
    stored = lf.control.record(created.sf_id)
    assert stored is not None
    assert (stored["Title"], stored["Email"]) == ("CTO", "p1@example.com")


def test_describe_is_cached_per_org_and_shared_by_gateways(lf: RunningServer) -> None:
    first, second = gateway_on(lf, key="a"), gateway_on(lf, key="b")
    info = first.describe("Contact")
    assert info.has_pushforce_id
    assert info.fields["LastName"].length == 80 and not info.fields["LastName"].nillable
    assert "Email" in info.fields
    second.describe("Contact")
    describes = [e for e in lf.control.log() if "/Contact/describe" in e["path"]]
    assert len(describes) == 1


def test_alert_duplicate_rules_let_writes_through_and_block_rules_fail_with_a_hint(
    tmp_path: Path,
) -> None:
    rules = [
        {"object": "Contact", "fields": ["Email"], "action": "alert"},
        {"object": "Lead", "fields": ["Email"], "action": "block"},
    ]
    with running_server(tmp_path, config={"duplicate_rules": rules}) as server:
        server.control.seed(
            {
                "Contact": [{"LastName": "Old", "Email": "p1@example.com"}],
                "Lead": [{"LastName": "Old", "Company": "X", "Email": "l@example.com"}],
            }
        )
        gateway = gateway_on(server)
        contact = gateway.run_collection(collection("Contact", WriteOp.CREATE, contact_create(1)))
        assert isinstance(contact[0], Success)  # allowSave=true is sent (matching already ran)
        record = contact_create(2)
        lead = type(record)(
            record.record,
            "Lead",
            {"LastName": "New", "Company": "Y", "Email": "l@example.com"},
            record.external_id,
        )
        blocked = gateway.run_collection(collection("Lead", WriteOp.CREATE, lead))[0]
        assert not isinstance(blocked, Success)
        assert (blocked.kind, blocked.code) == (OutcomeKind.PERMANENT, "DUPLICATES_DETECTED")
        assert "duplicate rule" in blocked.hint
        assert (
            len(server.control.records("Contact")) == 2 and len(server.control.records("Lead")) == 1
        )
