"""Shared types of the acceptance tests (a module of its own: test modules must not import
``conftest``, whose name every suite shares)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient
from harness import Org


@dataclass
class Team:
    org: Org
    client: TestClient
    key: str
    name: str
    twins: list[str] = field(default_factory=list)  # Salesforce Ids a test seeded

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}
