"""The demo's Salesforce (PRODUCT.md §8): with no connection, the demo runs localforce and
connects the demo team to it; push-all then reaches that org while automatic pushing stays off."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from pushforce.app.ports import SystemClock
from pushforce.app.push_all import PushAllRequest, run_push_all, start_push_all
from pushforce.config import Config
from pushforce.demo.salesforce import allowing_localforce, demo_salesforce, needs_localforce
from pushforce.inputs import KIND_MODELS
from pushforce.salesforce.connections import connection_info, gateway_for_team
from pushforce.store import create_team, insert_record, write_transaction
from pushforce.store.settings_repo import current_settings


def test_allowing_localforce_keeps_the_operators_hosts() -> None:
    config = Config(allowed_salesforce_hosts="sf.internal.example")
    hosts = allowing_localforce(config).allowed_salesforce_hosts.split(",")
    assert hosts == ["sf.internal.example", "127.0.0.1", "localhost"]


def test_demo_connects_a_team_without_connection_to_localforce_and_push_all_works(
    acceptance_engine: Engine, tmp_path: Path, secret_key: str
) -> None:
    config = Config(data_dir=tmp_path, secret_key=secret_key)  # allows no local host itself
    with write_transaction(acceptance_engine) as conn:
        team_id = int(create_team(conn, f"demo-{uuid.uuid4().hex[:8]}")["id"])
        values = {"name": "Demo Co", "website": "https://demo.example"}
        insert_record(conn, team_id, "account", KIND_MODELS["account"][0](**values).model_dump())
    assert needs_localforce(acceptance_engine, team_id)
    said: list[str] = []
    with demo_salesforce(acceptance_engine, team_id, config, said.append) as serving:
        info = connection_info(acceptance_engine, team_id)
        assert info is not None and info.state == "connected"
        assert info.instance_url.startswith("https://127.0.0.1:") and info.instance_url in said[0]
        assert (tmp_path / "localforce" / "ca.pem").exists()

        def gateway_for(team: int) -> Any:
            return gateway_for_team(acceptance_engine, team, serving)

        clock = SystemClock()
        request = PushAllRequest("accounts")
        run_id = start_push_all(acceptance_engine, clock, team_id, request, None)
        final = run_push_all(acceptance_engine, gateway_for, clock, team_id, run_id, owner="demo")
        assert final["state"] == "finished" and final["created"] == 1
        [account] = gateway_for(team_id).query("SELECT Id, Name, Website FROM Account")
        assert account["Name"] == "Demo Co"
    with write_transaction(acceptance_engine) as conn:
        assert current_settings(conn, team_id)[0].enabled is False
