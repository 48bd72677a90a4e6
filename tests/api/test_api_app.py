"""``create_app(Config)``: the embedded default keeps its SQLite file in the data directory."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from pushforce.config import Config
from pushforce.store import create_api_key, create_team, write_transaction
from pushforce.web.app import create_app


def test_an_app_from_config_migrates_its_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    config = Config(data_dir=tmp_path / "data", database_url="")
    app = create_app(config)
    assert (tmp_path / "data" / "pushforce.db").exists()
    with write_transaction(app.state.engine) as conn:
        key = create_api_key(conn, create_team(conn, "Fresh")["id"])
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {key.secret}"}
        created = client.post("/api/v1/accounts", json={"name": "Initech"}, headers=headers)
        assert created.status_code == 201
        listed = client.get("/api/v1/accounts", headers=headers).json()["items"]
        assert [account["name"] for account in listed] == ["Initech"]
        assert client.get("/docs").status_code == 200
    app.state.engine.dispose()


def test_an_unexpected_failure_answers_the_same_error_shape_without_internals(engine) -> None:
    app = create_app(engine)

    @app.get("/api/v1/explode")
    def explode() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/explode")
    assert answer.status_code == 500
    assert answer.json() == {"errors": [{"path": None, "message": "internal error"}]}
    assert "hunter2" not in answer.text


def test_unknown_routes_answer_the_same_error_shape(client: TestClient) -> None:
    answer = client.get("/api/v1/no-such-thing")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["path"] is None
