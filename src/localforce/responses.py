"""Canned Salesforce responses: error arrays, HTML error pages, limit and session errors."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

NOT_FOUND = [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
INVALID_AUTH_HEADER = [{"message": "INVALID_HEADER_TYPE", "errorCode": "INVALID_AUTH_HEADER"}]
TOTAL_REQUESTS = [
    {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
]
CONCURRENT_LONG = [
    {"message": "ConcurrentPerOrgLongTxn Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
]
UNKNOWN_EXCEPTION = [
    {
        "message": "An unexpected error occurred. Please include this ErrorId if you contact "
        "support: 1234567890-12345 (-1234567890)",
        "errorCode": "UNKNOWN_EXCEPTION",
    }
]
HTML_PAGES = {
    414: ("414 Request-URI Too Long", "URI Too Long"),
    500: ("Internal Server Error", "An internal server error has occurred."),
    502: ("Bad Gateway", "The server received an invalid response from an upstream server."),
    503: (
        "Service Unavailable",
        "The server is temporarily unable to service your request due "
        "to maintenance downtime or capacity problems. Please try again later.",
    ),
}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")),
        status,
        headers,
        media_type="application/json;charset=UTF-8",
    )


def html_error(status: int) -> Response:
    title, text = HTML_PAGES.get(status, HTML_PAGES[500])
    page = (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    return Response(page, status, media_type="text/html;charset=UTF-8")


def lock_error(target: str = "") -> list[dict[str, Any]]:
    return [
        {
            "message": f"unable to obtain exclusive access to this record or 1 records: {target}",
            "errorCode": "UNABLE_TO_LOCK_ROW",
            "fields": [],
        }
    ]
