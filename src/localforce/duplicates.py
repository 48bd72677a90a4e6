"""Configurable duplicate rules → DUPLICATES_DETECTED with the real `duplicateResult` body.

A rule (config ``duplicate_rules``) matches records of `match_object` (default: the same object)
whose `fields` all equal the saved record's, case-insensitively. ``action: "alert"`` rules let
the save through when the request sends ``Sforce-Duplicate-Rule-Header: allowSave=true``;
``action: "block"`` rules never do (reference §7, §8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localforce.errors import OrgError, SalesforceError

if TYPE_CHECKING:
    from localforce.org import Org

DEFAULT_MESSAGE = (
    "You're creating a duplicate record. We recommend you use an existing record instead."
)
RULE_KEYS = {"object", "name", "match_rule", "fields", "action", "match_object", "message"}


@dataclass(frozen=True)
class DuplicateRule:
    object: str
    name: str
    match_rule: str
    fields: tuple[str, ...]
    action: str = "block"
    match_object: str | None = None
    message: str = DEFAULT_MESSAGE

    @classmethod
    def from_config(cls, spec: Mapping[str, Any], where: str) -> DuplicateRule:
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        if spec.get("action", "block") not in ("block", "alert"):
            raise ValueError(f"{where}.action: must be 'block' or 'alert'")
        fields = spec.get("fields")
        if not fields or not all(isinstance(f, str) for f in fields):
            raise ValueError(f"{where}.fields: a non-empty list of field names is required")
        obj = spec["object"]
        return cls(
            object=obj,
            name=spec.get("name", f"Standard_{obj}_Duplicate_Rule"),
            match_rule=spec.get("match_rule", f"Standard_{obj}_Match_Rule_v1_1"),
            fields=tuple(fields),
            action=spec.get("action", "block"),
            match_object=spec.get("match_object"),
            message=spec.get("message", DEFAULT_MESSAGE),
        )

    @property
    def target(self) -> str:
        return self.match_object or self.object


def find_matches(org: Org, rule: DuplicateRule, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    values = [record.get(f) for f in rule.fields]
    if any(v is None or v == "" for v in values):
        return []
    candidates = org.lookup(rule.target, rule.fields[0], [values[0]])
    if candidates is None:
        candidates = list(org.scan(rule.target))
    return [c for c in candidates if c["Id"] != record.get("Id") and _same(c, rule.fields, values)]


def _same(candidate: Mapping[str, Any], fields: tuple[str, ...], values: list[Any]) -> bool:
    for name, value in zip(fields, values, strict=True):
        other = candidate.get(name)
        if isinstance(value, str) and isinstance(other, str):
            if value.lower() != other.lower():
                return False
        elif value != other:
            return False
    return True


def check_duplicates(
    org: Org, object_name: str, record: Mapping[str, Any], allow_save: bool
) -> None:
    for rule in org.duplicate_rules:
        if rule.object.lower() != object_name.lower():
            continue
        matches = find_matches(org, rule, record)
        if matches and not (allow_save and rule.action == "alert"):
            raise duplicates_detected(org, rule, matches)


def duplicates_detected(org: Org, rule: DuplicateRule, matches: list[dict[str, Any]]) -> OrgError:
    target = org.schema.object(rule.target)
    type_name = target.name if target else rule.target
    result = {
        "allowSave": rule.action == "alert",
        "duplicateRule": rule.name,
        "duplicateRuleEntityType": rule.object,
        "errorMessage": rule.message,
        "matchResults": [
            {
                "entityType": type_name,
                "errors": [],
                "matchEngine": "ExactMatchEngine",
                "matchRecords": [_match_record(org, type_name, m) for m in matches],
                "rule": rule.match_rule,
                "size": len(matches),
                "success": True,
            }
        ],
    }
    error = SalesforceError(
        "DUPLICATES_DETECTED", rule.message, None, extra={"duplicateResult": result}
    )
    return OrgError(400, [error])


def _match_record(org: Org, type_name: str, match: Mapping[str, Any]) -> dict[str, Any]:
    url = f"/services/data/v{org.default_version}/sobjects/{type_name}/{match['Id']}"
    return {
        "additionalInformation": [],
        "fieldDiffs": [],
        "matchConfidence": 100.0,
        "record": {"attributes": {"type": type_name, "url": url}, "Id": match["Id"]},
    }
