"""Fault injection rules for reliability tests (control API ``/__localforce__/faults``).

A rule matches requests by `path` (a regular expression searched in the request path), `method`
and `object` (an sObject named in the path or in a collections body), and fires `count` times
or on a `fraction` of matches. Kinds:

* ``UNABLE_TO_LOCK_ROW`` — 400 with the lock error (with ``per_record: true``, the matching
  records of a collections request fail one by one instead)
* ``UNKNOWN_EXCEPTION`` — 500 JSON; ``500``/``502``/``503`` — that status with an HTML body
* ``hang`` — no answer for `seconds` (default 300) or until the client gives up
* ``commit_then_fail`` — the request is processed and committed, then the client gets a 500
  HTML page (or a hang when `seconds` is set)
* ``token_expiry`` — every live access token expires, so this and later calls get 401
* ``REQUEST_LIMIT_EXCEEDED`` — 403 TotalRequests (``concurrent: true`` for ConcurrentPerOrgLongTxn)

Rules also reach ``/services/oauth2/…`` when their `path` names it (not the generic ones).
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

KINDS = frozenset(
    {
        "UNABLE_TO_LOCK_ROW",
        "UNKNOWN_EXCEPTION",
        "500",
        "502",
        "503",
        "hang",
        "commit_then_fail",
        "token_expiry",
        "REQUEST_LIMIT_EXCEEDED",
    }
)
RULE_KEYS = {
    "kind",
    "path",
    "method",
    "object",
    "count",
    "fraction",
    "seconds",
    "per_record",
    "concurrent",
    "seed",
}


@dataclass
class FaultRule:
    id: int
    kind: str
    path: str | None = None
    method: str | None = None
    object: str | None = None
    count: int | None = None
    fraction: float | None = None
    seconds: float | None = None
    per_record: bool = False
    concurrent: bool = False
    fired: int = 0

    def matches(self, method: str, path: str, objects: set[str]) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path and not re.search(self.path, path):
            return False
        return not self.object or self.object.lower() in objects

    def exhausted(self) -> bool:
        return self.count is not None and self.fired >= self.count

    def public(self) -> dict[str, Any]:
        return asdict(self)


def parse_rule(spec: dict[str, Any], rule_id: int) -> FaultRule:
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise ValueError(f"fault: unknown keys {sorted(unknown)}")
    kind = str(spec.get("kind", ""))
    if kind not in KINDS:
        raise ValueError(f"fault.kind: {kind!r} is not one of {sorted(KINDS)}")
    fraction = spec.get("fraction")
    if fraction is not None and not 0 <= float(fraction) <= 1:
        raise ValueError("fault.fraction: must be between 0 and 1")
    if spec.get("path"):
        re.compile(spec["path"])
    values = {k: v for k, v in spec.items() if k != "seed"}
    return FaultRule(id=rule_id, **values)


class Faults:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._random = random.Random(0)
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> FaultRule:
        rule = parse_rule(spec, next(self._ids))
        with self._lock:
            if "seed" in spec:
                self._random.seed(spec["seed"])
            self.rules.append(rule)
        return rule

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self.rules)
            self.rules = [r for r in self.rules if r.id != rule_id]
            return len(self.rules) != before

    def clear(self) -> None:
        with self._lock:
            self.rules = []

    def reset(self) -> None:
        """No rules, rule ids from 1 again and the fraction generator at its first seed."""
        with self._lock:
            self.rules = []
            self._ids = itertools.count(1)
            self._random = random.Random(0)

    def take(
        self,
        method: str,
        path: str,
        objects: set[str],
        per_record: bool = False,
        explicit_path: bool = False,
    ) -> FaultRule | None:
        """The first live rule matching this request (or record); counts it as fired.

        With `explicit_path` only rules that name a `path` qualify (OAuth endpoints are hit
        only by rules aimed at them).
        """
        with self._lock:
            for rule in self.rules:
                if rule.per_record != per_record or rule.exhausted():
                    continue
                if explicit_path and not rule.path:
                    continue
                if not rule.matches(method, path, objects):
                    continue
                if rule.fraction is not None and self._random.random() >= rule.fraction:
                    continue
                rule.fired += 1
                return rule
        return None
