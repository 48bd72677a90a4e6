"""``pushforce import``: choosing the team, running the import, printing the report."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from pushforce import csv_safe
from pushforce.demo.seed import DEMO_TEAM
from pushforce.importing.headers import ColumnMapError, Kind, parse_map_option
from pushforce.importing.pipeline import ImportFileError
from pushforce.importing.report import ImportReport
from pushforce.importing.service import import_csv
from pushforce.store import read_connection
from pushforce.store.schema import teams

SHOWN_ERRORS = 20

console = Console()
errors = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def choose_team(engine: Engine, name: str | None) -> int:
    """The team called ``name``; without a name, the only team or else the demo team."""
    with read_connection(engine) as conn:
        statement = sa.select(teams.c.id, teams.c.name).order_by(teams.c.id)
        found: list[tuple[int, str]] = [(row.id, row.name) for row in conn.execute(statement)]
    if name is not None:
        matches = [team_id for team_id, team_name in found if team_name == name]
        if not matches:
            raise _fail(
                f"no team named {name!r}; teams: {', '.join(n for _, n in found) or 'none'}"
            )
        return matches[0]
    if len(found) == 1:
        return found[0][0]
    demo = [team_id for team_id, team_name in found if team_name == DEMO_TEAM]
    if demo:
        return demo[0]
    if not found:
        raise _fail("there is no team yet; run `pushforce demo --no-serve` or create one")
    raise _fail(f"several teams exist; choose one with --team ({', '.join(n for _, n in found)})")


def render(report: ImportReport) -> None:
    summary = Table(title=f"Import of {report.kind}", show_header=False)
    for label, value in (
        ("rows read", report.rows), ("created", report.created), ("updated", report.updated),
        ("unchanged", report.unchanged), ("failed", report.failed),
    ):  # fmt: skip
        summary.add_row(label, str(value))
    if report.kind == "contacts":
        summary.add_row("companies created", str(report.accounts_created))
        summary.add_row("companies filled in", str(report.accounts_updated))
    console.print(summary)
    for note in report.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    if report.errors:
        console.print(_errors_table(report))


def _errors_table(report: ImportReport) -> Table:
    table = Table("row", "column", "reason", title="Rows not imported")
    for error in report.errors[:SHOWN_ERRORS]:
        table.add_row(str(error.row), error.column or "", error.reason)
    hidden = len(report.errors) - SHOWN_ERRORS + report.errors_not_listed
    if hidden > 0:
        table.caption = f"… and {hidden} more (use --errors FILE.csv for the full list)"
    return table


def write_errors(report: ImportReport, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        rows = [(e.row, e.column, e.reason) for e in report.errors]
        csv_safe.write_rows(out, ["row", "column", "reason"], rows)


def run_import_command(
    engine: Engine, kind: Kind, file: Path, *, map_text: str, team: str | None,
    chunk_rows: int, errors_csv: Path | None,
) -> ImportReport:  # fmt: skip
    try:
        column_map = parse_map_option(map_text)
    except ColumnMapError as exc:
        raise _fail(str(exc)) from None
    team_id = choose_team(engine, team)
    try:
        with file.open("rb") as stream, console.status(f"Importing {file.name}…") as status:

            def progress(so_far: ImportReport) -> None:
                status.update(f"Importing {file.name}… {so_far.rows:,} rows read")

            report = import_csv(engine, team_id, kind, stream, column_map, chunk_rows, progress)
    except ImportFileError as exc:
        raise _fail(f"{file}: {exc}") from None
    render(report)
    if errors_csv is not None:
        write_errors(report, errors_csv)
    return report
