"""Helpers for the gateway tests: writes to push, gateways on localforce, an RSA key pair."""

from __future__ import annotations

from typing import Any

from certificates import self_signed_rsa
from localforce.testing import RunningServer
from pushforce.core.batching import CollectionCall, WriteOp
from pushforce.core.decisions import Create, Update, Write, Writes
from pushforce.core.records import RecordRef
from pushforce.salesforce.factory import auth_session, build_gateway
from pushforce.salesforce.gateway import SalesforceGateway
from pushforce.salesforce.oauth import Flow, FlowParams, request_token
from pushforce.salesforce.secret import Secret
from pushforce.salesforce.tokens import MemoryTokenStore, TokenState

ALLOWED = frozenset({"127.0.0.1", "localhost"})
REFRESH_TOKEN = "5AepConfiguredRefreshToken0001"
ROTATING_CLIENT = "rotating-client"
JWT_CLIENT = "jwt-client"


def rsa_key_and_certificate() -> tuple[str, str]:
    pem_key, certificate = self_signed_rsa("pushforce-tests")
    return pem_key.decode(), certificate


def client_credentials(lf: RunningServer) -> FlowParams:
    return FlowParams(
        Flow.CLIENT_CREDENTIALS,
        lf.base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
    )


def memory_store(lf: RunningServer, params: FlowParams | None = None) -> MemoryTokenStore:
    params = params or client_credentials(lf)
    grant = request_token(params, ALLOWED, auth_session(str(lf.ca_path)))
    if grant.refresh_token is not None:
        params = params.with_refresh_token(grant.refresh_token)
    state = TokenState(params, grant.access_token, grant.instance_url, grant.org_id)
    return MemoryTokenStore(state)


def gateway_on(
    lf: RunningServer, store: MemoryTokenStore | None = None, key: str = "tests", **options: Any
) -> SalesforceGateway:
    store = store or memory_store(lf)
    return build_gateway(store, key=key, allowed=ALLOWED, ca_file=str(lf.ca_path), **options)


def ref(kind: str, number: int, team: int = 7) -> RecordRef:
    return RecordRef(team, kind, number)  # type: ignore[arg-type]


def contact_create(number: int, **fields: object) -> Create:
    record = ref("contact", number)
    payload = {"LastName": f"Person {number}", "Email": f"p{number}@example.com", **fields}
    return Create(record, "Contact", payload, record.external_id)


def contact_update(number: int, sf_id: str, **fields: object) -> Update:
    record = ref("contact", number)
    return Update(record, "Contact", sf_id, Writes(overwrite=fields), record.external_id)


def lead_update(number: int, sf_id: str, **fields: object) -> Update:
    record = ref("contact", number)
    return Update(record, "Lead", sf_id, Writes(overwrite=fields), record.external_id)


def collection(sobject: str, op: WriteOp, *writes: Write) -> CollectionCall:
    return CollectionCall(sobject, op, tuple(writes))
