"""The import endpoints end to end: multipart upload → report, records in the team's store."""

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from import_helpers import rows

from pushforce.store import create_api_key, write_transaction
from pushforce.web.api import imports
from pushforce.web.app import create_app

PEOPLE = "First Name,Last Name,Email,Company\nAda,Lovelace,ada@x.com,Acme\nBo,,bo@x.com,\n"


@pytest.fixture
def client(engine, team_id) -> TestClient:
    with write_transaction(engine) as conn:
        key = create_api_key(conn, team_id, name="test")
    return TestClient(create_app(engine), headers={"Authorization": f"Bearer {key.secret}"})


def _upload(client: TestClient, path: str, data: str, **form: str):
    files = {"file": ("people.csv", data.encode(), "text/csv")}
    return client.post(path, files=files, data=form)


def test_contacts_upload_imports_the_good_rows_and_reports_the_bad(client, engine, team_id):
    response = _upload(client, "/api/v1/contacts/import", PEOPLE)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["failed"], body["accounts_created"]) == (1, 1, 1)
    assert body["errors"] == [{"row": 3, "column": "Last Name", "reason": "a value is required"}]
    assert rows(engine, "SELECT email, origin FROM contacts WHERE team_id=:t", t=team_id) == [
        {"email": "ada@x.com", "origin": "imported"}
    ]
    again = _upload(client, "/api/v1/contacts/import", PEOPLE).json()
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_accounts_upload_with_a_column_map(client, engine, team_id):
    data = "Org,Web\nGlobex,globex.com\n"
    column_map = json.dumps({"Org": "name", "Web": "website"})
    body = _upload(client, "/api/v1/accounts/import", data, column_map=column_map).json()
    assert body["created"] == 1
    assert rows(engine, "SELECT name, domain FROM accounts WHERE team_id=:t", t=team_id) == [
        {"name": "Globex", "domain": "globex.com"}
    ]


def test_error_report_as_csv_is_formula_safe(client):
    data = "Last Name,Email\n=HYPERLINK(1),=bad\n"
    response = client.post(
        "/api/v1/contacts/import?format=csv",
        files={"file": ("x.csv", data.encode(), "text/csv")},
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["row", "column", "reason"]
    assert table[1][:2] == ["2", "Email"]


@pytest.mark.parametrize(
    ("data", "form", "status", "path"),
    [
        ("Email\nx@y.com\n", {}, 422, "body.file"),
        ("Last Name\nX\n", {"column_map": "{not json"}, 422, "body.column_map"),
        ("Last Name\nX\n", {"column_map": '{"Last Name": 3}'}, 422, "body.column_map"),
        ("Last Name\nX\n", {"column_map": '{"Last Name": "shoe"}'}, 422, "body.file"),
    ],
)
def test_unusable_uploads_get_a_4xx_naming_the_field(
    client, engine, team_id, data, form, status, path
):
    response = _upload(client, "/api/v1/contacts/import", data, **form)
    assert response.status_code == status
    assert response.json()["errors"][0]["path"] == path
    assert rows(engine, "SELECT id FROM contacts WHERE team_id=:t", t=team_id) == []


def test_oversized_upload_is_refused(client, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 10)
    response = _upload(client, "/api/v1/contacts/import", PEOPLE)
    assert response.status_code == 413
    assert "pushforce import" in response.json()["errors"][0]["message"]


def test_upload_needs_an_api_key(engine):
    response = TestClient(create_app(engine)).post(
        "/api/v1/contacts/import", files={"file": ("x.csv", PEOPLE.encode(), "text/csv")}
    )
    assert response.status_code == 401


def test_a_missing_file_is_a_422(client):
    response = client.post("/api/v1/contacts/import", data={"column_map": "{}"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body.file"
