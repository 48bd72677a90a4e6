"""One error body for every API failure: ``{"errors": [{"path": "body.email", "message": …}]}``.

``path`` names where the problem is (``body.<field>``, ``query.<param>``, ``path.<param>``,
``header.authorization``) or is ``null`` when it is about the request as a whole. Handlers here
turn validation errors, store errors and ``ApiError`` into that body; anything unexpected
becomes a 500 with the same shape and no internals.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from pushforce.inputs import error_location

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self, status: int, path: str | None, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = [{"path": path, "message": message}]
        self.headers = headers

    @classmethod
    def from_errors(cls, status: int, errors: list[dict[str, Any]]) -> ApiError:
        error = cls(status, errors[0]["path"], errors[0]["message"])
        error.errors = errors
        return error


def error_response(status: int, errors: list[dict[str, Any]], **kw: Any) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status, **kw)


def _message(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    if error.get("type") == "extra_forbidden":
        return "is not a known field"
    message = str(error.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


def validation_errors(errors: Sequence[Any], prefix: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """pydantic error dicts → ``[{"path", "message"}]`` (also used by the CSV import report)."""
    result = []
    for error in errors:
        location = (*prefix, *error_location(error))
        if error.get("type") == "json_invalid":
            location = location[:1]
        result.append(
            {"path": ".".join(str(part) for part in location), "message": _message(error)}
        )
    return result


async def _on_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response(422, validation_errors(list(exc.errors())))


async def _on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.errors, headers=exc.headers)


async def _on_http(_request: Request, exc: HTTPException) -> JSONResponse:
    return error_response(
        exc.status_code,
        [{"path": None, "message": str(exc.detail)}],
        headers=getattr(exc, "headers", None),
    )


async def _on_integrity(_request: Request, exc: IntegrityError) -> JSONResponse:
    log.warning("integrity error answered with 409: %s", exc.orig)
    message = "the change conflicts with another change made at the same time; retry"
    return error_response(409, [{"path": None, "message": message}])


async def _on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, [{"path": None, "message": "internal error"}])


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(ApiError, _on_api_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, _on_integrity)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected)
