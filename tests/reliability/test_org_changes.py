"""F15/F16 (reliability.md §2.3): the org changes under Pushforce between two pushes — records
deleted, merged and converted (R14), a mapped field removed. After a full drain the checker
finds nothing lost, duplicated or stale, and the records that cannot be pushed are held with a
hint."""

from __future__ import annotations

from typing import Any

from engine_helpers import change
from reliability_helpers import Team, assert_contract, people

from pushforce.store import write_transaction

PERSON_FIELDS = [
    {"field": "first_name", "salesforce_field": "FirstName"},
    {"field": "last_name", "salesforce_field": "LastName"},
    {"field": "email", "salesforce_field": "Email"},
]


def _rename(team: Team, record_id: int, last_name: str) -> None:
    with write_transaction(team.engine) as conn:
        change(conn, team.team_id, "contact", record_id, last_name=last_name)


def _lifecycle(team: Team, action: str, body: dict[str, Any]) -> dict[str, Any]:
    return team.lf.control._call("POST", f"/{action}", json=body)  # type: ignore[no-any-return]


def test_F15_deleted_and_merged_contacts_between_pushes(team: Team, seed: int) -> None:
    [deleted, merged, untouched] = team.create_many("contact", people(3))
    [master_id] = team.lf.control.seed({"Contact": [{"LastName": "Master"}]})["Contact"]
    team.drain_fully()
    team.lf.simple_salesforce().Contact.delete(team.link("contact", deleted)["sf_id"])
    loser = team.link("contact", merged)["sf_id"]
    _lifecycle(team, "merge", {"masterRecordId": master_id, "recordToMergeIds": [loser]})
    for record_id in (deleted, merged, untouched):
        _rename(team, record_id, f"Renamed {record_id}")
    team.drain_fully()
    assert team.link("contact", deleted)["state"] == "deleted"  # R14: not re-created
    live = {row["Id"]: row for row in team.sf_records("Contact")}
    assert len(live) == 2  # the master and the untouched contact, nobody resurrected
    assert live[master_id]["LastName"] == f"Renamed {merged}"  # the update followed the merge
    assert_contract(team.check(), seed)


def test_F15_a_lead_converted_between_pushes_is_followed_to_its_contact(
    team: Team, seed: int
) -> None:
    team.settings(enabled=True, contacts={"create_as": "lead"})
    [person] = team.create_many("contact", people(1))
    team.drain_fully()
    lead_id = team.link("contact", person)["sf_id"]
    converted = _lifecycle(
        team, "convert-lead", {"leadId": lead_id, "doNotCreateOpportunity": True}
    )
    _rename(team, person, "After Conversion")
    team.drain_fully()
    [contact] = team.sf_records("Contact")
    assert contact["Id"] == converted["contactId"]
    assert contact["LastName"] == "After Conversion"
    assert len(team.sf_records("Lead")) == 1  # the converted lead, no new one
    assert_contract(team.check(), seed)


def test_F16_a_field_missing_from_the_org_holds_the_records_with_a_hint(
    team: Team, seed: int
) -> None:
    broken = [*PERSON_FIELDS, {"field": "title", "salesforce_field": "Region__c"}]
    team.settings(enabled=True, fields={"contact": broken})
    rows = people(4)
    rows[0]["title"] = "Head of Sales"  # only records with a value for the field write it
    ids = team.create_many("contact", rows)
    team.drain_fully()
    held = {team.external_id("contact", ids[0])}
    report = team.check()
    assert_contract(report, seed, held=held)
    [finding] = report.of("held")
    assert "Region__c" in finding.detail
    team.settings(enabled=True, fields={"contact": PERSON_FIELDS})  # the admin fixes the map
    team.drain_fully()
    assert_contract(team.check(), seed)
    assert len(team.sf_records("Contact")) == 4
