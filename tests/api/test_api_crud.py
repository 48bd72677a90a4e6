"""Create, read, update, delete for every record kind through /api/v1, checked in the DB."""

from __future__ import annotations

import pytest
from dbstate import stored
from fastapi.testclient import TestClient
from record_samples import CHANGES, KINDS, sample
from sqlalchemy.engine import Engine

from pushforce.inputs import KIND_MODELS


def url(kind: str, record_id: int | None = None) -> str:
    base = f"/api/v1/{kind}s"
    return base if record_id is None else f"{base}/{record_id}"


@pytest.mark.parametrize("kind", KINDS)
def test_create_stores_the_record_and_answers_it(client: TestClient, engine: Engine, team, kind):
    body = sample(kind, team.refs)
    answer = client.post(url(kind), json=body, headers=team.headers)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    expected = KIND_MODELS[kind][0].model_validate(body).model_dump(mode="json")
    assert {key: created[key] for key in expected} == expected
    in_db = stored(engine, team.team_id, kind, created["id"])
    assert (
        in_db is not None
        and in_db["created_at"].isoformat().replace("+00:00", "Z") == created["created_at"]
    )
    assert "team_id" not in created


@pytest.mark.parametrize("kind", KINDS)
def test_read_returns_what_was_created(client: TestClient, team, kind):
    created = client.post(url(kind), json=sample(kind, team.refs), headers=team.headers).json()
    answer = client.get(url(kind, created["id"]), headers=team.headers)
    assert answer.status_code == 200
    assert answer.json() == created


@pytest.mark.parametrize("kind", KINDS)
def test_patch_changes_one_field_in_the_db(client: TestClient, engine: Engine, team, kind):
    created = client.post(url(kind), json=sample(kind, team.refs), headers=team.headers).json()
    field, sent, expected = CHANGES[kind]
    answer = client.patch(url(kind, created["id"]), json={field: sent}, headers=team.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()[field] == expected
    in_db = stored(engine, team.team_id, kind, created["id"])
    assert str(in_db[field]) == str(expected)
    unchanged = {k: v for k, v in answer.json().items() if k not in {field, "updated_at"}}
    assert unchanged == {k: v for k, v in created.items() if k not in {field, "updated_at"}}


@pytest.mark.parametrize("kind", KINDS)
def test_delete_removes_the_record(client: TestClient, engine: Engine, team, kind):
    created = client.post(url(kind), json=sample(kind, team.refs), headers=team.headers).json()
    assert client.delete(url(kind, created["id"]), headers=team.headers).status_code == 204
    assert stored(engine, team.team_id, kind, created["id"]) is None
    assert client.get(url(kind, created["id"]), headers=team.headers).status_code == 404
    assert client.delete(url(kind, created["id"]), headers=team.headers).status_code == 404


def test_patch_with_null_clears_an_optional_field(client: TestClient, engine: Engine, team):
    answer = client.patch(
        url("contact", team.refs.contact_id),
        json={"title": None, "stage": None},
        headers=team.headers,
    )
    assert answer.status_code == 200
    in_db = stored(engine, team.team_id, "contact", team.refs.contact_id)
    assert (in_db["title"], in_db["stage"]) == (None, None)


def test_deal_contacts_and_roles_round_trip(client: TestClient, engine: Engine, team):
    second = client.post(
        url("contact"),
        json=sample("contact", team.refs, email="b@globex.example.com"),
        headers=team.headers,
    ).json()
    roles = [
        {"contact_id": second["id"], "role": "Economic Buyer"},
        {"contact_id": team.refs.contact_id, "role": None},
    ]
    answer = client.patch(
        url("deal", team.refs.deal_id), json={"contacts": roles}, headers=team.headers
    )
    assert answer.status_code == 200
    in_db = stored(engine, team.team_id, "deal", team.refs.deal_id)["contacts"]
    assert sorted(in_db, key=lambda c: c["contact_id"]) == sorted(
        roles, key=lambda c: c["contact_id"]
    )


def test_amounts_travel_as_exact_decimal_strings(client: TestClient, team):
    created = client.post(
        url("deal"), json=sample("deal", team.refs, amount=1234.5), headers=team.headers
    ).json()
    assert created["amount"] == "1234.50"


def test_the_openapi_document_lists_every_resource(client: TestClient):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for kind in KINDS:
        assert {"post", "get"} <= set(paths[f"/api/v1/{kind}s"])
        assert {"get", "patch", "delete"} <= set(paths[f"/api/v1/{kind}s/{{record_id}}"])
