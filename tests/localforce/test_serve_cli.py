"""`localforce serve` as a process: the ready line, the CA kept in the data dir, state across
restarts (issue 3's start contract)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from localforce.testing import running_server, trusting_session

TOKEN = "cli-test-token"


def start(data_dir: Path, config: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "localforce",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--token",
        TOKEN,
    ]
    if config is not None:
        command += ["--config", str(config)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(60)
    if not lines or not lines[0]:
        process.kill()
        raise AssertionError(f"no ready line; stderr: {process.communicate()[1]}")
    return process, lines[0].strip()


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(30)


def base_url(ready_line: str) -> str:
    return ready_line.split(" on ")[1].split(" ")[0]


def test_serve_prints_one_ready_line_and_persists_state_and_ca(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"daily_api_requests": 1234}))
    process, line = start(tmp_path / "data", config)
    try:
        assert line.startswith("localforce ready on https://127.0.0.1:")
        assert line.endswith(f"(CA: {tmp_path / 'data' / 'ca.pem'})")
        url, session = base_url(line), trusting_session(tmp_path / "data" / "ca.pem")
        headers = {"Authorization": f"Bearer {TOKEN}"}
        created = session.post(
            f"{url}/services/data/v60.0/sobjects/Account", json={"Name": "Kept"}, headers=headers
        )
        assert created.status_code == 201
        assert created.headers["Sforce-Limit-Info"] == "api-usage=1/1234"
    finally:
        stop(process)
    ca_before = (tmp_path / "data" / "ca.pem").read_bytes()
    process, line = start(tmp_path / "data")
    try:
        url = base_url(line)
        session = trusting_session(tmp_path / "data" / "ca.pem")
        got = session.get(
            f"{url}/services/data/v60.0/sobjects/Account/{created.json()['id']}",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert got.status_code == 200 and got.json()["Name"] == "Kept"
        assert (tmp_path / "data" / "ca.pem").read_bytes() == ca_before
    finally:
        stop(process)


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"duplicate_rules": [{"object": "Lead", "fields": []}]}))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "localforce",
            "serve",
            "--data-dir",
            str(tmp_path),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert result.returncode != 0
    assert "duplicate_rules[0].fields" in result.stderr


def test_snapshot_round_trip_keeps_ids_counters_and_indexes(tmp_path: Path) -> None:
    with running_server(tmp_path) as lf:
        sf = lf.simple_salesforce()
        first = sf.Contact.create({"LastName": "A", "Pushforce_Id__c": "pf-1"})["id"]
        lf.control._call("POST", "/snapshot")
    with running_server(tmp_path) as lf:
        sf = lf.simple_salesforce()
        assert sf.Contact.get_by_custom_id("Pushforce_Id__c", "PF-1")["Id"] == first
        second = sf.Contact.create({"LastName": "B"})["id"]
        assert second != first and second > first


def test_custom_fields_from_config_are_validated(tmp_path: Path) -> None:
    config = {"custom_fields": {"Contact": [{"name": "Bad"}]}}
    with (
        pytest.raises(ValueError, match="must end with __c"),
        running_server(tmp_path, config=config),
    ):
        pass


def test_stopping_with_an_idle_keep_alive_connection_waits_for_nothing(tmp_path: Path) -> None:
    """A pooled client never answers the TLS close_notify: the server drops idle connections at
    shutdown instead of waiting out the grace period and logging an error."""
    import logging

    errors: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = errors.append  # type: ignore[method-assign]
    uvicorn_errors = logging.getLogger("uvicorn.error")
    with running_server(tmp_path) as lf:
        uvicorn_errors.addHandler(handler)  # after uvicorn's own logging set-up
        session = lf.session()  # keeps its connection open after the answer
        assert session.get(f"{lf.base_url}/services/data/").status_code == 200
        lf.state.org.changes += 1  # the shutdown snapshot must still be written
    uvicorn_errors.removeHandler(handler)
    assert [r.getMessage() for r in errors] == []
    assert (tmp_path / "state.pickle").exists()
