"""Deterministic choice among the Salesforce records a look-up found (R5, R6).

The planner says what to look for (`AccountLookup`, `PersonLookup`); the gateway runs the SOQL;
these functions pick the record to link — never at random — and explain the choice for the
sync log. Several accounts with the `review` tie-break are held for a person (`Held`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias

from pushforce.core.decisions import AccountLookup, AccountTiebreak, PersonLookup
from pushforce.core.settle import Held

__all__ = ["Candidate", "Matched", "NoMatch", "resolve_account", "resolve_person"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One Salesforce record a look-up returned (Id, CreatedDate, LastModifiedDate, values)."""

    sobject: str
    sf_id: str
    created_at: datetime
    modified_at: datetime
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Matched:
    chosen: Candidate
    candidates: tuple[Candidate, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class NoMatch:
    explanation: str


Resolution: TypeAlias = Matched | NoMatch | Held


def resolve_account(
    lookup: AccountLookup, by_domain: Sequence[Candidate], by_name: Sequence[Candidate]
) -> Resolution:
    """R5: website domain first, then exact name; several → the team's tie-break."""
    if by_domain:
        return _pick(tuple(by_domain), lookup.tiebreak, f"domain {lookup.domain}")
    if by_name:
        return _pick(tuple(by_name), lookup.tiebreak, f"name “{lookup.name}”")
    return NoMatch(f"no Account with domain {lookup.domain} or name “{lookup.name}”")


def resolve_person(lookup: PersonLookup, found: Mapping[str, Sequence[Candidate]]) -> Resolution:
    """R6: the first object in link order with a match wins; several in it → the oldest."""
    for sobject in lookup.objects:
        candidates = tuple(found.get(sobject, ()))
        if candidates:
            return _pick(candidates, "oldest", f"{sobject} email {lookup.email}")
    searched = " then ".join(lookup.objects)
    return NoMatch(f"no {searched} with email {lookup.email}")


def _pick(candidates: tuple[Candidate, ...], tiebreak: AccountTiebreak, by: str) -> Resolution:
    if len(candidates) == 1:
        return Matched(candidates[0], candidates, f"one match by {by}")
    ids = tuple(candidate.sf_id for candidate in candidates)
    if tiebreak == "review":
        return Held(f"{len(candidates)} matches by {by}; a person must choose", ids)
    chosen = _oldest(candidates) if tiebreak == "oldest" else _latest(candidates)
    rule = "oldest" if tiebreak == "oldest" else "most recently modified"
    explanation = f"{len(candidates)} matches by {by} ({', '.join(ids)}); chose the {rule}"
    return Matched(chosen, candidates, explanation)


def _oldest(candidates: tuple[Candidate, ...]) -> Candidate:
    return min(candidates, key=lambda c: (c.created_at, c.sf_id))


def _latest(candidates: tuple[Candidate, ...]) -> Candidate:
    # Ties on the timestamp go to the lower Id so the choice never depends on query order.
    return min(candidates, key=lambda c: (-c.modified_at.timestamp(), c.sf_id))
