"""A connection's secrets ↔ its sealed ``secrets`` column (AES-GCM, team + connection bound)."""

from __future__ import annotations

import json

from pushforce.salesforce.crypto import Keyring, associated_data
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret
from pushforce.salesforce.tokens import TokenState
from pushforce.store.connections import ConnectionRow

__all__ = ["seal_state", "state_of_row"]

SECRET_NAMES = ("client_secret", "private_key", "refresh_token", "access_token")


def seal_state(keyring: Keyring, team_id: int, connection_id: int, state: TokenState) -> str:
    values = {name: getattr(state.params, name) for name in SECRET_NAMES}
    values["access_token"] = state.access_token
    plain = {name: value.reveal() for name, value in values.items() if value}
    aad = associated_data(team_id, connection_id)
    return keyring.seal(json.dumps(plain).encode(), aad)


def state_of_row(keyring: Keyring, row: ConnectionRow) -> TokenState:
    plain = json.loads(keyring.open(row.secrets, associated_data(row.team_id, row.id)))
    secrets = {name: Secret(plain[name]) for name in SECRET_NAMES if plain.get(name)}
    access = secrets.pop("access_token", Secret(""))
    params = FlowParams(
        flow=Flow(row.flow),
        login_url=row.login_url,
        client_id=row.client_id,
        username=row.username,
        audience=row.audience,
        instance_url=row.instance_url,
        access_token=access if row.flow == Flow.ACCESS_TOKEN else None,
        **secrets,
    )
    return TokenState(params, access, row.instance_url, row.org_id)
