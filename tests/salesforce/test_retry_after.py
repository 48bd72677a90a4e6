"""A 503 with ``Retry-After`` carries the delay into the outcome (R18 backoff honours it)."""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import BaseAdapter
from sf_helpers import collection, contact_create

from pushforce.core.batching import WriteOp
from pushforce.core.outcomes import OutcomeKind
from pushforce.salesforce.factory import build_gateway
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret
from pushforce.salesforce.tokens import MemoryTokenStore, TokenState


class BusyOrg(BaseAdapter):
    """Answers describe normally and every write with an HTML 503 and Retry-After: 30."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = requests.Response()
        response.request, response.url = request, str(request.url)
        if "/describe" in str(request.url):
            response.status_code = 200
            response._content = b'{"name": "Contact", "fields": []}'
            response.headers["Content-Type"] = "application/json"
        else:
            response.status_code = 503
            response._content = b"<html><body>Service Unavailable</body></html>"
            response.headers.update({"Content-Type": "text/html", "Retry-After": "30"})
        return response

    def close(self) -> None:
        pass


def test_retry_after_reaches_the_outcome() -> None:
    params = FlowParams(
        Flow.ACCESS_TOKEN,
        "https://sf.test",
        access_token=Secret("t"),
        instance_url="https://sf.test",
    )
    state = TokenState(params, Secret("t"), "https://sf.test", "00Dbusy")
    gateway = build_gateway(MemoryTokenStore(state), key="busy", allowed={"sf.test"})
    gateway.client.session.mount("https://sf.test", BusyOrg())
    [outcome, _] = gateway.run_collection(
        collection("Contact", WriteOp.CREATE, contact_create(1), contact_create(2))
    )
    assert outcome.kind is OutcomeKind.AMBIGUOUS  # type: ignore[union-attr]
    assert outcome.retry_after_seconds == 30.0  # type: ignore[union-attr]
    assert outcome.code == "HTTP_503"  # type: ignore[union-attr]
