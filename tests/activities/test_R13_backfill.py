"""R13 backfill on link: when a person is first linked to Salesforce, their activities of the
last 30 days that were skipped because nobody of theirs was in Salesforce are pushed (the window
is judged by the engine's clock, a fake one here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from activity_helpers import add, edit, email, log_of, sf_id_of
from harness import Org


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_R13_first_link_pushes_the_skipped_activities_of_the_last_30_days(any_org: Org) -> None:
    org = any_org
    org.settings(enabled=True, contacts={"push_new": False})
    ada = add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    recent = email(org, ["ada@analytical.org"], subject="Recent", sent_at=_days_ago(5))
    old = email(org, ["ada@analytical.org"], subject="Old", sent_at=_days_ago(20))
    task = add(
        org,
        "task",
        task_type="other",
        title="Follow up",
        status="open",
        priority="normal",
        contact_id=ada,
    )
    other = email(org, ["someone@else.io"], subject="Not hers", sent_at=_days_ago(1))
    meeting = add(
        org,
        "meeting",
        source="scheduled_in_app",
        title="Intro",
        starts_at=_days_ago(3),
        ends_at=_days_ago(2),
        participants=["Ada@Analytical.org"],
    )
    org.drain()
    for kind, record_id in (("email", recent), ("email", old), ("task", task)):
        assert log_of(org, kind, record_id)[-1]["reason"].startswith("person_not_in_salesforce")
    assert org.sf_records("Task") == []

    org.clock.advance(days=15)  # "Old" is now 35 days old: outside the window
    result = org.push("contact", ada)  # first link (R11: by hand, push_new notwithstanding)
    assert result is not None
    who = sf_id_of(org, "contact", ada)
    backfilled = [e for e in org.log() if e["decision"] == "backfill"]
    assert sorted((e["kind"], e["record_id"]) for e in backfilled) == sorted(
        [("email", recent), ("task", task), ("meeting", meeting)]
    )
    assert all("ada@analytical.org" in e["reason"] for e in backfilled)
    org.drain()
    subjects = sorted(t["Subject"] for t in org.sf_records("Task") if t["WhoId"] == who)
    assert subjects == ["Email: Recent", "Other: Follow up"]
    [event] = org.sf_records("Event")
    assert (event["Subject"], event["WhoId"]) == ("Intro", who)
    assert log_of(org, "email", old)[-1]["outcome"] == "skipped"
    assert [e["decision"] for e in log_of(org, "email", other)] == ["skip"]
    assert org.jobs() == []


def test_R13_a_person_linked_again_by_an_update_backfills_nothing(org: Org) -> None:
    ada = add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    org.drain()
    email(org, ["ada@analytical.org"], subject="Pushed", sent_at=_days_ago(1))
    org.drain()
    edit(org, "contact", ada, title="Countess")
    org.drain()
    assert [e for e in org.log() if e["decision"] == "backfill"] == []
    assert len(org.sf_records("Task")) == 1
