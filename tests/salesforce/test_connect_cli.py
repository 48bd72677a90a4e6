"""``pushforce connect`` against localforce: the --localforce convenience, a refresh-token flow,
status, key rotation and disconnect — no secret printed."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from localforce.testing import RunningServer
from pushforce.cli import app
from pushforce.store import create_team, make_engine, migrate, write_transaction


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    key = base64.b64encode(os.urandom(32)).decode()
    env = {
        "PUSHFORCE_DATA_DIR": str(tmp_path),
        "PUSHFORCE_DATABASE_URL": "",
        "PUSHFORCE_SECRET_KEY": key,
        "PUSHFORCE_ALLOWED_SALESFORCE_HOSTS": "127.0.0.1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(f"sqlite:///{tmp_path / 'pushforce.db'}")
    migrate(engine, "heads")
    with write_transaction(engine) as conn:
        create_team(conn, "Acme")
    engine.dispose()
    return env


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_connect_to_localforce_with_its_token_then_status_and_disconnect(
    cli_env: dict[str, str], lf: RunningServer
) -> None:
    code, out = _run(
        "connect", "--localforce", lf.base_url, "--ca", str(lf.ca_path), "--token", lf.token
    )
    assert code == 0, out
    assert "Connected" in out and lf.state.org.org_id in out and lf.token not in out
    code, out = _run("connect", "status")
    assert code == 0 and "connected" in out and lf.base_url in out
    code, out = _run("connect", "disconnect")
    assert code == 0, out
    code, out = _run("connect", "status")
    assert code == 1 and "not connected" in out


def test_connect_with_a_refresh_token_from_the_environment_and_rotate_the_key(
    cli_env: dict[str, str], lf: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    minted = lf.control.mint_refresh_token("localforce-client")
    monkeypatch.setenv("PUSHFORCE_SALESFORCE_REFRESH_TOKEN", minted)
    code, out = _run(
        "connect",
        "--flow",
        "refresh-token",
        "--login-url",
        lf.base_url,
        "--client-id",
        "localforce-client",
        "--ca",
        str(lf.ca_path),
    )
    assert code == 0, out
    assert minted not in out
    new_key = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("PUSHFORCE_SECRET_KEY", f"{new_key},{cli_env['PUSHFORCE_SECRET_KEY']}")
    code, out = _run("connect", "rotate-key")
    assert code == 0 and "Re-encrypted 1" in out, out
    monkeypatch.setenv("PUSHFORCE_SECRET_KEY", new_key)
    assert _run("connect", "status")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --flow"),
        (("--flow", "refresh-token", "--client-id", "x"), "--refresh-token: required"),
        (
            ("--flow", "jwt", "--client-id", "x", "--username", "u", "--private-key-file", "/nope"),
            "--private-key-file: cannot read",
        ),
        (
            (
                "--flow",
                "client-credentials",
                "--client-id",
                "x",
                "--client-secret",
                "s",
                "--login-url",
                "https://evil.com#.my.salesforce.com",
            ),
            "not a Salesforce host",
        ),
        (("--localforce", "https://10.0.0.1:8443", "--token", "t"), "not a Salesforce host"),
    ],
)
def test_bad_options_are_named(
    cli_env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    code, out = _run("connect", *args)
    assert code == 1 and message in " ".join(out.split()), out
