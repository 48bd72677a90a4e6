"""Lead conversion and merge against a real org: the state Pushforce meets afterwards (R14)."""

from __future__ import annotations

import pytest

from localforce.errors import OrgError
from localforce.lifecycle import convert_lead, merge
from localforce.org import Org
from localforce.schema import build_schema
from localforce.soql import execute


@pytest.fixture
def org() -> Org:
    return Org(build_schema())


def new_lead(org: Org, **extra: object) -> str:
    values = {"FirstName": "Grace", "LastName": "Hopper", "Company": "Navy", "Email": "g@navy.mil"}
    return org.insert("Lead", {**values, **extra})


def code_of(error: pytest.ExceptionInfo[OrgError]) -> str:
    return error.value.errors[0].code


def test_conversion_creates_account_contact_opportunity_and_marks_the_lead(org: Org) -> None:
    lead_id = new_lead(org, LeadSource="Web", City="Arlington")
    result = convert_lead(org, lead_id)
    lead, account = org.get(lead_id), org.get(result.account_id)
    contact, opportunity = org.get(result.contact_id), org.get(result.opportunity_id or "")
    assert lead is not None and account is not None and contact is not None and opportunity
    assert lead["IsConverted"] is True and lead["Status"] == "Closed - Converted"
    assert (lead["ConvertedContactId"], lead["ConvertedAccountId"]) == (
        contact["Id"],
        account["Id"],
    )
    assert lead["ConvertedOpportunityId"] == opportunity["Id"]
    assert str(lead["ConvertedDate"]) == org.now().date().isoformat()
    assert (account["Name"], account["AccountSource"], account["BillingCity"]) == (
        "Navy",
        "Web",
        "Arlington",
    )
    assert (contact["LastName"], contact["Email"], contact["AccountId"]) == (
        "Hopper",
        "g@navy.mil",
        account["Id"],
    )
    assert (opportunity["AccountId"], opportunity["Name"]) == (account["Id"], "Navy")


def test_converted_lead_refuses_updates(org: Org) -> None:
    lead_id = new_lead(org)
    convert_lead(org, lead_id, create_opportunity=False)
    with pytest.raises(OrgError) as caught:
        org.update(lead_id, {"Title": "Rear Admiral"})
    assert code_of(caught) == "CANNOT_UPDATE_CONVERTED_LEAD"
    with pytest.raises(OrgError) as again:
        convert_lead(org, lead_id)
    assert code_of(again) == "CANNOT_UPDATE_CONVERTED_LEAD"


def test_conversion_into_existing_account_and_contact(org: Org) -> None:
    account_id = org.insert("Account", {"Name": "US Navy"})
    contact_id = org.insert("Contact", {"LastName": "Hopper"})
    result = convert_lead(
        org, new_lead(org), account_id=account_id, contact_id=contact_id, create_opportunity=False
    )
    assert (result.account_id, result.contact_id, result.opportunity_id) == (
        account_id,
        contact_id,
        None,
    )
    assert org.get(contact_id)["AccountId"] == account_id  # type: ignore[index]
    assert org.count("Account") == 1


def test_lead_activities_move_to_the_contact(org: Org) -> None:
    lead_id = new_lead(org)
    task_id = org.insert("Task", {"Subject": "Call", "WhoId": lead_id})
    result = convert_lead(org, lead_id)
    task = org.get(task_id)
    assert task is not None
    assert (task["WhoId"], task["WhatId"]) == (result.contact_id, result.opportunity_id)


def test_failed_conversion_leaves_the_org_unchanged(org: Org) -> None:
    lead_id = new_lead(org)
    with pytest.raises(OrgError) as caught:
        convert_lead(org, lead_id, contact_id="003000000000000AAA")
    assert code_of(caught) == "INVALID_CROSS_REFERENCE_KEY"
    assert org.count("Account") == 0
    assert org.get(lead_id).get("IsConverted") is not True  # type: ignore[union-attr]


def test_merge_deletes_losers_with_master_record_id_and_moves_children(org: Org) -> None:
    master = org.insert("Account", {"Name": "Acme"})
    loser = org.insert("Account", {"Name": "ACME Inc"})
    contact = org.insert("Contact", {"LastName": "Doe", "AccountId": loser})
    result = merge(org, master, [loser[:15]], {"Phone": "555"})
    assert result.merged_ids == [loser] and result.updated_related_ids == [contact]
    assert org.get(contact)["AccountId"] == master  # type: ignore[index]
    assert org.get(master)["Phone"] == "555"  # type: ignore[index]
    gone = execute(org, f"SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id = '{loser}'")
    assert gone.total_size == 0
    every = execute(
        org,
        f"SELECT IsDeleted, MasterRecordId FROM Account WHERE Id = '{loser}'",
        include_deleted=True,
    )
    row = every.render(every.rows[0], "60.0")
    assert (row["IsDeleted"], row["MasterRecordId"]) == (True, master)
    with pytest.raises(OrgError) as caught:
        org.update(loser, {"Name": "x"})
    assert code_of(caught) == "ENTITY_IS_DELETED"


@pytest.mark.parametrize(
    ("losers", "code"),
    [
        ([], "LIMIT_EXCEEDED"),
        (["three"], "INVALID_CROSS_REFERENCE_KEY"),
        (["contact"], "INVALID_CROSS_REFERENCE_KEY"),
        (["self"], "INVALID_ID_FIELD"),
        (["a", "b", "c"], "LIMIT_EXCEEDED"),
    ],
)
def test_merge_refusals(org: Org, losers: list[str], code: str) -> None:
    master = org.insert("Account", {"Name": "Acme"})
    known = {
        "self": master,
        "contact": org.insert("Contact", {"LastName": "Doe"}),
        "a": org.insert("Account", {"Name": "A"}),
        "b": org.insert("Account", {"Name": "B"}),
        "c": org.insert("Account", {"Name": "C"}),
    }
    with pytest.raises(OrgError) as caught:
        merge(org, master, [known.get(name, "001000000000000AAA") for name in losers])
    assert code_of(caught) == code
    assert all(not org.get(i)["IsDeleted"] for i in known.values())  # type: ignore[index]
