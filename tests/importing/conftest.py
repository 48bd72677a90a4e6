"""Import fixtures: a migrated SQLite store (one per session), a fresh team per test, and the
same on PostgreSQL for the tests that ask for ``any_engine`` (skipped with the reason when the
local server cannot be reached)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from import_helpers import new_team
from sqlalchemy.engine import Engine

from pushforce.importing.report import ImportReport
from pushforce.importing.service import import_csv
from store_engines import postgres_store, sqlite_store


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("import")) as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_import") as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    name = "engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)


@pytest.fixture
def team_id(engine: Engine) -> int:
    return new_team(engine)


Importer = Callable[..., ImportReport]


@pytest.fixture
def run(engine: Engine, team_id: int) -> Importer:
    """Import CSV text (or bytes) into the test's team."""

    def _run(data: str | bytes, kind: str = "contacts", **options: Any) -> ImportReport:
        raw = data.encode() if isinstance(data, str) else data
        return import_csv(engine, team_id, kind, io.BytesIO(raw), **options)  # type: ignore[arg-type]

    return _run
