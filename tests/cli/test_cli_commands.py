"""The ``pushforce`` CLI through Typer's CliRunner, against a temporary data directory."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from pushforce import __version__
from pushforce.cli import app
from pushforce.store import create_team, write_transaction

runner = CliRunner()


def _count(db, table: str, where: str = "1=1") -> int:
    with db.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar_one()


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0 and result.output.strip() == __version__


def test_migrate_creates_the_sqlite_file_in_the_data_dir(data_dir: Path, db) -> None:
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert (data_dir / "pushforce.db").exists()
    assert _count(db, "teams") == 0
    assert runner.invoke(app, ["migrate"]).exit_code == 0  # idempotent


@pytest.mark.parametrize("command", ["serve", "demo", "import", "migrate", "version"])
def test_every_command_explains_its_options(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    if command in ("serve", "demo"):
        assert "--host" in result.output and "--port" in result.output
    if command == "import":
        for option in ("--map", "--team", "--errors", "contacts or accounts"):
            assert option in result.output


def _team(db, name: str) -> int:
    with write_transaction(db) as conn:
        return int(create_team(conn, name)["id"])


def test_import_contacts_twice_creates_once_and_prints_a_report(data_dir: Path, db) -> None:
    runner.invoke(app, ["migrate"])
    team_id = _team(db, "Sales")
    csv_file = data_dir / "people.csv"
    csv_file.write_text("Surname,Email,Company\nLovelace,ada@x.com,Acme\n,bad@x.com,\n")
    args = ["import", "contacts", str(csv_file), "--map", "Surname=last_name"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "created" in first.output and "Rows not imported" in first.output
    assert _count(db, "contacts", f"team_id={team_id} AND origin='imported'") == 1
    assert _count(db, "accounts", f"team_id={team_id}") == 1
    second = runner.invoke(app, [*args, "--errors", str(data_dir / "errors.csv")])
    assert second.exit_code == 0
    assert _count(db, "contacts") == 1
    assert (data_dir / "errors.csv").read_text().splitlines()[1] == "3,Surname,a value is required"


def test_import_chooses_the_team_by_name(data_dir: Path, db) -> None:
    runner.invoke(app, ["migrate"])
    _team(db, "A")
    b = _team(db, "B")
    csv_file = data_dir / "accounts.csv"
    csv_file.write_text("Company,Website\nGlobex,globex.com\n")
    ambiguous = runner.invoke(app, ["import", "accounts", str(csv_file)])
    assert ambiguous.exit_code == 1 and "--team" in ambiguous.output
    result = runner.invoke(app, ["import", "accounts", str(csv_file), "--team", "B"])
    assert result.exit_code == 0, result.output
    assert _count(db, "accounts", f"team_id={b}") == 1
    unknown = runner.invoke(app, ["import", "accounts", str(csv_file), "--team", "C"])
    assert unknown.exit_code == 1 and "no team named 'C'" in unknown.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "people", "{file}"], "KIND must be 'contacts' or 'accounts'"),
        (["import", "contacts", "{file}", "--map", "Surname"], "Header=field"),
        (["import", "contacts", "{empty}"], "the file is empty"),
    ],
)
def test_import_refuses_bad_arguments_with_a_reason(data_dir: Path, db, args, message) -> None:
    runner.invoke(app, ["migrate"])
    _team(db, "Only")
    (data_dir / "f.csv").write_text("Last Name\nX\n")
    (data_dir / "empty.csv").write_text("")
    paths = {"file": str(data_dir / "f.csv"), "empty": str(data_dir / "empty.csv")}
    result = runner.invoke(app, [arg.format(**paths) for arg in args])
    assert result.exit_code != 0
    assert message in result.output


def test_demo_without_serving_creates_the_demo_team_once(data_dir: Path, db) -> None:
    result = runner.invoke(app, ["demo", "--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123" in result.output and "API key: pf_" in result.output
    assert _count(db, "teams") == 1
    assert _count(db, "accounts") == 300 and _count(db, "contacts") == 3000
    assert _count(db, "deals") == 200 and _count(db, "deal_contacts") >= 200
    statuses = _count(db, "(SELECT DISTINCT email_status FROM contacts)")
    assert statuses == 3
    flavours = _count(
        db, "(SELECT DISTINCT direction, sent_in_app, reply_to_app_email FROM emails)"
    )
    assert flavours == 4
    assert _count(db, "(SELECT DISTINCT source FROM meetings)") == 2
    activities = sum(
        _count(db, table)
        for table in ("emails", "notes", "tasks", "calls", "meetings", "conversations")
    )
    assert 2000 <= activities <= 5000
    for table in ("notes", "tasks", "calls", "conversations"):
        assert _count(db, table) > 0
    again = runner.invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 0 and "Found the demo team" in again.output
    assert _count(db, "contacts") == 3000 and _count(db, "api_keys") == 2


def _capture_uvicorn(monkeypatch: pytest.MonkeyPatch) -> dict:
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(
        uvicorn, "run", lambda app, host, port: seen.update(app=app, host=host, port=port)
    )
    return seen


def test_serve_migrates_then_runs_uvicorn_on_the_configured_address(
    data_dir, db, monkeypatch
) -> None:
    seen = _capture_uvicorn(monkeypatch)
    monkeypatch.setenv("PUSHFORCE_PORT", "9001")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 9001)
    assert _count(db, "teams") == 0  # the schema exists: migrated before serving
    assert "/api/v1/contacts/import" in seen["app"].openapi()["paths"]


def test_demo_serves_on_the_same_host_and_port_options(data_dir, db, monkeypatch) -> None:
    seen = _capture_uvicorn(monkeypatch)
    result = runner.invoke(app, ["demo", "--host", "0.0.0.0", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8765)
    assert "http://0.0.0.0:8765" in result.output
