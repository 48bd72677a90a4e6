"""Run one REST call in-process against the routed app (for Composite and Composite Batch)."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Scope


@dataclass
class SubResponse:
    status: int
    body: Any
    headers: dict[str, str]


async def call(
    app: ASGIApp, parent: Scope, method: str, url: str, body: Any, headers: dict[str, str]
) -> SubResponse:
    parts = urlsplit(url)
    payload = b"" if body is None else json.dumps(body).encode()
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw_headers.append((b"content-type", b"application/json"))
    scope: Scope = {
        **{
            k: parent[k]
            for k in ("type", "http_version", "scheme", "server", "client", "app")
            if k in parent
        },
        "method": method.upper(),
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "headers": raw_headers,
        "root_path": "",
        "localforce": parent["localforce"],
    }
    status, chunks = 500, []
    response_headers: dict[str, str] = {}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers.update((k.decode(), v.decode()) for k, v in message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    raw = b"".join(chunks)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode("utf-8", "replace")
    return SubResponse(status, parsed, response_headers)
