"""Teams are isolated: team A's key never reads or writes team B's records or references them."""

from __future__ import annotations

import pytest
from dbstate import snapshot, stored
from fastapi.testclient import TestClient
from record_samples import CHANGES, KINDS, REFERENCES, sample
from sqlalchemy.engine import Engine

REFERENCE_CASES = [(kind, field) for kind, fields in REFERENCES.items() for field in fields]


def foreign_id(other_team, field: str) -> int:
    return getattr(other_team.refs, "user_id" if field in {"owner_id", "author_id"} else field)


@pytest.fixture
def theirs(client: TestClient, other_team) -> dict[str, dict]:
    """One record of every kind in team B."""
    return {
        kind: client.post(
            f"/api/v1/{kind}s", json=sample(kind, other_team.refs), headers=other_team.headers
        ).json()
        for kind in KINDS
    }


@pytest.mark.parametrize("kind", KINDS)
def test_another_teams_record_cannot_be_read(client: TestClient, team, theirs, kind) -> None:
    answer = client.get(f"/api/v1/{kind}s/{theirs[kind]['id']}", headers=team.headers)
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["path"] == "path.record_id"


@pytest.mark.parametrize("kind", KINDS)
def test_another_teams_record_is_not_listed(client: TestClient, team, theirs, kind) -> None:
    items = client.get(f"/api/v1/{kind}s?limit=500", headers=team.headers).json()["items"]
    assert theirs[kind]["id"] not in {item["id"] for item in items}


@pytest.mark.parametrize("kind", KINDS)
def test_another_teams_record_cannot_be_changed(
    client: TestClient, engine: Engine, team, other_team, theirs, kind
) -> None:
    field, sent, _expected = CHANGES[kind]
    answer = client.patch(
        f"/api/v1/{kind}s/{theirs[kind]['id']}", json={field: sent}, headers=team.headers
    )
    assert answer.status_code == 404
    in_db = stored(engine, other_team.team_id, kind, theirs[kind]["id"])
    assert str(in_db[field]) == str(theirs[kind][field])


@pytest.mark.parametrize("kind", KINDS)
def test_another_teams_record_cannot_be_deleted(
    client: TestClient, engine: Engine, team, other_team, theirs, kind
) -> None:
    answer = client.delete(f"/api/v1/{kind}s/{theirs[kind]['id']}", headers=team.headers)
    assert answer.status_code == 404
    assert stored(engine, other_team.team_id, kind, theirs[kind]["id"]) is not None


@pytest.mark.parametrize(("kind", "field"), REFERENCE_CASES)
def test_a_create_cannot_refer_to_another_teams_row(
    client: TestClient, engine: Engine, team, other_team, kind, field
) -> None:
    before = snapshot(engine)
    body = sample(kind, team.refs, **{field: foreign_id(other_team, field)})
    answer = client.post(f"/api/v1/{kind}s", json=body, headers=team.headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == f"body.{field}"
    assert snapshot(engine) == before


@pytest.mark.parametrize(("kind", "field"), REFERENCE_CASES)
def test_an_update_cannot_refer_to_another_teams_row(
    client: TestClient, engine: Engine, team, other_team, kind, field
) -> None:
    mine = client.post(f"/api/v1/{kind}s", json=sample(kind, team.refs), headers=team.headers)
    record = mine.json()
    answer = client.patch(
        f"/api/v1/{kind}s/{record['id']}",
        json={field: foreign_id(other_team, field)},
        headers=team.headers,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == f"body.{field}"
    assert stored(engine, team.team_id, kind, record["id"])[field] == record[field]


def test_a_deal_cannot_include_another_teams_contact(
    client: TestClient, engine: Engine, team, other_team
) -> None:
    before = snapshot(engine)
    contacts = [{"contact_id": other_team.refs.contact_id, "role": "Evaluator"}]
    answer = client.post(
        "/api/v1/deals", json=sample("deal", team.refs, contacts=contacts), headers=team.headers
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == "body.contacts.0.contact_id"
    assert snapshot(engine) == before


def test_filters_by_another_teams_ids_find_nothing(client: TestClient, team, other_team) -> None:
    query = f"account_id={other_team.refs.account_id}"
    answer = client.get(f"/api/v1/contacts?{query}", headers=team.headers)
    assert answer.status_code == 200 and answer.json()["items"] == []


def test_stages_are_the_callers_teams_only(client: TestClient, engine: Engine, team, other_team):
    mine = client.get("/api/v1/stages", headers=team.headers).json()
    theirs = client.get("/api/v1/stages", headers=other_team.headers).json()
    assert {s["name"] for s in mine} == {s["name"] for s in theirs}  # same defaults…
    assert not {s["id"] for s in mine} & {s["id"] for s in theirs}  # …but their own rows
    deal_stages = client.get("/api/v1/stages?object=deal", headers=team.headers).json()
    assert [s["name"] for s in deal_stages][:2] == ["Prospecting", "Qualification"]
