"""Bad input answers 4xx with the field path and a sentence; never a 500, never a partial write."""

from __future__ import annotations

import pytest
from dbstate import snapshot, stored
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_samples import KINDS, sample
from sqlalchemy.engine import Engine

CREATE_CASES = [
    # kind, overrides, expected error path
    ("contact", {"email": "not-an-email"}, "body.email"),
    ("contact", {"email": "a@b@c.com"}, "body.email"),
    ("contact", {"email": "x" * 75 + "@ex.com"}, "body.email"),
    ("contact", {"last_name": "L" * 81}, "body.last_name"),
    ("contact", {"first_name": "F" * 41}, "body.first_name"),
    ("contact", {"title": "T" * 129}, "body.title"),
    ("contact", {"phone": "1" * 41}, "body.phone"),
    ("contact", {"last_name": "   "}, "body.last_name"),
    ("contact", {"email_status": "probably"}, "body.email_status"),
    ("contact", {"email": None, "email_status": "verified"}, "body.email_status"),
    ("contact", {"stage": "Hot Lead"}, "body.stage"),
    ("contact", {"account_id": "seven"}, "body.account_id"),
    ("contact", {"account_id": 999_999_999}, "body.account_id"),
    ("contact", {"account_id": 2**64}, "body.account_id"),
    ("contact", {"saved": "perhaps"}, "body.saved"),
    ("contact", {"shoe_size": 44}, "body.shoe_size"),
    ("contact", {"last_name": "Nul\x00Byte"}, "body.last_name"),
    ("contact", {"custom": {"k": "v\x00"}}, "body.custom.k"),
    ("contact", {"custom": {"a": {"nested": True}}}, "body.custom.a"),
    ("account", {"name": "N" * 256}, "body.name"),
    ("account", {"website": "https://" + "w" * 250 + ".com"}, "body.website"),
    ("account", {"website": "not a website"}, "body.website"),
    ("account", {"domain": "no_domain"}, "body.domain"),
    ("account", {"employees": -1}, "body.employees"),
    ("account", {"stage": "Contacted"}, "body.stage"),  # a contact stage, not an account one
    ("deal", {"name": "D" * 121}, "body.name"),
    ("deal", {"close_date": "2025-02-30"}, "body.close_date"),
    ("deal", {"close_date": "next week"}, "body.close_date"),
    ("deal", {"amount": "12.345"}, "body.amount"),
    ("deal", {"amount": "NaN"}, "body.amount"),
    ("deal", {"amount": "1e30"}, "body.amount"),
    ("deal", {"stage": "Closed Maybe"}, "body.stage"),
    ("deal", {"contacts": [{"contact_id": 1, "role": "R" * 41}]}, "body.contacts.0.role"),
    ("deal", {"contacts": [{"contact_id": 999_999_999}]}, "body.contacts.0.contact_id"),
    ("deal", {"contacts": "everyone"}, "body.contacts"),
    ("email", {"direction": "sideways"}, "body.direction"),
    ("email", {"sent_at": "yesterday"}, "body.sent_at"),
    ("email", {"to_addresses": []}, "body.to_addresses"),
    ("email", {"to_addresses": ["ok@example.com", "broken"]}, "body.to_addresses.1"),
    ("email", {"direction": "incoming", "sent_in_app": True}, "body.sent_in_app"),
    ("note", {"body": ""}, "body.body"),
    ("note", {"deal_id": 999_999_999}, "body.deal_id"),
    ("task", {"due_date": "2025-13-01"}, "body.due_date"),
    ("task", {"priority": "urgent"}, "body.priority"),
    ("task", {"title": "S" * 256}, "body.title"),
    ("call", {"duration_seconds": -5}, "body.duration_seconds"),
    ("call", {"duration_seconds": "long"}, "body.duration_seconds"),
    ("meeting", {"ends_at": "2025-03-10T15:00:00Z"}, "body.ends_at"),
    ("meeting", {"ends_at": "2025-04-10T15:00:00Z"}, "body.ends_at"),
    ("meeting", {"participants": ["nobody"]}, "body.participants.0"),
    ("conversation", {"occurred_at": "2025-03-10T25:00:00Z"}, "body.occurred_at"),
]


def assert_refused(answer, path: str, status: int = 422) -> None:
    assert answer.status_code == status, answer.text
    errors = answer.json()["errors"]
    assert path in [error["path"] for error in errors], errors
    assert all(len(error["message"]) > 5 for error in errors)


@pytest.mark.parametrize(("kind", "overrides", "path"), CREATE_CASES)
def test_bad_create_input_is_refused_at_its_path(
    client: TestClient, engine: Engine, team, kind, overrides, path
) -> None:
    before = snapshot(engine)
    answer = client.post(
        f"/api/v1/{kind}s", json=sample(kind, team.refs, **overrides), headers=team.headers
    )
    assert_refused(answer, path)
    assert snapshot(engine) == before


