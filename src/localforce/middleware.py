"""The ASGI layer in front of every route: versions, bearer tokens, API usage and its header,
faults, the concurrent long-request cap, the latency model and the request log.

It buffers the request body (so chunked uploads work and rules can look at collection bodies)
and the response (so it can add `Sforce-Limit-Info` after counting the call, delay it, or swap
it for a commit-then-fail error).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from localforce import responses
from localforce.faults import FaultRule
from localforce.org import WRITES
from localforce.state import LATEST_VERSION, OLDEST_VERSION, ServerState

log = logging.getLogger("localforce")
VERSION_PATH = re.compile(r"^/services/data/v(\d+)\.(\d+)(?:/.*)?$")
OBJECT_IN_PATH = re.compile(r"/sobjects/([A-Za-z0-9_]+)")
DEFAULT_HANG_SECONDS = 300.0
MAX_URI_BYTES = 16_384


def uri_bytes(scope: Scope) -> int:
    raw = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string") or b""
    return len(raw) + (len(query) + 1 if query else 0)


@dataclass
class Captured:
    status: int
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def of(cls, response: Response) -> Captured:
        return cls(response.status_code, list(response.raw_headers), bytes(response.body))


@dataclass
class RequestContext:
    """Per-request facts handlers report back (scope["localforce"])."""

    api_calls: int = 0
    written: list[int] = field(default_factory=lambda: [0])
    fault: str | None = None


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() in ("bearer", "oauth") and token else None
    return None


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


class LocalforceMiddleware:
    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path = scope["path"]
        if len(path) > 1 and path.endswith("/"):  # simple-salesforce adds trailing slashes
            scope = {**scope, "path": path.rstrip("/") or "/"}
        body = await read_body(receive)
        ctx = RequestContext()
        scope["localforce"] = ctx
        try:
            captured = await self._handle(scope, body, receive, ctx)
        except Exception:
            log.exception("localforce: unhandled error on %s", scope["path"])
            captured = Captured.of(responses.json_response(responses.UNKNOWN_EXCEPTION, 500))
        if captured is not None:
            await send(
                {
                    "type": "http.response.start",
                    "status": captured.status,
                    "headers": captured.headers,
                }
            )
            await send({"type": "http.response.body", "body": captured.body})
        self._log(scope, captured, ctx, started)

    async def _handle(
        self, scope: Scope, body: bytes, receive: Receive, ctx: RequestContext
    ) -> Captured | None:
        path = scope["path"]
        if path.startswith("/services/") and uri_bytes(scope) > MAX_URI_BYTES:
            return Captured.of(responses.html_error(414))
        if path.startswith("/services/data/v"):
            captured = await self._data_request(scope, body, receive, ctx)
            if captured is not None:
                captured.headers.append((b"sforce-limit-info", self.state.usage.header().encode()))
            return captured
        if path.startswith("/__localforce__") and not self._control_allowed(scope):
            return Captured.of(responses.json_response(responses.INVALID_SESSION, 401))
        if path.startswith("/services/oauth2/") and self.state.faults.rules:
            rule = self.state.faults.take(scope["method"], path, set(), explicit_path=True)
            if rule is not None and rule.kind not in ("token_expiry", "commit_then_fail"):
                ctx.fault = rule.kind
                return await self._fault_response(rule, receive)
        return await self._run(scope, body, receive)

    def _control_allowed(self, scope: Scope) -> bool:
        token = bearer_token(scope)
        tokens = self.state.tokens
        return token is not None and (token == tokens.static_token or tokens.is_valid(token))

    async def _data_request(
        self, scope: Scope, body: bytes, receive: Receive, ctx: RequestContext
    ) -> Captured | None:
        refusal = self._version_refusal(scope["path"])
        if refusal is not None:
            return Captured.of(refusal)
        rule = self._fault(scope, body)
        if rule is not None:
            ctx.fault = rule.kind
            if rule.kind == "token_expiry":
                self.state.tokens.expire_all()
        refusal = self._admission_refusal(scope)
        if refusal is not None:
            return Captured.of(refusal)
        ticket = self.state.long_requests.begin()
        try:
            return await self._admitted(scope, body, receive, ctx, rule)
        finally:
            self.state.long_requests.end(ticket)

    async def _admitted(
        self,
        scope: Scope,
        body: bytes,
        receive: Receive,
        ctx: RequestContext,
        rule: FaultRule | None,
    ) -> Captured | None:
        if rule is not None and rule.kind not in ("token_expiry", "commit_then_fail"):
            return await self._fault_response(rule, receive)
        captured = await self._counted(scope, body, receive, ctx)
        await self._delay(ctx.written[0])
        if rule is not None and rule.kind == "commit_then_fail":
            return await self._fault_response(rule, receive)
        return captured

    def _version_refusal(self, path: str) -> Response | None:
        match = VERSION_PATH.match(path)
        if match is None:
            return responses.json_response(responses.NOT_FOUND, 404)
        major, minor = int(match[1]), int(match[2])
        if major < OLDEST_VERSION:
            return responses.json_response(
                [
                    {
                        "errorCode": "GONE",
                        "message": f"Version {major}.{minor} of the API has been retired.",
                    }
                ],
                410,
            )
        if major > LATEST_VERSION or minor != 0:
            return responses.json_response(responses.NOT_FOUND, 404)
        return None

    def _admission_refusal(self, scope: Scope) -> Response | None:
        token = bearer_token(scope)
        if token is None:
            return responses.json_response(responses.INVALID_AUTH_HEADER, 401)
        if not self.state.tokens.is_valid(token):
            return responses.json_response(responses.INVALID_SESSION, 401)
        if self.state.usage.exhausted():
            return responses.json_response(responses.TOTAL_REQUESTS, 403)
        if self.state.long_requests.over_cap():
            return responses.json_response(responses.CONCURRENT_LONG, 403)
        return None

    async def _counted(
        self, scope: Scope, body: bytes, receive: Receive, ctx: RequestContext
    ) -> Captured | None:
        ctx.api_calls = 1
        writes_token = WRITES.set(ctx.written)
        try:
            return await self._run(scope, body, receive)
        finally:
            WRITES.reset(writes_token)
            self.state.usage.consume(ctx.api_calls)

    def _fault(self, scope: Scope, body: bytes) -> FaultRule | None:
        if not self.state.faults.rules:
            return None
        path = scope["path"]
        return self.state.faults.take(scope["method"], path, objects_in(path, body))

    async def _fault_response(self, rule: FaultRule, receive: Receive) -> Captured | None:
        self.state.counters.faults_fired += 1
        kind = rule.kind
        if kind == "hang" or (kind == "commit_then_fail" and rule.seconds):
            if await hang(receive, rule.seconds or DEFAULT_HANG_SECONDS):
                return None
            return Captured.of(responses.html_error(503))
        if kind == "UNABLE_TO_LOCK_ROW":
            return Captured.of(responses.json_response(responses.lock_error(), 400))
        if kind == "UNKNOWN_EXCEPTION":
            return Captured.of(responses.json_response(responses.UNKNOWN_EXCEPTION, 500))
        if kind == "REQUEST_LIMIT_EXCEEDED":
            body = responses.CONCURRENT_LONG if rule.concurrent else responses.TOTAL_REQUESTS
            return Captured.of(responses.json_response(body, 403))
        status = int(kind) if kind.isdigit() else 500
        return Captured.of(responses.html_error(status))

    async def _delay(self, written: int) -> None:
        latency = self.state.latency
        seconds = (latency["per_request_ms"] + latency["per_record_ms"] * written) / 1000
        if seconds > 0:
            await asyncio.sleep(seconds)

    async def _run(self, scope: Scope, body: bytes, receive: Receive) -> Captured:
        captured = Captured(500)
        sent_body = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def capture(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                captured.status = message["status"]
                captured.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured.body += message.get("body", b"")

        await self.app(scope, replay, capture)
        return captured

    def _log(
        self, scope: Scope, captured: Captured | None, ctx: RequestContext, started: float
    ) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        self.state.record(
            {
                "method": scope["method"],
                "path": scope["path"],
                "query": query,
                "status": captured.status if captured else 0,
                "records_written": ctx.written[0],
                "api_calls": ctx.api_calls,
                "fault": ctx.fault,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            }
        )


async def hang(receive: Receive, seconds: float) -> bool:
    """Wait `seconds` or until the client disconnects; True when it disconnected."""

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(until_disconnect(), seconds)
    except TimeoutError:
        return False
    return True


def objects_in(path: str, body: bytes) -> set[str]:
    """sObject names a request touches: from the path and from a collections body."""
    found = {m.lower() for m in OBJECT_IN_PATH.findall(path)}
    if b'"attributes"' in body:
        try:
            records = json.loads(body).get("records", [])
            found.update(str(r.get("attributes", {}).get("type", "")).lower() for r in records)
        except (ValueError, AttributeError):
            pass
    return found
