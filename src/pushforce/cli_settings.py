"""``pushforce settings show | set KEY=VALUE | history | restore N`` (R21).

With an API key (``--api-key`` / ``PUSHFORCE_API_KEY``, which ``pushforce demo`` prints) it is a
client of the REST API at ``--url`` / ``PUSHFORCE_API_URL`` (default: the configured ``serve``
address), and the key's user is the author of every version. Without one it works on the
configured database directly, like ``pushforce import``: ``--team`` chooses the team (default:
the only team, or the demo team) and ``--user EMAIL`` the author. Either way the document is
validated against the team's stages and an invalid one saves nothing.

``set`` takes dotted paths with list indexes (``contacts.stage_filter``,
``fields.contact[2].mode``) and parses values by the setting they replace: text settings
keep the text as typed; otherwise ``true``/``false``, whole numbers and JSON (lists,
objects, ``null``) are recognised, and anything else is text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pushforce.config import Config

if TYPE_CHECKING:  # the backends pull in httpx and the store: loaded only when a command runs
    from pushforce.cli_settings_backends import Backend

settings_app = typer.Typer(
    help="Show and change the team's push settings, with history and restore.",
    no_args_is_help=True,
)

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")
_INTEGER = re.compile(r"-?\d+")


@settings_app.callback()
def _target(
    ctx: typer.Context,
    api_key: Annotated[
        str,
        typer.Option(envvar="PUSHFORCE_API_KEY", help="A team API key: work through the server."),
    ] = "",
    url: Annotated[
        str | None,
        typer.Option(envvar="PUSHFORCE_API_URL", help="The server (default: serve's address)."),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(help="Without an API key: the team's name (default: the only team)."),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(help="Without an API key: the email of the user who makes the change."),
    ] = None,
) -> None:
    from pushforce.cli_settings_backends import HttpBackend

    config = Config()
    if api_key:
        ctx.obj = HttpBackend(url or f"http://{config.host}:{config.port}", api_key)
    else:
        ctx.obj = _local_backend(config, team, user)


def _local_backend(config: Config, team: str | None, user: str | None) -> Backend:
    from pushforce.cli_import import choose_team
    from pushforce.cli_settings_backends import LocalBackend, find_user
    from pushforce.store import migrate
    from pushforce.wiring import build_engine

    engine = build_engine(config, migrate_sqlite=False)
    migrate(engine)
    team_id = choose_team(engine, team)
    with _reported():
        user_id = find_user(engine, team_id, user) if user else None
    return LocalBackend(engine, team_id, user_id)


@settings_app.command()
def show(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="Only this setting (dotted path).")] = None,
) -> None:
    """Print the settings in force (the whole document, or one setting)."""
    with _reported():
        document, version = ctx.obj.current()
    value = document if key is None else _get(document, parse_path(key))
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))
    typer.echo(f"# version {version}", err=True)


@settings_app.command("set")
def set_(
    ctx: typer.Context,
    assignments: Annotated[list[str], typer.Argument(help="KEY=VALUE, one or more.")],
) -> None:
    """Change settings and save them as a new version."""
    pairs = [_split_assignment(text) for text in assignments]
    with _reported():
        document, version = ctx.obj.current()
        for key, raw in pairs:
            path = parse_path(key)
            _put(document, path, parse_value(raw, _existing(document, path)))
        saved = ctx.obj.save(document, version)
    _print_version(saved, "saved")


@settings_app.command()
def history(ctx: typer.Context) -> None:
    """List every saved version, newest first, with what it changed."""
    with _reported():
        versions = ctx.obj.versions()
    if not versions:
        typer.echo("no saved versions: the team has the default settings")
    for entry in versions:
        _print_version(entry, "")


@settings_app.command()
def restore(
    ctx: typer.Context,
    version: Annotated[int, typer.Argument(help="The version to restore.")],
) -> None:
    """Restore an earlier version (saved as a new version)."""
    with _reported():
        saved = ctx.obj.restore(version)
    _print_version(saved, "restored")


@contextmanager
def _reported() -> Iterator[None]:
    from pushforce.cli_settings_backends import BackendError

    try:
        yield
    except BackendError as error:
        for line in error.lines:
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(1) from None


# --- dotted paths and values ----------------------------------------------------------------


def parse_path(key: str) -> list[str | int]:
    """``fields.contact[2].mode`` → ``['fields', 'contact', 2, 'mode']``."""
    path: list[str | int] = []
    for part in key.split("."):
        found = _SEGMENT.fullmatch(part)
        if found is None:
            raise typer.BadParameter(f"'{key}' is not a dotted settings path")
        path.append(found.group(1))
        path.extend(int(index) for index in re.findall(r"\d+", found.group(2)))
    return path


def parse_value(raw: str, existing: object) -> object:
    """The typed value of ``raw`` for a setting whose current value is ``existing``."""
    if isinstance(existing, str):
        return raw
    if raw in ("true", "false", "null"):
        return json.loads(raw)
    if _INTEGER.fullmatch(raw):
        return int(raw)
    if raw[:1] in ("[", "{", '"'):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise typer.BadParameter(f"'{raw}' is not valid JSON: {error.msg}") from None
    return raw


def _split_assignment(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise typer.BadParameter(f"'{text}' is not KEY=VALUE")
    return key.strip(), value


def _existing(document: Any, path: list[str | int]) -> object:
    try:
        return _get(document, path)
    except typer.BadParameter:
        return None


def _get(document: Any, path: list[str | int]) -> Any:
    node = document
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise typer.BadParameter(f"no setting at '{_render(path)}'") from None
    return node


def _put(document: Any, path: list[str | int], value: object) -> None:
    """Set ``value`` at ``path``; a missing key is created (the server then names it)."""
    parent = _get(document, path[:-1]) if len(path) > 1 else document
    last = path[-1]
    if isinstance(last, int) and not (isinstance(parent, list) and last < len(parent)):
        raise typer.BadParameter(f"no setting at '{_render(path)}'")
    if isinstance(last, str) and not isinstance(parent, dict):
        raise typer.BadParameter(f"'{_render(path[:-1])}' holds no named settings")
    parent[last] = value


def _render(path: list[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


# --- output ---------------------------------------------------------------------------------


def _print_version(entry: dict[str, Any], verb: str) -> None:
    author = entry.get("author") or "unknown"
    restored = entry.get("restored_from")
    title = f"version {entry['version']}" + (f" {verb}" if verb else "")
    title += f" by {author} at {entry['created_at']}"
    if restored is not None:
        title += f" (restores version {restored})"
    typer.echo(title)
    for line in entry.get("summary") or ["(no changes)"]:
        typer.echo(f"  {line}")
