"""R19: a batch asks the API budget first; over budget only manual pushes run.

Each job gets its priority (manual > creates > updates > activities > push all); the batch's
estimated calls are admitted per priority with `core.policy.admit`. Jobs of a refused priority
wait until the budget's recheck time, without counting an attempt, and resume by themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from pushforce.core.batching import batch
from pushforce.core.decisions import Create, MatchThenLinkOrCreate, writes_of
from pushforce.core.policy import Admission, ApiUsage, Priority, Verdict, admit, priority_of
from pushforce.core.settings import PushSettings

if TYPE_CHECKING:
    from pushforce.app.apply import Planned
    from pushforce.app.ports import Salesforce

ACTIVITY_KINDS = frozenset({"email", "note", "task", "call", "meeting", "conversation"})


@dataclass(frozen=True, slots=True)
class Admitted:
    running: list[Planned]
    waiting: list[Planned]
    reasons: list[tuple[datetime, str]] = field(default_factory=list)


def priority(item: Planned) -> Priority:
    job, decision = item.job, item.decision
    creates = decision is not None and any(
        isinstance(w, Create | MatchThenLinkOrCreate) for w in writes_of(decision)
    )
    return priority_of(
        manual=job.trigger == "manual",
        push_all=job.trigger == "push_all",
        activity=job.kind in ACTIVITY_KINDS,
        create=creates,
    )


def admit_batch(
    sf: Salesforce, settings: PushSettings, items: Sequence[Planned], now: datetime
) -> Admitted:
    decisions = [item.decision for item in items if item.decision is not None]
    calls = batch(decisions).estimated_calls
    usage = sf.api_usage()
    verdicts: dict[Priority, Admission] = {}
    running: list[Planned] = []
    waiting: list[Planned] = []
    reasons: list[tuple[datetime, str]] = []
    for item in items:
        level = priority(item)
        if level not in verdicts:
            usage, verdicts[level] = _admission(sf, usage, settings, level, now, calls)
        verdict = verdicts[level]
        if verdict.proceeds:
            running.append(item)
        else:
            waiting.append(item)
            reasons.append((verdict.recheck_at or now, verdict.reason))
    return Admitted(running, waiting, reasons)


def _admission(
    sf: Salesforce,
    usage: ApiUsage | None,
    settings: PushSettings,
    level: Priority,
    now: datetime,
    calls: int,
) -> tuple[ApiUsage | None, Admission]:
    percent = settings.limits.api_budget_percent
    verdict = admit(usage, percent, level, now, calls)
    if verdict.verdict is Verdict.REFRESH_USAGE:
        try:
            usage = sf.refresh_limits()
        except Exception:
            return usage, Admission(Verdict.PROCEED, "API usage unreadable; proceeding")
        # just read: current as of the engine's clock (the gateway stamps it by the wall clock)
        usage = dataclasses.replace(usage, observed_at=now)
        verdict = admit(usage, percent, level, now, calls)
    return usage, verdict
