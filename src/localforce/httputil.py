"""Helpers the route modules share: JSON bodies, headers, the server state, error rendering."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.responses import Response

from localforce import ids, responses
from localforce.errors import OrgError, fail, json_parser_error
from localforce.org import MultipleMatches, Org
from localforce.render import sobject_url
from localforce.schema import ObjectSchema
from localforce.state import ServerState


def state_of(request: Request) -> ServerState:
    return request.app.state.localforce  # type: ignore[no-any-return]


def org_of(request: Request) -> Org:
    return state_of(request).org


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        raise json_parser_error("No content to map due to end-of-input at [line:1, column:0]")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        char = exc.doc[exc.pos] if exc.pos < len(exc.doc) else ""
        shown = f"('{char}' (code {ord(char)}))" if char else "end-of-input"
        raise json_parser_error(
            f"Unexpected character {shown}: {exc.msg} at [line:{exc.lineno}, column:{exc.colno}]"
        ) from None


async def json_object(request: Request) -> dict[str, Any]:
    body = parse_json(await request.body())
    if not isinstance(body, dict):
        raise json_parser_error(
            "Cannot deserialize instance of SObject from START_ARRAY value [ or request may be "
            "missing a required field"
        )
    return body


def allow_save(request: Request) -> bool:
    header = request.headers.get("sforce-duplicate-rule-header", "")
    options = dict(part.strip().lower().partition("=")[::2] for part in header.split(";") if part)
    return options.get("allowsave") == "true"


def object_or_404(org: Org, name: str) -> ObjectSchema:
    obj = org.schema.object(name)
    if obj is None:
        raise OrgError(404, fail("NOT_FOUND", "The requested resource does not exist", None).errors)
    return obj


def error_response(error: OrgError, version: str | None = None) -> Response:
    if isinstance(error, MultipleMatches):
        urls = [sobject_url(version or "60.0", error.sobject, i) for i in error.record_ids]
        return responses.json_response(urls, 300)
    return responses.json_response(error.rest_body(), error.status)


def set_api_calls(request: Request, calls: int) -> None:
    request.scope["localforce"].api_calls = calls


def version_number(version: str) -> float:
    try:
        return float(version)
    except ValueError:
        return 0.0


def normalized_id_or_404(segment: str) -> str:
    """A path segment that is not an id is read as an external id field name (reference §2.2)."""
    record_id = ids.normalize(segment)
    if record_id is None:
        raise fail(
            "NOT_FOUND",
            f"Provided external ID field does not exist or is not accessible: {segment}",
            None,
            status=404,
        )
    return record_id
