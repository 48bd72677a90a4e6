"""Connection parameters from the API or the CLI → :class:`FlowParams`, with each missing or bad
field named (``ValueError("client_id: …")``)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret

__all__ = ["DEFAULT_LOGIN_URL", "REQUIRED", "ca_file_allowed", "flow_params"]

DEFAULT_LOGIN_URL = "https://login.salesforce.com"
REQUIRED: dict[Flow, tuple[str, ...]] = {
    Flow.JWT: ("client_id", "username", "private_key"),
    Flow.REFRESH_TOKEN: ("client_id", "refresh_token"),
    Flow.CLIENT_CREDENTIALS: ("client_id", "client_secret"),
    Flow.ACCESS_TOKEN: ("access_token", "instance_url"),
}
SECRETS = ("client_secret", "private_key", "refresh_token", "access_token")


def flow_params(flow: str, login_url: str | None = None, **values: str | None) -> FlowParams:
    try:
        chosen = Flow(flow)
    except ValueError:
        choices = ", ".join(f.value for f in Flow)
        raise ValueError(f"flow: must be one of {choices}") from None
    given = {name: (value or "").strip() for name, value in values.items()}
    for name in REQUIRED[chosen]:
        if not given.get(name):
            raise ValueError(f"{name}: required for the {chosen.value} flow")
    login = (login_url or "").strip() or _default_login(chosen, given)
    if chosen is Flow.CLIENT_CREDENTIALS and _is_generic_login(login):
        raise ValueError("login_url: the client-credentials flow needs the org's My Domain URL")
    plain = {k: v for k, v in given.items() if k not in SECRETS}
    secrets = {k: Secret(v) for k, v in given.items() if k in SECRETS and v}
    return FlowParams(chosen, login, **plain, **secrets)  # type: ignore[arg-type]


def _default_login(flow: Flow, given: dict[str, str]) -> str:
    if flow is Flow.ACCESS_TOKEN:
        return given["instance_url"]
    if flow is Flow.CLIENT_CREDENTIALS:
        raise ValueError("login_url: the client-credentials flow needs the org's My Domain URL")
    return DEFAULT_LOGIN_URL


def _is_generic_login(url: str) -> bool:
    """Salesforce answers client credentials only on My Domain, never on login/test."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("login.salesforce.com", "test.salesforce.com")


def ca_file_allowed(params: FlowParams, allowed: Iterable[str]) -> bool:
    """A custom CA may only be trusted for hosts the operator allowed by name (localforce):
    never for Salesforce's own hosts."""
    host = (urlsplit(params.login_url).hostname or "").lower()
    return host in set(allowed)
