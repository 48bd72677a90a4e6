"""R21 end to end over a real socket: ``pushforce settings`` talks HTTP to a running server
(uvicorn in a thread), with no test double between the CLI and the API."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from settings_fixtures import Team, new_team
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from pushforce.cli import app
from pushforce.store import read_connection
from pushforce.store.settings_repo import list_versions
from pushforce.web.app import create_app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server_url(sqlite_engine: Engine) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(sqlite_engine), host="127.0.0.1", port=port, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)  # polling for readiness, not ordering
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=20)


def test_R21_cli_sets_and_restores_settings_through_a_running_server(
    server_url: str, sqlite_engine: Engine
) -> None:
    team: Team = new_team(sqlite_engine)
    env = {"PUSHFORCE_API_URL": server_url, "PUSHFORCE_API_KEY": team.api_key, "COLUMNS": "300"}
    runner = CliRunner()
    saved = runner.invoke(app, ["settings", "set", "enabled=true"], env=env)
    assert saved.exit_code == 0, saved.output
    assert "version 1 saved by Riley Admin" in saved.stdout
    runner.invoke(app, ["settings", "set", "activities.notes.push=false"], env=env)
    restored = runner.invoke(app, ["settings", "restore", "1"], env=env)
    assert restored.exit_code == 0, restored.output
    with read_connection(sqlite_engine) as conn:
        versions = list_versions(conn, team.id)
    assert [(v.version, v.author_user_id, v.restored_from) for v in versions] == [
        (3, team.user_id, 1),
        (2, team.user_id, None),
        (1, team.user_id, None),
    ]
    assert versions[0].document == versions[2].document
    bad = runner.invoke(app, ["settings", "set", "activities.notes.push=sometimes"], env=env)
    assert bad.exit_code == 1
    assert "error: activities.notes.push: must be true or false" in bad.stderr
