"""The import report: counts, per-row errors ``{row, column, reason}`` and notes about the file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# A file where every row is wrong still gets a report of bounded size.
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    reason: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_not_listed: int = 0
    notes: list[str] = field(default_factory=list)

    def add_errors(self, errors: list[RowError]) -> None:
        """Record the errors of one failed row (the row counts once, however many errors)."""
        self.failed += 1
        room = MAX_REPORTED_ERRORS - len(self.errors)
        self.errors.extend(errors[: max(room, 0)])
        self.errors_not_listed += max(len(errors) - max(room, 0), 0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ChunkOutcome:
    """What writing one chunk did; added to the report only once its transaction committed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0
    rejected: list[list[RowError]] = field(default_factory=list)

    def reject(self, row: int, column: str | None, reason: str) -> None:
        self.rejected.append([RowError(row, column, reason)])

    def merge(self, other: ChunkOutcome) -> None:
        for name in ("created", "updated", "unchanged", "accounts_created", "accounts_updated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejected.extend(other.rejected)

    def add_to(self, report: ImportReport) -> None:
        for name in ("created", "updated", "unchanged", "accounts_created", "accounts_updated"):
            setattr(report, name, getattr(report, name) + getattr(self, name))
        for errors in sorted(self.rejected, key=lambda errors: errors[0].row):
            report.add_errors(errors)
