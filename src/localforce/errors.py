"""Salesforce error values: `SalesforceError` (one errorCode/message/fields) and `OrgError`.

The single-record REST surface renders errors as ``[{"message", "errorCode", "fields"}]``;
collections and bulk use ``{"statusCode", "message", "fields"}`` (reference §3, §8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SalesforceError:
    code: str
    message: str
    fields: tuple[str, ...] | None = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def rest(self) -> dict[str, Any]:
        body: dict[str, Any] = dict(self.extra)
        body.update({"message": self.message, "errorCode": self.code})
        if self.fields is not None:
            body["fields"] = list(self.fields)
        return body

    def collection(self) -> dict[str, Any]:
        return {"statusCode": self.code, "message": self.message, "fields": list(self.fields or ())}


class OrgError(Exception):
    """A failed org operation: the HTTP status and the errors Salesforce would report."""

    def __init__(self, status: int, errors: list[SalesforceError]) -> None:
        super().__init__("; ".join(f"{e.code}: {e.message}" for e in errors))
        self.status = status
        self.errors = errors

    @property
    def first(self) -> SalesforceError:
        return self.errors[0]

    def rest_body(self) -> list[dict[str, Any]]:
        return [e.rest() for e in self.errors]


def fail(
    code: str, message: str, fields: tuple[str, ...] | None = (), status: int = 400
) -> OrgError:
    return OrgError(status, [SalesforceError(code, message, fields)])


def not_found(message: str = "The requested resource does not exist") -> OrgError:
    return fail("NOT_FOUND", message, None, status=404)


def invalid_field(name: str, sobject: str) -> OrgError:
    return fail("INVALID_FIELD", f"No such column '{name}' on sobject of type {sobject}", None)


def json_parser_error(message: str) -> OrgError:
    return fail("JSON_PARSER_ERROR", message, None)


def malformed_id(value: object) -> OrgError:
    return fail("MALFORMED_ID", f"malformed id {value}", None)


def entity_is_deleted(status: int = 400) -> OrgError:
    return fail("ENTITY_IS_DELETED", "entity is deleted", (), status=status)


ROLLED_BACK = SalesforceError(
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request was using AllOrNone "
    "header",
)
PROCESSING_HALTED = SalesforceError(
    "PROCESSING_HALTED",
    "The transaction was rolled back since another operation in the same transaction failed.",
    None,
)
