"""Exceptions from a port → a classified `Outcome` (the engine never lets one escape a batch)."""

from __future__ import annotations

from pushforce.core.outcomes import Operation, Outcome, classify


def outcome_of(error: BaseException, operation: Operation) -> Outcome:
    """The gateway's failures carry their own classification (``.outcome(op)``); anything
    else — a bug, a dropped connection — is treated as a transient failure of the call."""
    classify_own = getattr(error, "outcome", None)
    if callable(classify_own):
        outcome = classify_own(operation)
        if isinstance(outcome, Outcome):
            return outcome
    return classify(
        503, "UNKNOWN_EXCEPTION", f"{type(error).__name__}: {error}"[:500], operation=operation
    )
