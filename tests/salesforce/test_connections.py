"""Connecting a team by each OAuth flow, renewing on expiry (with refresh-token rotation), and
losing the session for good (R18 auth → needs_reconnect), against localforce over HTTPS."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sf_helpers import JWT_CLIENT, REFRESH_TOKEN, ROTATING_CLIENT, client_credentials
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.core.outcomes import Operation, OutcomeKind
from pushforce.salesforce.connections import (
    DbTokenStore,
    connect,
    connection_info,
    disconnect,
    gateway_for_team,
    rotate_keys,
)
from pushforce.salesforce.crypto import keyring_from
from pushforce.salesforce.errors import CallFailure
from pushforce.salesforce.hosts import DisallowedHost
from pushforce.salesforce.oauth import Flow, FlowParams, OAuthFailed
from pushforce.salesforce.secret import Secret
from pushforce.store import read_connection
from pushforce.store.connections import salesforce_connections

SOQL = "SELECT Id, Name FROM Organization"


def _refresh_params(lf: RunningServer, token: str, client: str = "localforce-client") -> FlowParams:
    return FlowParams(
        Flow.REFRESH_TOKEN, lf.base_url, client_id=client, refresh_token=Secret(token)
    )


def _stored(engine: Engine, team_id: int, config: Config) -> DbTokenStore:
    return DbTokenStore(engine, team_id, keyring_from(config.secret_key, config.data_dir))


def _token_calls(lf: RunningServer) -> int:
    return sum(1 for e in lf.control.log() if e["path"] == "/services/oauth2/token")


def test_client_credentials_connects_and_stores_only_sealed_secrets(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    info = connect(engine, team_id, client_credentials(lf), config, ca_file=str(lf.ca_path))
    assert (info.state, info.flow) == ("connected", "client-credentials")
    assert (info.org_id, info.instance_url) == (lf.state.org.org_id, lf.base_url)
    assert info.user_id == lf.state.org.user_id and info.api_usage is not None
    with read_connection(engine) as conn:
        row = conn.execute(sa.select(salesforce_connections.c.secrets)).scalars().all()
    access = _stored(engine, team_id, config).load().access_token.reveal()
    assert all(access not in text and "localforce-secret" not in text for text in row)
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    assert gateway.query(SOQL)[0]["Id"] == lf.state.org.org_id


def test_jwt_bearer_connects_and_mints_a_new_assertion_on_expiry(
    engine: Engine, team_id: int, config: Config, lf: RunningServer, jwt_key: tuple[str, str]
) -> None:
    params = FlowParams(
        Flow.JWT,
        lf.base_url,
        client_id=JWT_CLIENT,
        username="jwt@localforce.test",
        private_key=Secret(jwt_key[0]),
    )
    connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    lf.control.expire_tokens()
    before = _token_calls(lf)
    assert gateway.query(SOQL)
    assert _token_calls(lf) == before + 1


def test_jwt_with_the_wrong_key_is_refused_and_nothing_is_stored(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    from sf_helpers import rsa_key_and_certificate

    other_key = rsa_key_and_certificate()[0]
    params = FlowParams(
        Flow.JWT,
        lf.base_url,
        client_id=JWT_CLIENT,
        username="jwt@localforce.test",
        private_key=Secret(other_key),
    )
    with pytest.raises(OAuthFailed, match="invalid_grant"):
        connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    assert connection_info(engine, team_id) is None


def test_refresh_token_renews_the_access_token_on_expiry(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    connect(engine, team_id, _refresh_params(lf, REFRESH_TOKEN), config, ca_file=str(lf.ca_path))
    store = _stored(engine, team_id, config)
    old = store.load().access_token
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    lf.control.expire_tokens()
    assert gateway.query(SOQL)
    renewed = store.load()
    assert renewed.access_token != old
    assert renewed.params.refresh_token == Secret(REFRESH_TOKEN)  # no rotation for this client


def test_a_rotated_refresh_token_is_stored_and_the_old_one_is_dead(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    minted = lf.control.mint_refresh_token(ROTATING_CLIENT)
    connect(
        engine,
        team_id,
        _refresh_params(lf, minted, ROTATING_CLIENT),
        config,
        ca_file=str(lf.ca_path),
    )
    store = _stored(engine, team_id, config)
    after_connect = store.load().params.refresh_token
    assert after_connect is not None and after_connect != Secret(minted)
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    lf.control.expire_tokens()
    assert gateway.query(SOQL)
    after_renewal = store.load().params.refresh_token
    assert after_renewal not in (None, after_connect)
    assert after_connect.reveal() not in lf.state.tokens.refresh
    assert after_renewal is not None and after_renewal.reveal() in lf.state.tokens.refresh


def test_R18_a_revoked_refresh_token_marks_the_connection_needs_reconnect(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    minted = lf.control.mint_refresh_token("localforce-client")
    connect(engine, team_id, _refresh_params(lf, minted), config, ca_file=str(lf.ca_path))
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    lf.state.tokens.revoke(minted)
    lf.control.expire_tokens()
    with pytest.raises(CallFailure) as failed:
        gateway.query(SOQL)
    assert failed.value.outcome(Operation.QUERY).kind is OutcomeKind.AUTH
    info = connection_info(engine, team_id)
    assert info is not None and info.state == "needs_reconnect"
    assert info.last_error and minted not in info.last_error
    assert gateway_for_team(engine, team_id, config) is None


def test_a_pre_issued_token_cannot_be_renewed_so_expiry_needs_reconnect(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    params = FlowParams(
        Flow.ACCESS_TOKEN, lf.base_url, access_token=Secret(lf.token), instance_url=lf.base_url
    )
    connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None and gateway.query(SOQL)
    lf.control.expire_tokens()
    from sf_helpers import collection, contact_create

    from pushforce.core.batching import WriteOp

    results = gateway.run_collection(collection("Contact", WriteOp.CREATE, contact_create(1)))
    assert results[0].kind is OutcomeKind.AUTH  # type: ignore[union-attr]
    info = connection_info(engine, team_id)
    assert info is not None and info.state == "needs_reconnect"


def test_single_flight_renewal_with_many_threads(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    minted = lf.control.mint_refresh_token(ROTATING_CLIENT)
    connect(
        engine,
        team_id,
        _refresh_params(lf, minted, ROTATING_CLIENT),
        config,
        ca_file=str(lf.ca_path),
    )
    gateways = [gateway_for_team(engine, team_id, config) for _ in range(3)]
    lf.control.expire_tokens()
    before = _token_calls(lf)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            gateways[index % 3].query(SOQL)  # type: ignore[union-attr]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert _token_calls(lf) == before + 1  # one renewal; a rotated token is single-use
    info = connection_info(engine, team_id)
    assert info is not None and info.state == "connected"


def test_instance_urls_outside_the_allow_list_are_refused(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    strict = config.model_copy(update={"allowed_salesforce_hosts": "localhost"})
    with pytest.raises(DisallowedHost, match="token endpoint"):
        connect(engine, team_id, client_credentials(lf), strict, ca_file=str(lf.ca_path))
    assert _token_calls(lf) == 0  # the secret never left


def test_disconnect_revokes_and_forgets(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    minted = lf.control.mint_refresh_token("localforce-client")
    connect(engine, team_id, _refresh_params(lf, minted), config, ca_file=str(lf.ca_path))
    assert disconnect(engine, team_id, config)
    assert minted not in lf.state.tokens.refresh
    assert connection_info(engine, team_id) is None
    assert not disconnect(engine, team_id, config)


def test_rotate_keys_reseals_with_the_new_key(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    import base64
    import os

    connect(engine, team_id, client_credentials(lf), config, ca_file=str(lf.ca_path))
    new_key = base64.b64encode(os.urandom(32)).decode()
    rotated = config.model_copy(update={"secret_key": f"{new_key},{config.secret_key}"})
    assert rotate_keys(engine, rotated).resealed == 1
    only_new = config.model_copy(update={"secret_key": new_key})
    gateway = gateway_for_team(engine, team_id, only_new)
    assert gateway is not None and gateway.query(SOQL)
    assert rotate_keys(engine, rotated).resealed == 0


def test_client_credentials_renew_on_expiry_and_a_reconnect_clears_needs_reconnect(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    from pushforce.salesforce.connections import mark_needs_reconnect

    connect(engine, team_id, client_credentials(lf), config, ca_file=str(lf.ca_path))
    gateway = gateway_for_team(engine, team_id, config)
    assert gateway is not None
    lf.control.expire_tokens()
    before = _token_calls(lf)
    assert gateway.query(SOQL) and _token_calls(lf) == before + 1
    mark_needs_reconnect(engine, team_id, "test")
    assert gateway_for_team(engine, team_id, config) is None
    info = connect(engine, team_id, client_credentials(lf), config, ca_file=str(lf.ca_path))
    assert (info.state, info.last_error) == ("connected", None)
    assert gateway_for_team(engine, team_id, config) is not None


def test_without_the_ca_file_tls_verification_fails_and_nothing_is_stored(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    from pushforce.salesforce.oauth import OAuthUnavailable

    with pytest.raises(OAuthUnavailable, match="SSLError"):
        connect(engine, team_id, client_credentials(lf), config)
    assert connection_info(engine, team_id) is None


def test_a_changed_allow_list_makes_the_stored_connection_need_reconnect(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    connect(engine, team_id, client_credentials(lf), config, ca_file=str(lf.ca_path))
    narrowed = config.model_copy(update={"allowed_salesforce_hosts": ""})
    assert gateway_for_team(engine, team_id, narrowed) is None
    info = connection_info(engine, team_id)
    assert info is not None and info.state == "needs_reconnect"
    assert info.last_error and "not a Salesforce host" in info.last_error


def test_disconnecting_a_pre_issued_token_leaves_it_alive(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    params = FlowParams(
        Flow.ACCESS_TOKEN, lf.base_url, access_token=Secret(lf.token), instance_url=lf.base_url
    )
    connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    assert disconnect(engine, team_id, config)
    assert lf.state.tokens.is_valid(lf.token)


def test_bad_parameters_are_named_before_anything_is_sent(
    engine: Engine, team_id: int, config: Config, lf: RunningServer
) -> None:
    from pushforce.salesforce.params import flow_params

    with pytest.raises(ValueError, match=r"^login_url: .*My Domain"):
        flow_params(
            "client-credentials", "https://login.salesforce.com", client_id="x", client_secret="y"
        )
    with pytest.raises(ValueError, match=r"^ca_file: no such file"):
        connect(engine, team_id, client_credentials(lf), config, ca_file="/nonexistent/ca.pem")
    assert _token_calls(lf) == 0
