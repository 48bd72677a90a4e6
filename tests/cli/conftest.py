"""CLI fixtures: every test gets its own PUSHFORCE_DATA_DIR (a temporary directory)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from pushforce.store import make_engine


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PUSHFORCE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PUSHFORCE_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture
def db(data_dir: Path) -> Engine:
    """The engine of the data dir's SQLite file (create it with a command first)."""
    return make_engine(f"sqlite:///{data_dir / 'pushforce.db'}")
