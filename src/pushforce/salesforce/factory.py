"""Build a :class:`SalesforceGateway` from a token store (the one place adapters are wired)."""

from __future__ import annotations

from collections.abc import Iterable

import requests

from pushforce.salesforce.bulk import Polling
from pushforce.salesforce.client import DEFAULT_TIMEOUT, OrgSession, SalesforceClient
from pushforce.salesforce.gateway import SalesforceGateway
from pushforce.salesforce.hosts import checked_origin
from pushforce.salesforce.orgs import org_state
from pushforce.salesforce.redact import install_log_redaction
from pushforce.salesforce.tokens import Credentials, TokenStore

__all__ = ["auth_session", "build_gateway"]


def auth_session(ca_file: str | None = None) -> requests.Session:
    """A session for token endpoints: trusts ``ca_file`` when given (localforce), else the
    system's CAs. Verification is never turned off."""
    install_log_redaction()
    session = requests.Session()
    if ca_file:
        session.verify = ca_file
        session.trust_env = False
    return session


def build_gateway(
    store: TokenStore,
    *,
    key: str,
    allowed: Iterable[str],
    ca_file: str | None = None,
    concurrency: int | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    polling: Polling | None = None,
) -> SalesforceGateway:
    """``key`` names the connection (its single-flight token lock); the org's shared state is
    keyed by its org id (else its instance URL)."""
    allowed = frozenset(allowed)
    state = store.load()
    checked_origin(state.instance_url, allowed, what="instance URL")
    org = org_state(state.org_id or state.instance_url, concurrency)
    credentials = Credentials(store, key, allowed, auth_session(ca_file))
    client = SalesforceClient(credentials, OrgSession(org, ca_file, timeout))
    return SalesforceGateway(client, org, polling)
