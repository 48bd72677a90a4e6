"""Errors the store raises for input it cannot accept (the API maps them to 4xx).

StoreError
├── InvalidRecordInput   a field refers to something the team does not have (422)
│   └── UnknownStage     a stage name the team has no stage for
├── InvalidListQuery     a sort, filter or cursor that does not fit the list (422)
└── DuplicateRecord      a unique rule would be broken (409)
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of the store's input errors; ``field`` names the offending input path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidRecordInput(StoreError):
    pass


class UnknownStage(InvalidRecordInput):
    pass


class InvalidListQuery(StoreError):
    pass


class DuplicateRecord(StoreError):
    pass
