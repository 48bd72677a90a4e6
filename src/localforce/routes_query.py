"""``/services/data/vXX.X/query`` and ``/queryAll``: SOQL over REST, in pages (reference §5).

The app mounts ``query_router(get_org)``; authentication, API-usage counting and version
checks are the app's middleware, as for every other ``/services/data`` route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from localforce import responses
from localforce.query_cursors import CursorStore, Page, batch_size
from localforce.soql import execute
from localforce.soql_ast import SoqlError

MAX_URI_BYTES = 16_384
NO_QUERY = SoqlError("MALFORMED_QUERY", "A query string has to be specified")


def uri_too_long(request: Request) -> bool:
    """Salesforce refuses request URIs over 16,384 bytes with 414 (reference §2.3, §5)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    return len(raw) + (len(query) + 1 if query else 0) > MAX_URI_BYTES


def _uri_too_long_response() -> Response:
    # The refusal comes from Salesforce's front end, as an HTML page rather than a JSON error list.
    body = (
        "<html><head><title>414 Request-URI Too Long</title></head><body>URI Too Long</body></html>"
    )
    return HTMLResponse(body, status_code=414)


def _page_body(page: Page, version: str, endpoint: str) -> dict[str, Any]:
    body: dict[str, Any] = {"totalSize": page.total_size, "done": page.next_locator is None}
    if page.next_locator is not None:
        body["nextRecordsUrl"] = f"/services/data/v{version}/{endpoint}/{page.next_locator}"
    body["records"] = page.records
    return body


def register(app: Any, get_org: Callable[[], Any]) -> None:
    """Mount hook the app calls (``app.mount_optional``)."""
    app.include_router(query_router(get_org, app.state.localforce.cursors))


def query_router(get_org: Callable[[], Any], cursors: CursorStore | None = None) -> APIRouter:
    router = APIRouter()
    cursors = cursors or CursorStore()

    def run(request: Request, version: str, endpoint: str) -> Response:
        if uri_too_long(request):
            return _uri_too_long_response()
        text = request.query_params.get("q")
        try:
            if not text or not text.strip():
                raise NO_QUERY
            result = execute(get_org(), text, include_deleted=endpoint == "queryAll")
            size = batch_size(request.headers.get("Sforce-Query-Options"))
            page = cursors.first_page(result, size, version)
        except SoqlError as error:
            return responses.json_response(error.body(), 400)
        return responses.json_response(_page_body(page, version, endpoint))

    def more(request: Request, version: str, locator: str, endpoint: str) -> Response:
        try:
            page = cursors.next_page(locator, version)
        except SoqlError as error:
            return responses.json_response(error.body(), 400)
        return responses.json_response(_page_body(page, version, endpoint))

    for endpoint in ("query", "queryAll"):
        _add_routes(router, endpoint, run, more)
    return router


def _add_routes(
    router: APIRouter,
    endpoint: str,
    run: Callable[[Request, str, str], Response],
    more: Callable[[Request, str, str, str], Response],
) -> None:
    def first(request: Request, version: str) -> Response:
        return run(request, version, endpoint)

    def following(request: Request, version: str, locator: str) -> Response:
        return more(request, version, locator, endpoint)

    for path in (
        f"/services/data/v{{version}}/{endpoint}",
        f"/services/data/v{{version}}/{endpoint}/",
    ):
        router.add_api_route(path, first, methods=["GET"], include_in_schema=False)
    router.add_api_route(
        f"/services/data/v{{version}}/{endpoint}/{{locator}}",
        following,
        methods=["GET"],
        include_in_schema=False,
    )