PATCH_CASES = [
    ("contact", {"last_name": None}, "body.last_name"),
    ("contact", {"email": "nope"}, "body.email"),
    ("contact", {"stage": "Nope"}, "body.stage"),
    ("contact", {"saved": None}, "body.saved"),
    ("contact", {"id": 5}, "body.id"),
    ("contact", {"team_id": 2}, "body.team_id"),
    ("deal", {"close_date": "31/12/2025"}, "body.close_date"),
    ("account", {"name": ""}, "body.name"),
    ("contact", {"email": None}, "body.email_status"),  # the stored status is 'guessed'
]


@pytest.mark.parametrize(("kind", "changes", "path"), PATCH_CASES)
def test_bad_updates_are_refused_and_change_nothing(
    client: TestClient, engine: Engine, team, kind, changes, path
) -> None:
    record_id = getattr(team.refs, f"{kind}_id")
    before = stored(engine, team.team_id, kind, record_id)
    answer = client.patch(f"/api/v1/{kind}s/{record_id}", json=changes, headers=team.headers)
    assert_refused(answer, path)
    assert stored(engine, team.team_id, kind, record_id) == before


def test_a_body_that_is_not_json_is_refused(client: TestClient, team) -> None:
    headers = {**team.headers, "Content-Type": "application/json"}
    answer = client.post("/api/v1/accounts", content=b'{"name": "Acme",', headers=headers)
    assert_refused(answer, "body")


def test_a_body_that_is_not_an_object_is_refused(client: TestClient, team) -> None:
    assert_refused(client.post("/api/v1/accounts", json=["Acme"], headers=team.headers), "body")


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("sort=shoe_size", "query.sort"),
        ("limit=0", "query.limit"),
        ("limit=many", "query.limit"),
        ("cursor=garbage", "query.cursor"),
        ("stage=Nirvana", "query.stage"),
        ("saved=maybe", "query.saved"),
        ("owner_id=-1", "query.owner_id"),
    ],
)
def test_bad_list_queries_are_refused_at_their_parameter(client: TestClient, team, query, path):
    assert_refused(client.get(f"/api/v1/contacts?{query}", headers=team.headers), path)


@pytest.mark.parametrize("record_id", ["abc", "0", str(2**64)])
def test_bad_record_ids_are_refused(client: TestClient, team, record_id: str) -> None:
    assert_refused(
        client.get(f"/api/v1/contacts/{record_id}", headers=team.headers), "path.record_id"
    )


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(KINDS), field=st.text(max_size=15), value=JSON)
def test_arbitrary_field_values_never_cause_a_500(client: TestClient, team, kind, field, value):
    body = sample(kind, team.refs)
    body[field if field else next(iter(body))] = value
    answer = client.post(f"/api/v1/{kind}s", json=body, headers=team.headers)
    assert answer.status_code in {201, 422}, answer.text
    if answer.status_code == 422:
        assert all(error["path"] for error in answer.json()["errors"])


@pytest.mark.parametrize(
    ("kind", "changes", "path"),
    [
        ("meeting", {"ends_at": "2025-03-10T15:00:00Z"}, "body.ends_at"),
        ("email", {"direction": "incoming"}, "body.sent_in_app"),
    ],
)
def test_an_update_may_not_leave_a_record_breaking_a_rule_across_fields(
    client: TestClient, engine: Engine, team, kind, changes, path
) -> None:
    created = client.post(f"/api/v1/{kind}s", json=sample(kind, team.refs), headers=team.headers)
    record = created.json()
    answer = client.patch(f"/api/v1/{kind}s/{record['id']}", json=changes, headers=team.headers)
    assert_refused(answer, path)
    assert client.get(f"/api/v1/{kind}s/{record['id']}", headers=team.headers).json() == record


QUERY_TEXT = st.text(max_size=40) | st.sampled_from(["%00", "\x00", "-", "--name", "%", "_"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(KINDS),
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "stage",
                "sort",
                "cursor",
                "owner_id",
                "saved",
                "account_id",
                "contact_id",
                "deal_id",
                "limit",
            ]
        ),
        QUERY_TEXT | st.integers().map(str),
        max_size=4,
    ),
)
def test_arbitrary_list_parameters_never_cause_a_500(client: TestClient, team, kind, params):
    answer = client.get(f"/api/v1/{kind}s", params=params, headers=team.headers)
    assert answer.status_code in {200, 422}, answer.text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(["first_name", "email", "stage", "account_id", "custom", "saved"])
    | st.text(max_size=10),
    value=JSON,
)
def test_arbitrary_patches_never_cause_a_500(client: TestClient, team, field, value):
    url = f"/api/v1/contacts/{team.refs.contact_id}"
    answer = client.patch(url, json={field: value}, headers=team.headers)
    assert answer.status_code in {200, 422}, answer.text
