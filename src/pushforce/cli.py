"""The ``pushforce`` command line (Typer + Rich).

Configuration comes from ``PUSHFORCE_*`` environment variables (``pushforce.config.Config``);
``--host`` / ``--port`` override ``PUSHFORCE_HOST`` / ``PUSHFORCE_PORT`` for one run. Adapters
(engine, app) are built by ``pushforce.wiring``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console

from pushforce.cli_check import register as register_check
from pushforce.cli_connect import connect_app
from pushforce.cli_engine import register as register_engine
from pushforce.cli_ops import register as register_ops
from pushforce.cli_settings import settings_app
from pushforce.config import Config

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from pushforce.importing.headers import Kind

app = typer.Typer(
    help="Pushforce: push sales records and activity into Salesforce.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
console = Console()
errors = Console(stderr=True)

HostOption = Annotated[
    str | None,
    typer.Option(help="Interface to listen on (default: PUSHFORCE_HOST, else 127.0.0.1)."),
]
PortOption = Annotated[
    int | None, typer.Option(help="TCP port to listen on (default: PUSHFORCE_PORT, else 8000).")
]


def _config() -> Config:
    return Config()


def _migrated_engine(config: Config) -> Engine:
    from pushforce.store import migrate
    from pushforce.wiring import build_engine

    engine = build_engine(config, migrate_sqlite=False)
    migrate(engine)
    return engine


def _display_url(config: Config) -> str:
    from sqlalchemy.engine import make_url

    return make_url(config.resolved_database_url()).render_as_string(hide_password=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@app.command()
def version() -> None:
    """Print the Pushforce version."""
    from pushforce import __version__

    typer.echo(__version__)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (SQLite file or PUSHFORCE_DATABASE_URL)."""
    config = _config()
    _migrated_engine(config).dispose()
    console.print(f"Database is up to date: {_display_url(config)}", highlight=False)


def _serve(engine: Engine, config: Config, host: str | None, port: int | None) -> None:
    import uvicorn

    from pushforce.web.app import create_app

    web = create_app(engine)
    web.state.config = config  # routers build gateways with it (the demo allows localforce)
    from pushforce.runners.local import embedded_runner

    with embedded_runner(engine, config):  # drains every team in-process while serving
        uvicorn.run(web, host=host or config.host, port=port or config.port)


@app.command()
def serve(host: HostOption = None, port: PortOption = None) -> None:
    """Run the API (OpenAPI docs at /docs); migrates the database first."""
    config = _config()
    _serve(_migrated_engine(config), config, host, port)


@app.command()
def demo(
    host: HostOption = None,
    port: PortOption = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Create the demo data, print the key, and exit.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 7,
) -> None:
    """Create the demo team with realistic data (once), print an API key, then serve the API."""
    from pushforce.demo.seed import seed_demo

    config = _config()
    engine = _migrated_engine(config)
    with console.status("Creating the demo team…"):
        team = seed_demo(engine, seed=seed)
    what = "Created" if team.created else "Found"
    console.print(f"{what} the demo team (id {team.team_id}) in {_display_url(config)}")
    url = f"http://{host or config.host}:{port or config.port}"
    # soft_wrap: the key and the command must stay copyable in a narrow terminal.
    console.print(f"API: {url}/api/v1   docs: {url}/docs", highlight=False, soft_wrap=True)
    console.print(f"API key: [bold]{team.api_key}[/]", highlight=False, soft_wrap=True)
    example = f'curl -H "Authorization: Bearer {team.api_key}" {url}/api/v1/contacts'
    console.print(f"Try: {example}", highlight=False, soft_wrap=True, markup=False)
    from pushforce.web.ui.auth import fresh_sign_in

    email, password = fresh_sign_in(engine, team.team_id)
    sign_in = f"Web UI: {url}/login   e-mail: {email}   password: {password}"
    console.print(sign_in, highlight=False, soft_wrap=True, markup=False)
    if not no_serve:
        from pushforce.demo.salesforce import demo_salesforce

        with demo_salesforce(engine, team.team_id, config, console.print) as serving:
            _serve(engine, serving, host, port)


@app.command(name="import")
def import_(
    kind: Annotated[str, typer.Argument(help="What the file holds: contacts or accounts.")],
    file: Annotated[
        Path, typer.Argument(help="The CSV file.", exists=True, dir_okay=False, readable=True)
    ],
    map: Annotated[
        str,
        typer.Option(
            "--map",
            help="Column map overriding header recognition: 'Header=field,Other=field' "
            "(field '' or '-' ignores a column; custom.<key> stores a custom field).",
        ),
    ] = "",
    team: Annotated[
        str | None,
        typer.Option(help="Team name to import into (default: the only team, or the demo team)."),
    ] = None,
    errors_csv: Annotated[
        Path | None,
        typer.Option("--errors", help="Also write the per-row errors to this CSV file."),
    ] = None,
    chunk_rows: Annotated[int, typer.Option(min=1, help="Rows written per transaction.")] = 1000,
) -> None:
    """Import contacts or accounts from a CSV file; re-importing the same file changes nothing."""
    from pushforce.cli_import import run_import_command

    if kind not in ("contacts", "accounts"):
        raise fail(f"KIND must be 'contacts' or 'accounts', not {kind!r}", 2)
    engine = _migrated_engine(_config())
    options: dict[str, Any] = {"map_text": map, "team": team, "chunk_rows": chunk_rows}
    run_import_command(engine, cast("Kind", kind), file, errors_csv=errors_csv, **options)


app.add_typer(settings_app, name="settings")
app.add_typer(connect_app, name="connect")
register_ops(app)  # push-all, status, log, retry
register_check(app)  # check (reconciliation)
register_engine(app)  # push contact|account|deal ID, worker


def main() -> None:
    app()
