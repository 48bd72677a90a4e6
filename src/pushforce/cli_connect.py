"""``pushforce connect``: connect a team to its Salesforce org, show, disconnect, rotate the key.

    pushforce connect --flow jwt --login-url https://login.salesforce.com \\
        --client-id KEY --username me@acme.com --private-key-file server.key
    pushforce connect --flow refresh-token --client-id KEY --refresh-token …   (or env)
    pushforce connect --flow client-credentials --login-url https://acme.my.salesforce.com \\
        --client-id KEY --client-secret …
    pushforce connect --localforce https://127.0.0.1:8443 --ca D/ca.pem --token T
    pushforce connect status | disconnect | rotate-key

Secrets can come from the environment instead of the command line (visible in ``ps``):
``PUSHFORCE_SALESFORCE_CLIENT_SECRET``, ``PUSHFORCE_SALESFORCE_REFRESH_TOKEN``,
``LOCALFORCE_TOKEN``. The team is ``--team NAME`` (default: the only team, or the demo team).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from pushforce.config import Config

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from pushforce.salesforce.connections import ConnectionInfo

connect_app = typer.Typer(
    help="Connect the team to its Salesforce org (OAuth) and manage the connection.",
    no_args_is_help=False,
    invoke_without_command=True,
)
console = Console()
errors = Console(stderr=True)

TeamOption = Annotated[
    str | None, typer.Option(help="The team's name (default: the only team, or the demo team).")
]


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def _engine(config: Config) -> Engine:
    from pushforce.store import migrate
    from pushforce.wiring import build_engine

    engine = build_engine(config, migrate_sqlite=False)
    migrate(engine)
    return engine


def _team(engine: Engine, team: str | None) -> int:
    from pushforce.cli_import import choose_team

    return choose_team(engine, team)


@connect_app.callback()
def connect(
    ctx: typer.Context,
    flow: Annotated[
        str | None, typer.Option(help="jwt | refresh-token | client-credentials | access-token")
    ] = None,
    login_url: Annotated[
        str | None, typer.Option(help="Token endpoint origin (default login.salesforce.com).")
    ] = None,
    client_id: Annotated[str | None, typer.Option(help="The connected app's consumer key.")] = None,
    client_secret: Annotated[
        str | None, typer.Option(envvar="PUSHFORCE_SALESFORCE_CLIENT_SECRET", show_envvar=True)
    ] = None,
    username: Annotated[str | None, typer.Option(help="JWT bearer: the Salesforce user.")] = None,
    private_key_file: Annotated[
        Path | None, typer.Option(help="JWT bearer: PEM RSA private key file.")
    ] = None,
    refresh_token: Annotated[
        str | None, typer.Option(envvar="PUSHFORCE_SALESFORCE_REFRESH_TOKEN", show_envvar=True)
    ] = None,
    audience: Annotated[str | None, typer.Option(help="JWT bearer: aud claim.")] = None,
    localforce: Annotated[
        str | None, typer.Option(help="A localforce URL: store --token as the access token.")
    ] = None,
    ca: Annotated[
        Path | None, typer.Option(help="CA file to trust (allowed non-Salesforce hosts only).")
    ] = None,
    token: Annotated[
        str | None, typer.Option(envvar="LOCALFORCE_TOKEN", help="With --localforce: its token.")
    ] = None,
    team: TeamOption = None,
) -> None:
    """Connect the team (runs the OAuth flow, verifies the token, stores it encrypted)."""
    if ctx.invoked_subcommand is not None:
        return
    if flow is None and localforce is None:
        raise _fail("give --flow (jwt, refresh-token, client-credentials) or --localforce URL")
    private_key = _read(private_key_file) if private_key_file else None
    values = {
        "client_id": client_id,
        "client_secret": client_secret,
        "username": username,
        "private_key": private_key,
        "refresh_token": refresh_token,
        "audience": audience,
    }
    if localforce:
        flow, values = "access-token", {"access_token": token, "instance_url": localforce}
        login_url = login_url or localforce
    _connect(str(flow), login_url, values, str(ca) if ca else None, team)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as error:
        raise _fail(f"--private-key-file: cannot read {path}: {error.strerror}") from None


def _connect(
    flow: str,
    login_url: str | None,
    values: dict[str, str | None],
    ca: str | None,
    team: str | None,
) -> None:
    from pushforce.salesforce.connections import connect as run_connect
    from pushforce.salesforce.errors import CallFailure
    from pushforce.salesforce.hosts import DisallowedHost, allowed_hosts
    from pushforce.salesforce.oauth import OAuthFailed, OAuthUnavailable
    from pushforce.salesforce.params import ca_file_allowed, flow_params

    config = Config()
    try:
        params = flow_params(flow, login_url, **values)
        if ca and not ca_file_allowed(params, allowed_hosts(config.allowed_salesforce_hosts)):
            raise _fail("--ca: only for hosts listed in PUSHFORCE_ALLOWED_SALESFORCE_HOSTS")
        engine = _engine(config)
        info = run_connect(engine, _team(engine, team), params, config, ca_file=ca)
    except (DisallowedHost, ValueError) as bad:
        raise _fail(f"{_option(str(bad))}") from None
    except OAuthFailed as refused:
        raise _fail(f"Salesforce refused the credentials: {refused}") from None
    except (OAuthUnavailable, CallFailure) as down:
        raise _fail(f"Salesforce could not be reached or verified: {down}") from None
    console.print("[green]Connected to Salesforce.[/]")
    _show(info)


def _option(message: str) -> str:
    """``client_id: required…`` → ``--client-id: required…`` (the CLI's name for the field)."""
    field, sep, rest = message.partition(": ")
    if sep and field.isidentifier():
        return f"--{field.replace('_', '-')}: {rest}"
    return message


def _show(info: ConnectionInfo) -> None:
    table = Table(show_header=False)
    usage = info.api_usage
    rows = [
        ("state", info.state),
        ("flow", info.flow),
        ("org", info.org_id),
        ("instance", info.instance_url),
        ("user", f"{info.user_name} ({info.username})"),
        ("connected at", info.connected_at.isoformat(timespec="seconds")),
        (
            "API usage",
            f"{usage.used}/{usage.limit} ({usage.percent:.1f} %)" if usage else "unknown",
        ),
    ]
    if info.last_error:
        rows.append(("last error", info.last_error))
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


@connect_app.command()
def status(team: TeamOption = None) -> None:
    """Show the team's Salesforce connection (never a secret)."""
    from pushforce.salesforce.connections import connection_info

    engine = _engine(Config())
    info = connection_info(engine, _team(engine, team))
    if info is None:
        raise _fail("the team is not connected to Salesforce; run `pushforce connect --flow …`")
    _show(info)


@connect_app.command()
def disconnect(team: TeamOption = None) -> None:
    """Revoke the token at Salesforce (best effort) and forget the connection."""
    from pushforce.salesforce.connections import disconnect as run_disconnect

    config = Config()
    engine = _engine(config)
    if not run_disconnect(engine, _team(engine, team), config):
        raise _fail("the team is not connected to Salesforce")
    console.print("Disconnected from Salesforce.")


@connect_app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every stored connection with the first key of PUSHFORCE_SECRET_KEY."""
    from pushforce.salesforce.connections import rotate_keys

    config = Config()
    result = rotate_keys(_engine(config), config)
    console.print(f"Re-encrypted {result.resealed} connection(s) with the current key.")
    if result.unreadable_teams:
        teams = ", ".join(str(team_id) for team_id in result.unreadable_teams)
        raise _fail(f"no configured key opens the connections of teams {teams}: reconnect them")
