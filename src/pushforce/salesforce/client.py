"""The HTTP layer under the gateway: one ``requests.Session`` per org connection that trusts a
given CA (never ``verify=False``), follows no redirects, applies timeouts, holds one of the org's
concurrency slots for each request (R20) and reads ``Sforce-Limit-Info`` from every answer
(R19); and :meth:`SalesforceClient.call`, which runs a simple-salesforce call, renews the token
once on a 401 and turns every failure into a :class:`~pushforce.salesforce.errors.CallFailure`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceError, SalesforceExpiredSession
from simple_salesforce.util import exception_handler

from pushforce.core.lookups import DEFAULT_API_VERSION
from pushforce.salesforce.crypto import DecryptionFailed
from pushforce.salesforce.errors import CallFailure, failure_from_exception, with_retry_after
from pushforce.salesforce.orgs import OrgState
from pushforce.salesforce.secret import Secret
from pushforce.salesforce.tokens import Credentials, SessionLost

__all__ = ["DEFAULT_TIMEOUT", "OrgSession", "SalesforceClient"]

T = TypeVar("T")
DEFAULT_TIMEOUT = (10.0, 120.0)  # connect, read (seconds)


class OrgSession(requests.Session):
    """A session whose every request waits for a slot of its org and reports API usage."""

    def __init__(
        self,
        org: OrgState,
        ca_file: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__()
        self.org = org
        self.timeout = timeout
        self._last = threading.local()  # this thread's last answer (its Retry-After header)
        if ca_file:
            self.verify = ca_file
            self.trust_env = False  # REQUESTS_CA_BUNDLE would override verify otherwise

    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("allow_redirects", False)
        with self.org.slots:
            response = super().request(method, url, *args, **kwargs)
        self._last.retry_after = response.headers.get("Retry-After")
        self.org.observe_limit_info(response.headers.get("Sforce-Limit-Info"))
        if response.status_code == 403 and b"ConcurrentPerOrgLongTxn" in response.content:
            self.org.slots.refused_for_concurrency()
        else:
            self.org.slots.answered()
        return response

    def last_retry_after(self) -> str | None:
        return getattr(self._last, "retry_after", None)


class SalesforceClient:
    def __init__(
        self,
        credentials: Credentials,
        session: OrgSession,
        version: str = DEFAULT_API_VERSION,
    ) -> None:
        self.credentials = credentials
        self.session = session
        self.version = version
        self._clients: dict[Secret, Salesforce] = {}

    def __repr__(self) -> str:
        return f"SalesforceClient(org={self.session.org.key!r})"

    def call(self, action: Callable[[Salesforce], T]) -> T:
        """``action(sf)``; a 401 renews the token once (shared) and retries once."""
        try:
            return self._with_renewal(action)
        except CallFailure:
            raise
        except (SessionLost, DecryptionFailed) as lost:  # the stored connection is unusable
            raise CallFailure(401, "INVALID_SESSION_ID", str(lost)) from None
        except Exception as error:  # every wire failure becomes a CallFailure
            failure = failure_from_exception(error)
            if isinstance(error, SalesforceError):
                failure = with_retry_after(failure, self.session.last_retry_after())
            raise failure from None

    def raw(self, sf: Salesforce, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A request simple-salesforce has no helper for (Bulk API 2.0 CSV up- and downloads)."""
        headers = {**sf.headers, **kwargs.pop("headers", {})}
        response = self.session.request(method, sf.base_url + path, headers=headers, **kwargs)
        if response.status_code >= 300:
            exception_handler(response, name=path)
        return response

    def _with_renewal(self, action: Callable[[Salesforce], T]) -> T:
        token = self.credentials.access_token()
        try:
            return action(self._sf(token))
        except SalesforceExpiredSession:
            pass
        fresh = self.credentials.refreshed_after(token)
        return action(self._sf(fresh))

    def _sf(self, token: Secret) -> Salesforce:
        client = self._clients.get(token)
        if client is None:
            self._clients = {}  # drop clients of stale tokens
            client = Salesforce(
                instance_url=self.credentials.state().instance_url,
                session_id=token.reveal(),
                session=self.session,
                version=self.version,
            )
            self._clients[token] = client
        return client
