"""The org clock: real UTC time, optionally offset or frozen through the control API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.frozen: datetime | None = None

    def now(self) -> datetime:
        if self.frozen is not None:
            return self.frozen
        return datetime.now(UTC) + self.offset

    def set(self, moment: datetime, frozen: bool = False) -> None:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if frozen:
            self.frozen = moment
        else:
            self.frozen = None
            self.offset = moment - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        if self.frozen is not None:
            self.frozen += timedelta(seconds=seconds)
        else:
            self.offset += timedelta(seconds=seconds)

    def reset(self) -> None:
        self.offset = timedelta(0)
        self.frozen = None
