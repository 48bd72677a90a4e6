"""Which hosts may receive a Salesforce token (reliability §3.2: SSRF via ``instance_url``).

Token endpoints and instance URLs must be HTTPS on a Salesforce host (``*.salesforce.com``,
which covers ``*.my.salesforce.com``, or ``*.force.com``) or on a host the operator allowed
by name (``PUSHFORCE_ALLOWED_SALESFORCE_HOSTS``, e.g. localforce on ``127.0.0.1``). The check
runs on the host name ``urllib.parse`` extracts — never on the raw string — so userinfo
(``https://login.salesforce.com@evil.com``), fragments (``https://evil.com#.salesforce.com``)
and look-alikes (``evilsalesforce.com``) are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

__all__ = ["DisallowedHost", "allowed_hosts", "checked_origin"]

SALESFORCE_SUFFIXES = (".salesforce.com", ".force.com")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class DisallowedHost(ValueError):
    """A URL a Salesforce token must not be sent to."""


def allowed_hosts(setting: str) -> frozenset[str]:
    """``"127.0.0.1, Localhost"`` → ``{"127.0.0.1", "localhost"}``."""
    return frozenset(part.strip().lower() for part in setting.split(",") if part.strip())


def checked_origin(url: str, allowed: Iterable[str] = (), *, what: str = "URL") -> str:
    """The origin (``https://host[:port]``) of ``url`` if a token may go there, else raise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "https":
        raise DisallowedHost(f"{what} must use https: {_shown(url)}")
    if "@" in parts.netloc or parts.username is not None:
        raise DisallowedHost(f"{what} must not carry user information: {_shown(url)}")
    host = (parts.hostname or "").lower()
    port = _port(parts, what)
    if host in set(allowed):
        return _origin(host, port)
    if not _is_salesforce(host):
        raise DisallowedHost(
            f"{what} host {host or '(none)'!r} is not a Salesforce host (*.salesforce.com, "
            "*.force.com) nor listed in PUSHFORCE_ALLOWED_SALESFORCE_HOSTS"
        )
    if port not in (None, 443):
        raise DisallowedHost(f"{what} must use the standard https port: {_shown(url)}")
    return _origin(host, None)


def _port(parts: SplitResult, what: str) -> int | None:
    try:
        return parts.port
    except ValueError:
        raise DisallowedHost(f"{what} has an invalid port: {parts.netloc[:80]!r}") from None


def _is_salesforce(host: str) -> bool:
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return False
    return any(host.endswith(suffix) for suffix in SALESFORCE_SUFFIXES)


def _origin(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"https://{shown}" if port in (None, 443) else f"https://{shown}:{port}"


def _shown(url: str) -> str:
    """The URL without anything after the host, so a query string never reaches an error."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.hostname or ''}"[:120]
