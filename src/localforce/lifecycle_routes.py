"""Control API for lead conversion and merge: ``POST /__localforce__/convert-lead`` and
``POST /__localforce__/merge`` (the REST API has no convertLead or merge call).

Bodies follow the SOAP calls' argument names::

    {"leadId": "00Q…", "accountId": null, "contactId": null,
     "doNotCreateOpportunity": false, "opportunityName": null, "convertedStatus": null}
    {"masterRecordId": "001…", "recordToMergeIds": ["001…"], "fields": {"Phone": "…"}}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from localforce import responses
from localforce.errors import OrgError
from localforce.lifecycle import CONVERTED_STATUS, convert_lead, merge


async def _body(request: Request) -> dict[str, Any] | Response:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return responses.json_response(
            [{"errorCode": "JSON_PARSER_ERROR", "message": "The body must be a JSON object"}],
            400,
        )
    return body


def _missing(name: str) -> Response:
    return responses.json_response(
        [
            {
                "errorCode": "REQUIRED_FIELD_MISSING",
                "message": f"{name} is required",
                "fields": [name],
            }
        ],
        400,
    )


async def _answer(
    request: Request, required: str, action: Callable[[dict[str, Any]], Any]
) -> Response:
    body = await _body(request)
    if isinstance(body, Response):
        return body
    if not body.get(required):
        return _missing(required)
    try:
        result = action(body)
    except OrgError as error:
        return responses.json_response(error.rest_body(), 400)
    return responses.json_response(result.body())


def _convert(org: Any, body: dict[str, Any]) -> Any:
    return convert_lead(
        org,
        body["leadId"],
        account_id=body.get("accountId"),
        contact_id=body.get("contactId"),
        create_opportunity=not body.get("doNotCreateOpportunity", False),
        opportunity_name=body.get("opportunityName"),
        converted_status=body.get("convertedStatus") or CONVERTED_STATUS,
    )


def _merge(org: Any, body: dict[str, Any]) -> Any:
    losers = list(body.get("recordToMergeIds") or [])
    return merge(org, body["masterRecordId"], losers, body.get("fields"))


def lifecycle_router(get_org: Callable[[], Any]) -> APIRouter:
    router = APIRouter()

    @router.post("/__localforce__/convert-lead", include_in_schema=False)
    async def convert(request: Request) -> Response:
        return await _answer(request, "leadId", lambda body: _convert(get_org(), body))

    @router.post("/__localforce__/merge", include_in_schema=False)
    async def merge_records(request: Request) -> Response:
        return await _answer(request, "masterRecordId", lambda body: _merge(get_org(), body))

    return router
