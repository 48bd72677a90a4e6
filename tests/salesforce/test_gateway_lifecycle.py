"""R14: an update to a merged, deleted or converted record says where the record went."""

from __future__ import annotations

from sf_helpers import collection, contact_update, gateway_on, lead_update

from localforce.testing import RunningServer
from pushforce.core.batching import WriteOp
from pushforce.core.outcomes import Outcome, OutcomeKind, Successor


def _seed(lf: RunningServer, sobject: str, *rows: dict[str, object]) -> list[str]:
    return lf.control.seed({sobject: list(rows)}, validate=True)[sobject]


def test_R14_an_update_to_a_merged_contact_names_the_master(lf: RunningServer) -> None:
    master, loser = _seed(lf, "Contact", {"LastName": "Keep"}, {"LastName": "Lose"})
    lf.control._call("POST", "/merge", json={"masterRecordId": master, "recordToMergeIds": [loser]})
    results = gateway_on(lf).run_collection(
        collection("Contact", WriteOp.UPDATE, contact_update(1, loser, Title="CFO"))
    )
    outcome = results[0]
    assert isinstance(outcome, Outcome) and outcome.kind is OutcomeKind.MERGED
    assert outcome.successor == Successor("Contact", master)
    assert "Title" not in (lf.control.record(master) or {})


def test_R14_an_update_to_a_deleted_contact_is_deleted_without_successor(lf: RunningServer) -> None:
    (gone,) = _seed(lf, "Contact", {"LastName": "Gone"})
    lf.simple_salesforce().Contact.delete(gone)
    outcome = gateway_on(lf).run_collection(
        collection("Contact", WriteOp.UPDATE, contact_update(1, gone, Title="CFO"))
    )[0]
    assert isinstance(outcome, Outcome)
    assert (outcome.kind, outcome.successor) == (OutcomeKind.DELETED, None)


def test_R14_an_update_to_a_converted_lead_names_its_contact_and_account(
    lf: RunningServer,
) -> None:
    (lead,) = _seed(lf, "Lead", {"LastName": "Lee", "Company": "Acme"})
    converted = lf.control._call("POST", "/convert-lead", json={"leadId": lead})
    outcome = gateway_on(lf).run_collection(
        collection("Lead", WriteOp.UPDATE, lead_update(1, lead, Title="CEO"))
    )[0]
    assert isinstance(outcome, Outcome) and outcome.kind is OutcomeKind.CONVERTED
    assert outcome.successor is not None
    assert outcome.successor.sf_id[:15] == converted["contactId"][:15]
    assert (
        outcome.successor.account_id
        and outcome.successor.account_id[:15] == converted["accountId"][:15]
    )
