"""R16: the SOQL that looks for a record an ambiguous create may have left behind."""

from __future__ import annotations

import re
from datetime import UTC

from pushforce.core.lookups import soql_literal
from pushforce.core.settle import VerifyLookup

# ContentDocumentLink has no CreatedDate; its (ContentDocumentId, LinkedEntityId) pair is unique.
NO_CREATED_DATE = frozenset({"ContentDocumentLink"})
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


def verify_soql(verify: VerifyLookup) -> str:
    since = verify.created_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    conditions = [f"{name} = {_literal(value)}" for name, value in sorted(verify.match.items())]
    if verify.sobject in NO_CREATED_DATE:
        return f"SELECT Id FROM {verify.sobject} WHERE {' AND '.join(conditions)} ORDER BY Id ASC"
    conditions.append(f"CreatedDate >= {since}")
    where = " AND ".join(conditions)
    return f"SELECT Id FROM {verify.sobject} WHERE {where} ORDER BY CreatedDate ASC, Id ASC"


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return text if _DATE_LIKE.match(text) else soql_literal(text)
