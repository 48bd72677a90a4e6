"""A store error met when a row is retried alone names the row's own field (its column), not
the index ``insert_records`` gives a record of the chunk."""

from __future__ import annotations

from pushforce.importing.writing import _failure_reason
from pushforce.store.errors import InvalidRecordInput, UnknownStage


def test_a_bulk_insert_error_is_reported_by_the_field_without_its_chunk_index() -> None:
    refused = InvalidRecordInput("0.owner_id", "no user with id 9 in this team")
    assert _failure_reason(refused) == ("owner_id", "no user with id 9 in this team")


def test_a_field_path_without_an_index_is_kept() -> None:
    assert _failure_reason(UnknownStage("stage", "no such stage"))[0] == "stage"
    nested = InvalidRecordInput("contacts.0.contact_id", "no contact with id 3 in this team")
    assert _failure_reason(nested)[0] == "contacts.0.contact_id"
