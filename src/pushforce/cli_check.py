"""``pushforce check``: reconcile a team with its Salesforce org (reliability.md §2.4).

    pushforce check                  the only team (or the demo team)
    pushforce check --team Acme      one team
    pushforce check --json           the findings as JSON lines, for scripts and monitoring

Exit code 0 when nothing is lost, duplicated, unexpected, stale, cross-team or over budget and
every held record has a hint; 1 on any violation; 2 when the team cannot be checked.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pushforce.app.check_report import CATEGORIES, VIOLATIONS, CheckReport
from pushforce.config import Config

console = Console()
errors = Console(stderr=True)

SHOWN = 20  # findings listed per category; the counts are always complete


def check(
    team: Annotated[
        str | None, typer.Option(help="The team's name (default: the only team, or the demo team).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON lines.")] = False,
) -> None:
    """Compare Pushforce's records, links and settings with the team's Salesforce org."""
    report = _run(team, quiet=as_json)
    if as_json:
        _print_json(report)
    else:
        _print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _run(team: str | None, *, quiet: bool) -> CheckReport:
    from pushforce.app.check import check_team
    from pushforce.app.ports import SystemClock
    from pushforce.cli_import import choose_team
    from pushforce.salesforce.connections import gateway_for_team
    from pushforce.store import migrate
    from pushforce.wiring import build_engine

    config = Config()
    engine = build_engine(config, migrate_sqlite=False)
    migrate(engine)
    team_id = choose_team(engine, team)
    sf = gateway_for_team(engine, team_id, config)
    if sf is None:
        errors.print("[bold red]error:[/] the team has no usable Salesforce connection")
        raise typer.Exit(2)
    if quiet:
        return check_team(engine, team_id, sf, SystemClock().now())
    with console.status("checking…") as status:
        return check_team(
            engine, team_id, sf, SystemClock().now(), progress=lambda s: status.update(f"{s}…")
        )


def _print_report(report: CheckReport) -> None:
    summary = Table(title=f"Reconciliation of team {report.team_id}", show_edge=False)
    summary.add_column("category")
    summary.add_column("count", justify="right")
    for category in CATEGORIES:
        count = report.counts[category]
        style = "bold red" if count and category in VIOLATIONS else ""
        summary.add_row(category, f"[{style}]{count}[/]" if style else str(count))
    console.print(summary)
    console.print(
        f"{report.records_checked} records, {report.links_checked} links, "
        f"{report.salesforce_rows} Salesforce records with a Pushforce id read"
    )
    if report.usage is not None:
        console.print(
            f"API usage {report.usage.used}/{report.usage.limit} "
            f"({report.usage.percent:.1f} %), budget {report.budget_percent} %"
        )
    _print_findings(report)
    verdict = (
        "[bold green]OK[/]" if report.ok else f"[bold red]{report.violation_count} violations[/]"
    )
    console.print(verdict)


def _print_findings(report: CheckReport) -> None:
    for category in CATEGORIES:
        found = report.of(category)[:SHOWN]
        if not found:
            continue
        table = Table(title=category, show_edge=False, title_justify="left")
        for column in ("external id", "Salesforce", "detail"):
            table.add_column(column, overflow="fold")
        for finding in found:
            where = f"{finding.sobject or ''} {finding.sf_id or ''}".strip()
            table.add_row(finding.external_id or "", where, finding.detail)
        console.print(table)
        hidden = report.counts[category] - len(found)
        if hidden > 0:
            console.print(f"… and {hidden} more")


def _print_json(report: CheckReport) -> None:
    for finding in report.findings:
        print(json.dumps(asdict(finding)))
    counts = {category: report.counts[category] for category in CATEGORIES}
    print(json.dumps({"team_id": report.team_id, "ok": report.ok, "counts": counts}))


def register(app: typer.Typer) -> None:
    app.command()(check)
