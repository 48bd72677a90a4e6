"""Lists through the API: search, filters, sorting and cursor paging."""

from __future__ import annotations

from fastapi.testclient import TestClient
from record_samples import sample

PEOPLE = [
    ("Ada", "Lovelace", "ada@analytical.example.com", "New", True),
    ("Alan", "Turing", "alan@bletchley.example.org", "Qualified", False),
    ("Grace", "Hopper", "grace@navy.example.mil", "Qualified", True),
]


def add_people(client: TestClient, team) -> None:
    for first, last, email, stage, saved in PEOPLE:
        body = sample(
            "contact",
            team.refs,
            first_name=first,
            last_name=last,
            email=email,
            email_status="verified",
            stage=stage,
            saved=saved,
            owner_id=None,
        )
        assert client.post("/api/v1/contacts", json=body, headers=team.headers).status_code == 201


def last_names(client: TestClient, team, query: str) -> list[str]:
    answer = client.get(f"/api/v1/contacts?{query}", headers=team.headers)
    assert answer.status_code == 200, answer.text
    return [item["last_name"] for item in answer.json()["items"]]


def test_search_by_name_email_or_domain(client: TestClient, team) -> None:
    add_people(client, team)
    assert last_names(client, team, "q=LOVE") == ["Lovelace"]
    assert last_names(client, team, "q=bletchley.example.org") == ["Turing"]
    assert last_names(client, team, "q=grace%40navy") == ["Hopper"]


def test_filter_by_stage_saved_and_owner(client: TestClient, team) -> None:
    add_people(client, team)
    assert last_names(client, team, "stage=Qualified&sort=name") == ["Hopper", "Turing"]
    assert last_names(client, team, "saved=true&sort=name") == ["Hopper", "Lovelace", "Scorpio"]
    assert last_names(client, team, f"owner_id={team.refs.user_id}") == ["Scorpio"]


def test_pages_follow_next_cursor_to_the_end(client: TestClient, team) -> None:
    add_people(client, team)
    seen, url = [], "/api/v1/contacts?sort=-name&limit=2"
    while url:
        page = client.get(url, headers=team.headers).json()
        seen += [item["last_name"] for item in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/v1/contacts?sort=-name&limit=2&cursor={cursor}" if cursor else ""
    assert seen == ["Turing", "Scorpio", "Lovelace", "Hopper"]


def test_activities_filter_by_the_record_they_belong_to(client: TestClient, team) -> None:
    for _ in range(2):
        client.post("/api/v1/calls", json=sample("call", team.refs), headers=team.headers)
    client.post(
        "/api/v1/calls", json=sample("call", team.refs, contact_id=None), headers=team.headers
    )
    answer = client.get(f"/api/v1/calls?contact_id={team.refs.contact_id}", headers=team.headers)
    assert len(answer.json()["items"]) == 2
