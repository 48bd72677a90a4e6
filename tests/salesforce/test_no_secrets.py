"""Canary: tokens and client secrets never reach logs, errors or reprs (reliability §3.5)."""

from __future__ import annotations

import logging

import pytest
from sf_helpers import client_credentials, memory_store
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.salesforce.connections import DbTokenStore, connect, gateway_for_team
from pushforce.salesforce.crypto import keyring_from
from pushforce.salesforce.errors import CallFailure
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.redact import redact
from pushforce.salesforce.secret import Secret


def test_no_token_in_debug_logs_errors_or_reprs(
    engine: Engine,
    team_id: int,
    config: Config,
    lf: RunningServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    minted = lf.control.mint_refresh_token("localforce-client")
    params = FlowParams(
        Flow.REFRESH_TOKEN,
        lf.base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
        refresh_token=Secret(minted),
    )
    connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    logging.getLogger("urllib3.connectionpool").debug("sent Authorization: Bearer %s", lf.token)
    lf.control.expire_tokens()
    gateway.query("SELECT Id FROM Organization")
    store = DbTokenStore(engine, team_id, keyring_from(config.secret_key, config.data_dir))
    state = store.load()
    lf.state.tokens.revoke(minted)
    lf.control.expire_tokens()
    with pytest.raises(CallFailure) as failed:
        gateway.query("SELECT Id FROM Organization")
    secrets = [minted, "localforce-secret", state.access_token.reveal(), lf.token]
    shown = "\n".join(
        [
            caplog.text,
            str(failed.value),
            repr(failed.value),
            repr(state),
            repr(state.params),
            repr(gateway),
            repr(gateway.client),
            repr(store),
        ]
    )
    for secret in secrets:
        assert secret not in shown


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer 00D5g000004XXXX!AQ0AQabc.def",
        "grant_type=refresh_token&refresh_token=5AepSecret&client_id=x",
        '{"access_token": "00Dx!zzz", "instance_url": "https://x"}',
        "session 00D5g000004XXXXEAA!AQxyz expired",
    ],
)
def test_redact_masks_every_secret_shape(text: str) -> None:
    assert not any(s in redact(text) for s in ("AQ0AQabc", "5AepSecret", "zzz", "AQxyz"))


def test_memory_store_state_repr_is_masked(lf: RunningServer) -> None:
    store = memory_store(lf, client_credentials(lf))
    assert store.state.access_token.reveal() not in repr(store.state)
