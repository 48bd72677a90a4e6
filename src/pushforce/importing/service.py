"""The import entry point used by the REST API and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import BinaryIO

from sqlalchemy.engine import Engine

from pushforce.importing.headers import Kind
from pushforce.importing.pipeline import DEFAULT_CHUNK_ROWS, run_import
from pushforce.importing.report import ImportReport
from pushforce.importing.writing import StoreWriter

KINDS: tuple[Kind, ...] = ("contacts", "accounts")


def import_csv(
    engine: Engine,
    team_id: int,
    kind: Kind,
    stream: BinaryIO,
    column_map: Mapping[str, str] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import a CSV of ``kind`` into the team; raises ``ImportFileError`` for an unusable file."""
    writer = StoreWriter(engine, team_id)
    return run_import(kind, stream, writer, column_map, chunk_rows, on_progress)
