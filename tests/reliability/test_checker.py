"""The reconciliation checker (reliability.md §2.4) finds each kind of violation it is made
for, and finds none after a clean drain."""

from __future__ import annotations

from reliability_helpers import Team, assert_contract, people

from pushforce.store import write_transaction
from pushforce.store.push_schema import links


def test_a_clean_drain_passes_the_check(team: Team, seed: int) -> None:
    team.create_many("contact", people(5))
    team.drain_fully()
    report = team.check()
    assert_contract(report, seed)
    assert report.records_checked == 5 and report.links_checked == 5
    assert report.salesforce_rows == 5


def test_a_record_the_settings_push_with_no_push_queued_is_lost(team: Team) -> None:
    [kept, dropped] = team.create_many("contact", people(2))
    team.drain_fully()
    with write_transaction(team.engine) as conn:  # as if a push had vanished
        conn.execute(
            links.delete().where(links.c.external_id == team.external_id("contact", dropped))
        )
    report = team.check()
    lost = report.external_ids("lost")
    assert team.external_id("contact", dropped) in lost
    # its Salesforce record now carries our id with no link: unexpected too
    assert report.external_ids("unexpected") == {team.external_id("contact", dropped)}
    assert team.external_id("contact", kept) not in lost
    assert not report.ok


def test_a_queued_push_is_not_lost_but_counted(team: Team) -> None:
    team.create_many("contact", people(1))
    report = team.check()
    assert report.ok and not report.drained
    assert report.counts["queued"] == 1


def test_a_record_changed_in_salesforce_is_stale(team: Team) -> None:
    [contact_id] = team.create_many("contact", people(1))
    team.drain_fully()
    sf_id = team.link("contact", contact_id)["sf_id"]
    team.lf.simple_salesforce().Contact.update(sf_id, {"LastName": "Overwritten"})
    [stale] = team.check().of("stale")
    assert "LastName" in stale.detail and stale.record_id == contact_id


def test_records_carrying_our_external_id_without_a_link_are_unexpected(team: Team) -> None:
    team.lf.control.seed(
        {"Contact": [{"LastName": "Ghost", "Pushforce_Id__c": f"pf-{team.team_id}-contact-999"}]}
    )
    report = team.check()
    assert report.external_ids("unexpected") == {f"pf-{team.team_id}-contact-999"}


def test_another_teams_write_in_this_org_is_cross_team(team: Team) -> None:
    other = team.team_id + 1000  # a team that is not connected to this org
    team.lf.control.seed(
        {"Account": [{"Name": "Theirs", "Pushforce_Id__c": f"pf-{other}-account-1"}]}
    )
    assert team.check().external_ids("cross_team") == {f"pf-{other}-account-1"}


def test_two_links_to_one_salesforce_record_are_duplicated(team: Team) -> None:
    [first, second] = team.create_many("contact", people(2))
    team.drain_fully()
    target = team.link("contact", first)["sf_id"]
    with write_transaction(team.engine) as conn:
        conn.execute(
            links.update()
            .where(links.c.external_id == team.external_id("contact", second))
            .values(sf_id=target)
        )
    duplicated = team.check().of("duplicated")
    assert any(f.sf_id == target for f in duplicated)


def test_usage_over_the_budget_is_reported(team: Team) -> None:
    team.settings(enabled=True, limits={"api_budget_percent": 10})
    team.lf.control.set_limits(daily_api_requests=1000, used=500)
    [finding] = team.check().of("budget")
    assert "budget 10 %" in finding.detail


def test_one_email_created_twice_by_pushforce_is_duplicated(team: Team) -> None:
    [contact_id] = team.create_many("contact", people(1))
    team.drain_fully()
    team.lf.control.seed({"Contact": [{"LastName": "Again", "Email": "p0@example.com"}]})
    [finding] = team.check().of("duplicated")
    assert "p0@example.com was created 2 times" in finding.detail
    assert team.link("contact", contact_id)["sf_id"] in finding.detail
