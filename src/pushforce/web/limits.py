"""Request limits and API response headers (reliability §3, ASVS 5.2.1/14.3).

* A body-size cap for every request: a declared ``Content-Length`` over the cap is refused at
  once, and a chunked body is read up to the cap and refused as soon as it passes it — 413,
  with the error body of the API, before any handler reads it. CSV uploads (``…/import``) get
  their own, larger cap (``MAX_UPLOAD_BYTES`` plus the multipart envelope).
* JSON API answers carry ``X-Content-Type-Options: nosniff`` and ``Cache-Control: no-store``
  (they hold a team's records and connection details; nothing should keep them).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pushforce.web.api.imports import MAX_UPLOAD_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_ENVELOPE_BYTES = 64 * 1024
API_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"))


def cap_for(path: str, max_body_bytes: int) -> int:
    if path.endswith("/import") or path.startswith("/import/"):
        return max(max_body_bytes, MAX_UPLOAD_BYTES + UPLOAD_ENVELOPE_BYTES)
    return max_body_bytes


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _refusal(path: str, cap: int) -> tuple[bytes, bytes]:
    """The 413's body and content type: the API's error shape, or a short page for the UI."""
    message = f"the request body is over {cap} bytes"
    if path.startswith("/api/"):
        body = json.dumps({"errors": [{"path": "body", "message": message}]})
        return body.encode(), b"application/json"
    page = f"<!doctype html><title>Too large</title><h1>Too large</h1><p>{message}.</p>"
    return page.encode(), b"text/html; charset=utf-8"


async def _refuse(send: Send, path: str, cap: int) -> None:
    body, content_type = _refusal(path, cap)
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _buffered(receive: Receive, cap: int) -> list[Message] | None:
    """A body of undeclared length (chunked), read up to the cap: its messages, or None past it.
    Memory stays bounded by the cap; the handler then reads the replayed messages."""
    messages, seen = [], 0
    while True:
        message = await receive()
        messages.append(message)
        seen += len(message.get("body", b""))
        if seen > cap:
            return None
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay


def _with_api_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [header for header in API_HEADERS if header[0] not in present]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return sending


class RequestLimits:
    """ASGI middleware: the body cap for every request, the headers for ``/api/`` answers."""

    def __init__(self, app: Asgi, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = cap_for(scope["path"], self.max_body_bytes)
        declared = _declared_length(scope)
        if declared is not None and declared > cap:
            await _refuse(send, scope["path"], cap)
            return
        if declared is None and scope.get("method") in {"POST", "PUT", "PATCH", "DELETE"}:
            messages = await _buffered(receive, cap)
            if messages is None:
                await _refuse(send, scope["path"], cap)
                return
            receive = _replaying(messages, receive)
        if scope["path"].startswith("/api/"):
            send = _with_api_headers(send)
        await self.app(scope, receive, send)
