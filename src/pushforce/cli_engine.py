"""``pushforce push contact|account|deal ID [--dry-run]`` and ``pushforce worker``.

    pushforce push contact 42             push it now, whatever the push settings say (R11)
    pushforce push contact 42 --dry-run   what it would create, link, update or skip (R22)
    pushforce worker                      scale-out drain workers (PostgreSQL, procrastinate)

They work on the configured database; the team is ``--team NAME`` (default: the only team, or
the demo team).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from pushforce.config import Config

if TYPE_CHECKING:
    from pushforce.app.manual import ManualResult

console = Console()
errors = Console(stderr=True)
push_app = typer.Typer(help="Push one record to Salesforce now (R11), or preview it (R22).")

IdArgument = Annotated[int, typer.Argument(help="The record's id.", min=1)]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Preview only: nothing is written or sent.")
]
TeamOption = Annotated[
    str | None, typer.Option(help="The team's name (default: the only team, or the demo team).")
]
ActorOption = Annotated[str, typer.Option(help="Who is pushing (written to the sync log).")]
SQLITE_WORKER_REFUSAL = (
    "pushforce worker needs PostgreSQL (PUSHFORCE_DATABASE_URL=postgresql://…): with the "
    "embedded SQLite database only one process may drain, and `pushforce serve` already does"
)


def _push(kind: str, record_id: int, dry_run: bool, team: str | None, actor: str) -> None:
    from pushforce.app.manual import preview_push, push_now
    from pushforce.app.ports import SystemClock
    from pushforce.cli_import import choose_team
    from pushforce.runners.wiring import gateways
    from pushforce.wiring import build_engine

    config = Config()
    engine = build_engine(config)
    team_id = choose_team(engine, team)
    if dry_run:
        preview = preview_push(engine, SystemClock(), team_id, kind, record_id)
        if preview is None:
            raise _fail(f"no {kind} {record_id} in this team")
        console.print_json(json.dumps(preview, default=str))
        return
    result = push_now(
        engine, gateways(engine, config), SystemClock(), team_id, kind, record_id, actor
    )
    _report(result)


def _report(result: ManualResult) -> None:
    if result.ok:
        what = result.operation or result.status
        console.print(f"{result.kind} {result.record_id}: {what} {result.sobject} {result.sf_id}")
        if result.url:
            console.print(result.url, highlight=False, soft_wrap=True)
        return
    errors.print(f"[bold red]{result.status}[/] {result.code or ''} {result.message or ''}")
    if result.hint:
        errors.print(f"hint: {result.hint}", highlight=False)
    raise typer.Exit(1 if result.status != "retrying" else 3)


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def _command(kind: str) -> Any:
    def push(
        record_id: IdArgument,
        dry_run: DryRunOption = False,
        team: TeamOption = None,
        actor: ActorOption = "cli",
    ) -> None:
        _push(kind, record_id, dry_run, team, actor)

    push.__doc__ = f"Push one {kind} to Salesforce now (or preview it with --dry-run)."
    return push


for _kind in ("contact", "account", "deal"):
    push_app.command(_kind)(_command(_kind))


def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Teams drained at once.")] = 4,
) -> None:
    """Run drain workers on PostgreSQL (procrastinate): start as many as you need, anywhere."""
    from pushforce.store.dialect import is_sqlite
    from pushforce.wiring import build_engine

    config = Config()
    engine = build_engine(config, migrate_sqlite=False)
    if is_sqlite(engine):
        raise _fail(SQLITE_WORKER_REFUSAL)
    from pushforce.runners.procrastinate import run_worker

    run_worker(engine, config, concurrency=concurrency)


def register(app: typer.Typer) -> None:
    app.add_typer(push_app, name="push")
    app.command("worker")(worker)
