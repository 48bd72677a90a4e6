"""What each Salesforce error code means for a push, and what an admin can do about it.

One row per ``errorCode`` / ``statusCode`` from the reference's error table
(``reference/salesforce-api.md`` §7–§8) plus the auth and limit codes a gateway meets.
Hints are sentences an admin can act on; ``{fields}`` and ``{message}`` are filled in from
the error itself (see :func:`pushforce.core.outcomes.classify`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class OutcomeKind(StrEnum):
    """How a failed Salesforce call should be treated (R14, R16, R18, R19)."""

    TRANSIENT = "transient"  # retry with backoff: lock contention, 5xx on reads, busy org
    AMBIGUOUS = "ambiguous"  # a write may or may not have been applied (timeout, 5xx)
    PERMANENT = "permanent"  # mark failed with a fix hint; retried on change or on request
    AUTH = "auth"  # pause the team's queue, reconnect
    LIMIT_EXCEEDED = "limit_exceeded"  # the org's daily API allocation is used up
    DELETED = "deleted"  # the linked Salesforce record is gone
    CONVERTED = "converted"  # the linked Lead was converted
    MERGED = "merged"  # the linked record was merged into a master


PERMANENT_HINTS: Final[dict[str, str]] = {
    "REQUIRED_FIELD_MISSING": (
        "Salesforce requires {fields} on this object. Map a Pushforce field to it under "
        "Push settings › Fields, or give the field a default value in Salesforce."
    ),
    "INVALID_EMAIL_ADDRESS": (
        "Salesforce rejected the email address. Correct the email on the Pushforce record; "
        "the push is retried after the change."
    ),
    "STRING_TOO_LONG": (
        "A value is longer than the Salesforce field {fields} allows. Shorten it in Pushforce, "
        "or map it to a longer field under Push settings › Fields."
    ),
    "DUPLICATES_DETECTED": (
        "A Salesforce duplicate rule blocked this record as a duplicate of an existing one. "
        "Link the Pushforce record to the existing Salesforce record, or change the rule's "
        "action from Block to Alert in Salesforce Setup › Duplicate Rules."
    ),
    "DUPLICATE_VALUE": (
        "Another Salesforce record already holds the same value in the unique field {fields}. "
        "Change the value in Pushforce, or merge the two Salesforce records."
    ),
    "DUPLICATE_EXTERNAL_ID": (
        "Several Salesforce records share this record's external Id (Pushforce_Id__c). Merge or "
        "delete the duplicates in Salesforce so the Id is unique, then retry."
    ),
    "INVALID_FIELD": (
        "A mapped Salesforce field does not exist or is hidden from the connected user. Fix the "
        "field name under Push settings › Fields, or grant the connected user access to it."
    ),
    "INVALID_FIELD_FOR_INSERT_UPDATE": (
        "The connected Salesforce user cannot write {fields} (read-only or hidden by field-level "
        "security). Grant edit access in Salesforce, or set the field's write mode to never."
    ),
    "INVALID_TYPE": (
        "The Salesforce object does not exist or the connected user has no access to it. Give the "
        "user's profile or permission set access to the object."
    ),
    "INVALID_CROSS_REFERENCE_KEY": (
        "A related Salesforce Id (account, owner or record type) is invalid or not visible to the "
        "connected user. Check that the related record exists in Salesforce, or push it again."
    ),
    "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": (
        "The connected Salesforce user has no access to a related record (account, owner or "
        "parent). Share that record with the user, or connect with a user who can see it."
    ),
    "INSUFFICIENT_ACCESS_OR_READONLY": (
        "The connected Salesforce user may not edit this record. Grant edit access (sharing rule "
        "or permission set), or connect with a user who has it."
    ),
    "ENTITY_IS_LOCKED": (
        "The Salesforce record is locked, usually by an approval process. Finish or recall the "
        "approval in Salesforce, then retry."
    ),
    "FIELD_CUSTOM_VALIDATION_EXCEPTION": (
        "A Salesforce validation rule rejected the record: “{message}”. Fix the data in Pushforce "
        "so it passes the rule, or ask your Salesforce admin to adjust the rule."
    ),
    "FIELD_INTEGRITY_EXCEPTION": (
        "A related record is of the wrong kind for this field {fields} (for example an activity on "
        "a Lead that also names an account). Check the related records and Push settings › "
        "Activities › associate with."
    ),
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": (
        "The value is not allowed in the restricted picklist {fields}. Map the Pushforce value to "
        "an allowed value under Push settings › Stages or Fields, or add it to the picklist in "
        "Salesforce."
    ),
    "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY": (
        "A trigger or flow in Salesforce failed while saving the record: “{message}”. Ask your "
        "Salesforce admin to fix that automation, then retry."
    ),
    "MALFORMED_ID": (
        "A related Salesforce Id is malformed or points at the wrong object {fields}. Push the "
        "related record again so its link is refreshed, then retry."
    ),
    "NOT_FOUND": (
        "Salesforce could not find the record or the external-Id field. Check that the "
        "Pushforce_Id__c field exists and is visible to the connected user, or push the record "
        "again."
    ),
    "JSON_PARSER_ERROR": (
        "Salesforce could not read a value's format (for example a date sent to a number field). "
        "Check the types of the mapped fields under Push settings › Fields."
    ),
    "STORAGE_LIMIT_EXCEEDED": (
        "The Salesforce org is out of data storage. Free up or buy storage in Salesforce, then "
        "retry the failed records."
    ),
    "EXCEEDED_ID_LIMIT": (
        "Pushforce sent more than 200 records in one call, which is a Pushforce bug. Retry the "
        "records and report the problem."
    ),
    "DUPLICATE_EXTERNAL_ID_MULTIPLE_CHOICES": (
        "Several Salesforce records matched this record's external Id. Merge or delete the "
        "duplicates in Salesforce, then retry."
    ),
    "MALFORMED_QUERY": (
        "Salesforce rejected a look-up query, usually because a mapped field name is wrong. Check "
        "the field names under Push settings › Fields."
    ),
    "INVALIDENTITY": (
        "The Salesforce object is not available to the Bulk API for this user. Give the user "
        "access to the object, or push in smaller batches."
    ),
    "URI_TOO_LONG": (
        "A Salesforce request was too long, which is a Pushforce bug. Retry the records and "
        "report the problem."
    ),
    "API_VERSION_RETIRED": (
        "Salesforce no longer serves the API version Pushforce uses. Upgrade Pushforce."
    ),
    "METHOD_NOT_ALLOWED": (
        "Salesforce refused the kind of request Pushforce sent, which is a Pushforce bug. Report "
        "the problem with this record's sync log entry."
    ),
    "RETRIES_EXHAUSTED": (
        "Salesforce kept failing temporarily and Pushforce stopped retrying. Check the Salesforce "
        "status page, then retry the record."
    ),
}

GENERIC_PERMANENT_HINT: Final = (
    "Salesforce rejected the record ({code}): “{message}”. Fix what the message names in "
    "Pushforce or in Salesforce, then retry."
)

TRANSIENT_CODES: Final[frozenset[str]] = frozenset(
    {
        "UNABLE_TO_LOCK_ROW",
        "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        "PROCESSING_HALTED",
        "SERVER_UNAVAILABLE",
        "UNKNOWN_EXCEPTION",
        "QUERY_TIMEOUT",
        "INVALID_QUERY_LOCATOR",
        "REQUEST_RUNNING_TOO_LONG",
    }
)

AUTH_HINT: Final = (
    "Salesforce no longer accepts Pushforce's credentials. Reconnect Salesforce under Settings › "
    "Integrations; queued pushes wait and resume after reconnecting."
)

AUTH_CODES: Final[dict[str, str]] = {
    "INVALID_SESSION_ID": AUTH_HINT,
    "INVALID_AUTH_HEADER": AUTH_HINT,
    "invalid_grant": AUTH_HINT,
    "invalid_client": AUTH_HINT,
    "invalid_client_id": AUTH_HINT,
    "API_DISABLED_FOR_ORG": (
        "API access is not enabled for this Salesforce org or edition. Use an edition with API "
        "access (Enterprise, Unlimited, Developer), then reconnect."
    ),
    "API_CURRENTLY_DISABLED": (
        "The connected Salesforce user lacks the “API Enabled” permission. Grant it in the "
        "user's profile or a permission set, then reconnect."
    ),
}

LIMIT_HINT: Final = (
    "The Salesforce org has used its daily API allocation. Pushes resume by themselves as "
    "usage falls; lower other integrations' usage or raise the allocation to go faster."
)
TRANSIENT_HINT: Final = "Salesforce was briefly unavailable or busy; Pushforce retries by itself."
AMBIGUOUS_HINT: Final = (
    "Salesforce did not answer in time, so the write may or may not have happened; Pushforce "
    "checks before retrying so nothing is created twice."
)
DELETED_HINT: Final = (
    "The linked Salesforce record was deleted, so the link was removed. Push the record by hand "
    "to create it again."
)
CONVERTED_HINT: Final = "The Lead was converted in Salesforce; Pushforce now writes to its Contact."
MERGED_HINT: Final = "The Salesforce record was merged; Pushforce now writes to the surviving one."
