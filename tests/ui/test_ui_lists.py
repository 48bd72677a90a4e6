"""People, Companies and Deals lists; record pages; CSV import — all scoped to the team."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from ui_helpers import UiTeam, add_record

from pushforce.store import read_connection
from pushforce.store.listing import ListQuery, list_records


def test_people_search_saved_and_stage_filters(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    add_record(engine, team.team_id, "contact", first_name="Grace", last_name="Hopper",
               email="grace@navy.example.com", stage="Qualified", saved=False)  # fmt: skip
    everyone = client.get("/people").text
    assert "Ada Lovelace" in everyone and "Grace Hopper" in everyone
    searched = client.get("/people?q=grace").text
    assert "Grace Hopper" in searched and "Ada Lovelace" not in searched
    saved = client.get("/people?saved=1").text
    assert "Ada Lovelace" in saved and "Grace Hopper" not in saved
    staged = client.get("/people?stage=Qualified").text
    assert "Grace Hopper" in staged and "Ada Lovelace" not in staged
    fragment = client.get("/people?q=grace", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment


def test_unknown_stage_is_an_error_in_place(client: TestClient, signed_in: str) -> None:
    response = client.get("/people?stage=Nope")
    assert response.status_code == 422 and 'role="alert"' in response.text


def test_companies_and_deals_lists(client: TestClient, team: UiTeam, signed_in: str) -> None:
    companies = client.get("/companies").text
    assert "Globex Corporation" in companies and "globex.example.com" in companies
    assert client.get("/deals").status_code == 200


def test_lists_page_with_a_cursor(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    for n in range(55):
        add_record(engine, team.team_id, "account", name=f"Company {n:02d}")
    first = client.get("/companies?sort=name").text
    assert "Next page" in first and "Company 00" in first and "Globex Corporation" not in first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = client.get(f"/companies?sort=name&cursor={cursor}").text
    assert "Globex Corporation" in second and "Company 00" not in second


def test_another_teams_records_are_invisible(
    client: TestClient, team: UiTeam, other_team: UiTeam, signed_in: str
) -> None:
    assert "Bob Lovelace" not in client.get("/people").text
    assert "Initech" not in client.get("/companies?q=initech").text
    assert client.get(f"/people/{other_team.contact_id}").status_code == 404
    assert client.get(f"/companies/{other_team.account_id}").status_code == 404
    own = client.get(f"/people/{team.contact_id}")
    assert own.status_code == 200 and "Ada Lovelace" in own.text and "Sync history" in own.text


def test_record_page_links_its_company(client: TestClient, team: UiTeam, signed_in: str) -> None:
    html = client.get(f"/people/{team.contact_id}").text
    assert f'href="/companies/{team.account_id}">Globex Corporation' in html
    assert "Push to Salesforce" in html and "No push attempts yet." in html
    assert "<dt>Saved</dt><dd>Yes</dd>" in html and "Account id" not in html


def test_csv_import_shows_the_row_report(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    csv = (
        "First Name,Last Name,Email,Company\n"
        "Linus,Torvalds,linus@kernel.example.com,Kernel Org\n"
        "Broken,,not-an-email,\n"
    )
    files = {"file": ("people.csv", io.BytesIO(csv.encode()), "text/csv")}
    response = client.post("/import/people", data={"csrf_token": signed_in}, files=files)
    assert response.status_code == 200
    html = response.text
    assert 'id="import-report"' in html and "<strong>1</strong> created" in html
    assert "<strong>1</strong> failed" in html and "<td>3</td>" in html
    assert 'download="people-import-errors.csv" href="data:text/csv;charset=utf-8,row%2C' in html
    with read_connection(engine) as conn:
        page = list_records(conn, team.team_id, "contact", ListQuery(q="linus"))
    assert [p["email"] for p in page.items] == ["linus@kernel.example.com"]


def test_csv_import_without_a_file_is_refused_in_place(client: TestClient, signed_in: str) -> None:
    response = client.post("/import/companies", data={"csrf_token": signed_in})
    assert response.status_code == 422 and "Choose a CSV file" in response.text


def test_company_page_lists_its_people_and_deals(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    role = {"contact_id": team.contact_id, "role": "Decision Maker"}
    deal = add_record(engine, team.team_id, "deal", name="Globex expansion",
                      account_id=team.account_id, contacts=[role])  # fmt: skip
    company = client.get(f"/companies/{team.account_id}").text
    assert f'href="/people/{team.contact_id}">Ada Lovelace' in company
    assert f'href="/deals/{deal}">Globex expansion' in company
    deal_page = client.get(f"/deals/{deal}").text
    assert 'Ada Lovelace</a> <span class="muted small">Decision Maker' in deal_page


def test_deals_list_has_no_saved_filter(client: TestClient, signed_in: str) -> None:
    assert 'name="saved"' not in client.get("/deals").text
    assert client.get("/deals?saved=1").status_code == 200
