"""R16 for activities, on top of the engine's writes.

* Objects whose ``Pushforce_Id__c`` is a plain field (Task and Event cannot hold a unique
  External ID in most orgs) still carry it on create, so an ambiguous create is looked up by it
  before any retry (``core.settle`` matches on it when the payload has it).
* A ContentNote has no external id: an ambiguous create is found again by its title among the
  notes created since the attempt that no record links to yet (a note's links are written after
  it, so the note the failed call made is the unlinked one), never a note another write of the
  run already claimed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from pushforce.app.ports import Salesforce
from pushforce.core.batching import EXTERNAL_ID_FIELD
from pushforce.core.decisions import Create, Write

USER_PREFIX = "005"  # Salesforce links every note to its owner (a User); that link claims nothing


def carry_pushforce_ids(sf: Salesforce, writes: Sequence[Write], upserts: set[str]) -> list[Write]:
    """Creates on objects with a plain, createable ``Pushforce_Id__c`` send their external id."""
    carrying = _carrying_objects(sf, {w.sobject for w in writes if isinstance(w, Create)} - upserts)
    return [_with_id(w) if isinstance(w, Create) and w.sobject in carrying else w for w in writes]


def _carrying_objects(sf: Salesforce, objects: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for sobject in objects:
        try:
            info = sf.describe(sobject).fields.get(EXTERNAL_ID_FIELD)
        except Exception:  # the create itself reports a broken org; this is an extra only
            continue
        if info is not None and getattr(info, "createable", True):
            found.add(sobject)
    return found


def _with_id(write: Create) -> Create:
    payload = {**write.payload, EXTERNAL_ID_FIELD: write.external_id}
    return dataclasses.replace(write, payload=payload)


def unclaimed_notes(sf: Salesforce, found: Sequence[str], claimed: Iterable[str]) -> list[str]:
    """The notes among ``found`` (oldest first) that nothing links to and no write claimed."""
    taken = {sf_id[:15] for sf_id in claimed}
    candidates = [sf_id for sf_id in found if sf_id[:15] not in taken]
    if not candidates:
        return []
    quoted = ", ".join(f"'{sf_id}'" for sf_id in candidates if sf_id.isalnum())
    rows = sf.query(
        "SELECT ContentDocumentId, LinkedEntityId FROM ContentDocumentLink "
        f"WHERE ContentDocumentId IN ({quoted})"
    )
    linked = {
        str(row["ContentDocumentId"])[:15]
        for row in rows
        if not str(row.get("LinkedEntityId") or "").startswith(USER_PREFIX)
    }
    return [sf_id for sf_id in candidates if sf_id[:15] not in linked]
