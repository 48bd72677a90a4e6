"""What the reconciliation checker found (``app.check``): findings by category, bounded.

Categories that break the delivery contract (reliability.md §2.1) are *violations*; the others
describe the team's state for an operator (held records, records gone in Salesforce, jobs still
queued).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pushforce.core.policy import ApiUsage

LOST = "lost"  # should be in Salesforce by settings or a push that succeeded, and is not
DUPLICATED = "duplicated"  # two Salesforce records for one write, or one record for two
UNEXPECTED = "unexpected"  # carries this team's external id, but Pushforce has no link for it
STALE = "stale"  # Salesforce (or the queue) does not hold the record's latest state
CROSS_TEAM = "cross_team"  # another team's write found in this team's org
BUDGET = "budget"  # the org's API usage is over the team's api_budget_percent (R19)
UNHINTED = "held_without_hint"  # a held record the user cannot act on
HELD = "held"  # failed or held on purpose, visible with its error and hint (R18)
GONE = "gone"  # deleted, merged or converted in Salesforce: handled at the next push (R14)
QUEUED = "queued"  # pushes still pending or running: the check ran before a full drain

VIOLATIONS = (LOST, DUPLICATED, UNEXPECTED, STALE, CROSS_TEAM, BUDGET, UNHINTED)
CATEGORIES = (*VIOLATIONS, HELD, GONE, QUEUED)


@dataclass(frozen=True, slots=True)
class Finding:
    category: str
    detail: str
    external_id: str | None = None
    kind: str | None = None
    record_id: int | None = None
    sobject: str | None = None
    sf_id: str | None = None


@dataclass
class CheckReport:
    """Findings of one team's check. At most ``max_per_category`` findings are kept per
    category (memory stays bounded); ``counts`` has the true totals."""

    team_id: int
    max_per_category: int = 1000
    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    records_checked: int = 0
    links_checked: int = 0
    salesforce_rows: int = 0
    open_jobs: int = 0
    usage: ApiUsage | None = None
    budget_percent: int | None = None

    def add(self, finding: Finding) -> None:
        self.counts[finding.category] += 1
        if self.counts[finding.category] <= self.max_per_category:
            self.findings.append(finding)

    def of(self, category: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.category == category]

    def external_ids(self, category: str) -> set[str]:
        return {f.external_id for f in self.of(category) if f.external_id is not None}

    @property
    def violations(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.category in VIOLATIONS]

    @property
    def violation_count(self) -> int:
        return sum(self.counts[category] for category in VIOLATIONS)

    @property
    def ok(self) -> bool:
        return self.violation_count == 0

    @property
    def drained(self) -> bool:
        return self.open_jobs == 0

    def summary(self) -> str:
        parts = [f"{category}={self.counts[category]}" for category in CATEGORIES]
        return f"team {self.team_id}: " + ", ".join(parts)
