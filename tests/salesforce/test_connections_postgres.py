"""The connection store on PostgreSQL: connect, renew with rotation from several threads (the
row is locked while storing), needs_reconnect."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sf_helpers import ROTATING_CLIENT
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.salesforce.connections import connect, connection_info, gateway_for_team
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret
from pushforce.store import create_team, write_transaction
from store_engines import postgres_store


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_sfconn") as engine:
        yield engine


def test_renewal_with_rotation_on_postgres(
    pg_engine: Engine, config: Config, lf: RunningServer
) -> None:
    with write_transaction(pg_engine) as conn:
        team_id = int(create_team(conn, "pg-team")["id"])
    minted = lf.control.mint_refresh_token(ROTATING_CLIENT)
    params = FlowParams(
        Flow.REFRESH_TOKEN, lf.base_url, client_id=ROTATING_CLIENT, refresh_token=Secret(minted)
    )
    connect(pg_engine, team_id, params, config, ca_file=str(lf.ca_path))
    gateways = [gateway_for_team(pg_engine, team_id, config) for _ in range(4)]
    lf.control.expire_tokens()
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            gateways[index].query("SELECT Id FROM Organization")  # type: ignore[union-attr]
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    renewals = [e for e in lf.control.log() if e["path"] == "/services/oauth2/token"]
    assert len(renewals) == 2  # the connect and one renewal
    info = connection_info(pg_engine, team_id)
    assert info is not None and info.state == "connected"
