"""Dates and datetimes are stored as the wire strings on every write path, and snapshots written
by older releases (with Python date objects) load into that form (§2.1, §13)."""

from __future__ import annotations

import pickle
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from localforce.org import Org
from localforce.persistence import FORMAT, Persistence
from localforce.schema import build_schema
from localforce.testing import ControlClient, RunningServer, running_server

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")
POLL = 0.05


def assert_wire_strings(
    record: dict[str, Any], dates: tuple[str, ...], stamps: tuple[str, ...]
) -> None:
    for name in dates:
        assert isinstance(record[name], str) and DATE.match(record[name]), (name, record[name])
    for name in stamps:
        assert isinstance(record[name], str) and DATETIME.match(record[name]), (name, record[name])


def test_rest_bulk_seed_derived_and_conversion_store_strings(
    lf: RunningServer, sf: Any, control: ControlClient
) -> None:
    opportunity = sf.Opportunity.create(
        {"Name": "Deal", "StageName": "Prospecting", "CloseDate": "2024-01-31T23:30:00Z"}
    )["id"]
    event = sf.Event.create(
        {"Subject": "Call", "StartDateTime": "2024-03-01T09:00:00+01:00", "DurationInMinutes": 30}
    )["id"]
    [seeded] = control.seed({"Task": [{"Subject": "S", "ActivityDate": "2024-02-02"}]})["Task"]
    [job] = sf.bulk2.Task.insert(
        records=[{"Subject": "B", "ActivityDate": "2024-04-04"}], wait=POLL
    )
    lead = sf.Lead.create({"LastName": "L", "Company": "C"})["id"]
    converted = lf.session().post(
        f"{lf.base_url}/__localforce__/convert-lead",
        json={"leadId": lead},
        headers={"Authorization": f"Bearer {lf.token}"},
    )
    assert converted.status_code == 200 and job["numberRecordsProcessed"] == 1

    stored = control.record(opportunity)
    assert stored and stored["CloseDate"] == "2024-01-31"
    assert_wire_strings(stored, ("CloseDate",), ("CreatedDate", "LastModifiedDate"))
    stored_event = control.record(event)
    assert stored_event and stored_event["StartDateTime"] == "2024-03-01T08:00:00.000+0000"
    assert_wire_strings(stored_event, ("ActivityDate",), ("StartDateTime", "EndDateTime"))
    tasks = {t["Subject"]: t for t in control.records("Task")}
    assert (tasks["S"]["ActivityDate"], tasks["B"]["ActivityDate"]) == ("2024-02-02", "2024-04-04")
    assert seeded == tasks["S"]["Id"]
    converted_lead = control.record(lead)
    assert converted_lead and DATE.match(converted_lead["ConvertedDate"])
    new_opportunity = control.record(converted.json()["opportunityId"])
    assert new_opportunity and DATE.match(new_opportunity["CloseDate"])


def legacy_records(org: Org) -> list[dict[str, Any]]:
    """The org's records as a release that kept Python date/datetime objects stored them."""
    opportunity = org.insert(
        "Opportunity", {"Name": "Old", "StageName": "Prospecting", "CloseDate": "2024-01-31"}
    )
    record = dict(org.get(opportunity) or {})
    record["CloseDate"] = date(2024, 1, 31)
    record["CreatedDate"] = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    return [r if r["Id"] != opportunity else record for r in org.records.values()]


def write_format_1(path: Path, records: list[dict[str, Any]], id_last: int) -> None:
    with open(path / "state.pickle", "wb") as handle:
        pickle.dump({"format": 1, "records": records, "id_last": id_last}, handle)


def write_format_2(path: Path, records: list[dict[str, Any]], id_last: int) -> None:
    with open(path / "state.pickle", "wb") as handle:
        pickle.dump({"format": 2, "id_last": id_last, "count": len(records)}, handle)
        pickle.dump(records, handle)


def test_format_1_and_2_snapshots_load_with_dates_as_strings(tmp_path: Path) -> None:
    source = Org(build_schema())
    records = legacy_records(source)
    for version, write in ((1, write_format_1), (2, write_format_2)):
        write(tmp_path, records, source.ids.last)
        org = Org(build_schema())
        assert Persistence(org, tmp_path).load(), version
        [old] = list(org.scan("Opportunity"))
        assert (old["CloseDate"], old["CreatedDate"]) == (
            "2024-01-31",
            "2024-01-02T03:04:05.000+0000",
        )
        Persistence(org, tmp_path).save()
        with open(tmp_path / "state.pickle", "rb") as handle:
            assert pickle.load(handle)["format"] == FORMAT


def test_legacy_snapshot_answers_rest_and_soql_over_https(tmp_path: Path) -> None:
    source = Org(build_schema())
    write_format_1(tmp_path, legacy_records(source), source.ids.last)
    with running_server(tmp_path) as server:
        sf = server.simple_salesforce()
        [row] = sf.query(
            "SELECT Id, CloseDate, CreatedDate FROM Opportunity "
            "WHERE CloseDate = 2024-01-31 AND CreatedDate < 2024-01-03T00:00:00Z"
        )["records"]
        assert (row["CloseDate"], row["CreatedDate"]) == (
            "2024-01-31",
            "2024-01-02T03:04:05.000+0000",
        )
        fetched = sf.Opportunity.get(row["Id"])
        assert fetched["CloseDate"] == "2024-01-31"
        assert (
            sf.query("SELECT COUNT() FROM Opportunity WHERE CloseDate > 2024-01-31")["totalSize"]
            == 0
        )
