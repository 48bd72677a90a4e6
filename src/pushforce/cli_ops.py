"""``pushforce push-all | status | log | retry``: the admin's push operations from a terminal.

    pushforce push-all contacts --preview           what would happen, nothing written (R22)
    pushforce push-all contacts --stage Qualified   push them now, with a progress bar (R12)
    pushforce status                                queue, failures, API usage (R19)
    pushforce log --outcome failed --kind contact   the sync log, newest first
    pushforce retry --class REQUIRED_FIELD_MISSING  failed pushes back to the queue (R18)

They work on the configured database (like ``pushforce import``); the team is ``--team NAME``
(default: the only team, or the demo team). ``push-all`` drives the run in this process through
the same drain as the server; a running server or worker may drain the same jobs meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pushforce.config import Config

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

console = Console()
errors = Console(stderr=True)

TeamOption = Annotated[
    str | None, typer.Option(help="The team's name (default: the only team, or the demo team).")
]


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def _engine_and_team(team: str | None) -> tuple[Engine, int, Config]:
    from pushforce.cli_import import choose_team
    from pushforce.store import migrate
    from pushforce.wiring import build_engine

    config = Config()
    engine = build_engine(config, migrate_sqlite=False)
    migrate(engine)
    return engine, choose_team(engine, team), config


def _clock() -> Any:
    from pushforce.app.ports import SystemClock

    return SystemClock()


# ---- push-all ----------------------------------------------------------------------------------


def push_all(
    kind: Annotated[str, typer.Argument(help="contacts, accounts or deals")],
    stage: Annotated[str | None, typer.Option(help="Only records at this stage.")] = None,
    saved: Annotated[bool, typer.Option("--saved", help="Only saved records.")] = False,
    preview: Annotated[
        bool, typer.Option("--preview", help="Say what would happen; write nothing.")
    ] = False,
    team: TeamOption = None,
) -> None:
    """Push every contact, account or deal of the team (R12); --preview first (R22)."""
    from pushforce.app.push_all import PushAllError, PushAllRequest, preview_push_all

    engine, team_id, config = _engine_and_team(team)
    request = PushAllRequest(kind, stage, True if saved else None)
    try:
        if preview:
            with console.status("Planning the push-all…"):
                summary = preview_push_all(engine, _clock(), team_id, request)
            _print_preview(summary)
            return
        final = _run(engine, team_id, config, request)
    except PushAllError as error:
        raise _fail(f"{error.field}: {error}") from None
    _print_progress(final)


def _run(engine: Engine, team_id: int, config: Config, request: Any) -> dict[str, Any]:
    from pushforce.app.drain import new_owner
    from pushforce.app.push_all import run_push_all, start_push_all
    from pushforce.salesforce.connections import gateway_for_team

    def gateway_for(team: int) -> Any:
        return gateway_for_team(engine, team, config)

    if gateway_for(team_id) is None:
        raise _fail("the team is not connected to Salesforce; run `pushforce connect …` first")
    clock = _clock()
    run_id = start_push_all(engine, clock, team_id, request, "cli")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task(f"Pushing {request.kind}", total=None)

        def show(progress: dict[str, Any]) -> None:
            bar.update(task, total=progress["total"], completed=progress["done"])

        return run_push_all(
            engine, gateway_for, clock, team_id, run_id, owner=new_owner(), on_progress=show
        )


def _print_preview(summary: dict[str, Any]) -> None:
    table = Table(title=f"Push-all preview: {summary['records']:,} {summary['kind']} records")
    table.add_column("would")
    table.add_column("writes", justify="right")
    table.add_row("create", f"{summary['create']:,}")
    table.add_row("look up, then link or create", f"{summary['match_then_link_or_create']:,}")
    table.add_row("update", f"{summary['update']:,}")
    table.add_row("wait for another record", f"{summary['deferred']:,}")
    for reason, count in sorted(summary["skipped"].items()):
        table.add_row(f"skip: {reason}", f"{count:,}")
    console.print(table)
    console.print(f"API calls (estimate): {summary['api_calls']:,}. Nothing was written.")


def _print_progress(progress: dict[str, Any]) -> None:
    names = ("created", "linked", "updated", "skipped", "failed")
    parts = ", ".join(f"{progress[name]:,} {name}" for name in names)
    console.print(
        f"Push-all {progress['id']} {progress['state']}: {progress['done']:,}/"
        f"{progress['total']:,} done ({parts})",
        highlight=False,
    )
    if progress["failed"]:
        console.print("See the failures: pushforce log --outcome failed", highlight=False)


# ---- status ------------------------------------------------------------------------------------


def status(team: TeamOption = None) -> None:
    """Connection, queue depth per kind, oldest pending push, failures by class, API usage."""
    from pushforce.app.status import connection_and_usage, team_status

    engine, team_id, _config = _engine_and_team(team)
    view, usage = connection_and_usage(engine, team_id)
    report = team_status(engine, team_id, _clock().now(), view, usage)
    _print_status(report)


def _print_status(report: dict[str, Any]) -> None:
    connection = report["connection"]
    console.print(
        f"Connection: {connection['state']}"
        + (
            f" ({connection['username']} at {connection['instance_url']})"
            if "username" in connection
            else ""
        ),
        highlight=False,
    )
    console.print(f"Automatic pushing: {'on' if report['enabled'] else 'off'}", highlight=False)
    if report["paused"]:
        console.print(f"[bold yellow]Paused:[/] {report['paused']['reason']}", highlight=False)
    table = Table(title="Queue")
    for column in ("kind", "pending", "running", "failed", "held"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, states in report["queue"].items():
        table.add_row(kind, *(str(states[s]) for s in ("pending", "running", "failed", "held")))
    console.print(table)
    age = report["oldest_pending_age_seconds"]
    console.print(f"Oldest pending: {'none' if age is None else f'{age:.0f} s'}", highlight=False)
    for code, count in report["failures_by_class"].items():
        console.print(f"  failed {code}: {count}", highlight=False)
    console.print(_usage_line(report["api_usage"]), highlight=False)


def _usage_line(usage: dict[str, Any]) -> str:
    if usage.get("used") is None:
        return f"API usage: not seen yet (budget {usage['budget_percent']} % of the daily limit)"
    return (
        f"API usage: {usage['used']:,}/{usage['limit']:,} ({usage['percent']} %), "
        f"budget {usage['budget_percent']} % = {usage['budget_calls']:,} calls"
    )


# ---- log and retry -----------------------------------------------------------------------------


def log(
    outcome: Annotated[str | None, typer.Option(help="e.g. failed, created, skipped")] = None,
    kind: Annotated[str | None, typer.Option(help="contact, account, deal, email, …")] = None,
    record: Annotated[str | None, typer.Option(help="One record: KIND:ID")] = None,
    error_class: Annotated[str | None, typer.Option("--class", help="An error code")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    team: TeamOption = None,
) -> None:
    """The sync log, newest first."""
    from pushforce.app.retry import RetryError, parse_record
    from pushforce.store import read_connection
    from pushforce.store.push_status import LogFilter, log_page

    engine, team_id, _config = _engine_and_team(team)
    record_kind, record_id = None, None
    if record is not None:
        try:
            record_kind, record_id = parse_record(record)
        except RetryError as error:
            raise _fail(str(error)) from None
    flt = LogFilter(record_kind or kind, record_id, outcome, error_class)
    with read_connection(engine) as conn:
        items, _next = log_page(conn, team_id, flt, before_id=None, limit=limit)
    _print_log(items)


def _print_log(items: list[dict[str, Any]]) -> None:
    table = Table()
    for column in ("at", "trigger", "record", "decision", "outcome", "Salesforce", "error / hint"):
        table.add_column(column)
    for e in items:
        problem = " — ".join(p for p in (e["error_code"], e["message"], e["hint"]) if p)
        sf = f"{e['sobject']} {e['sf_id']}" if e["sf_id"] else (e["sobject"] or "")
        record = f"{e['kind']}:{e['record_id']}"
        at = e["at"].isoformat(timespec="seconds")
        table.add_row(at, e["trigger"], record, e["decision"], e["outcome"], sf, problem)
    console.print(table if items else "No log entries match.")


def retry(
    record: Annotated[str | None, typer.Option(help="One record: KIND:ID")] = None,
    error_class: Annotated[
        str | None, typer.Option("--class", help="Every failure of a code")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every failed push")] = False,
    team: TeamOption = None,
) -> None:
    """Put failed pushes back in the queue (one record, an error class, or all)."""
    from pushforce.app.retry import RetryError, RetryRequest, parse_record, retry_failed
    from pushforce.store.push_hook import wake_teams

    engine, team_id, _config = _engine_and_team(team)
    try:
        kind, record_id = parse_record(record) if record else (None, None)
        request = RetryRequest(kind, record_id, error_class, all_)
        count = retry_failed(
            engine, team_id, request, _clock().now(), lambda t: wake_teams(engine, [t])
        )
    except RetryError as error:
        raise _fail(f"choose --record KIND:ID, --class CODE or --all ({error})") from None
    console.print(f"{count} failed push(es) queued again.", highlight=False)


def register(app: typer.Typer) -> None:
    """Mount the commands on the ``pushforce`` app."""
    app.command("push-all")(push_all)
    app.command()(status)
    app.command()(log)
    app.command()(retry)
