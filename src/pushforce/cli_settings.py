"""``pushforce settings show | set KEY=VALUE | history | restore N`` (R21).

A client of the REST API (``/api/v1/salesforce/settings``), so the server validates the
document against the team's stages and records the API key's user as the author of every
version. ``--url`` / ``PUSHFORCE_API_URL`` (default: the configured ``serve`` address) and
``--api-key`` / ``PUSHFORCE_API_KEY`` (``pushforce demo`` prints one) say where and who.

``set`` takes dotted paths with list indexes (``contacts.stage_filter``,
``fields.contact[2].mode``) and parses values by the setting they replace: text settings
keep the text as typed; otherwise ``true``/``false``, whole numbers and JSON (lists,
objects, ``null``) are recognised, and anything else is text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
import typer

from pushforce.config import Config

settings_app = typer.Typer(
    help="Show and change the team's push settings, with history and restore.",
    no_args_is_help=True,
)

SETTINGS_PATH = "/api/v1/salesforce/settings"
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")
_INTEGER = re.compile(r"-?\d+")


def _http_client(url: str, api_key: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {api_key}"}
    return httpx.Client(base_url=url, headers=headers, timeout=30.0)


# Tests swap this for a client bound to an in-process app.
client_factory: Callable[[str, str], httpx.Client] = _http_client


@dataclass(frozen=True)
class Target:
    url: str
    api_key: str

    def client(self) -> httpx.Client:
        return client_factory(self.url, self.api_key)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; an unreachable server is reported, not raised."""
        try:
            with self.client() as client:
                return _checked(client.request(method, path, **kwargs))
        except httpx.HTTPError as error:
            _fail([f"cannot reach Pushforce at {self.url}: {error}"])
            raise AssertionError("unreachable") from None  # pragma: no cover


def _default_url() -> str:
    config = Config()
    return f"http://{config.host}:{config.port}"


@settings_app.callback()
def _target(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(envvar="PUSHFORCE_API_URL", help="Pushforce server (default: serve's)."),
    ] = None,
    api_key: Annotated[
        str,
        typer.Option(envvar="PUSHFORCE_API_KEY", help="The team's API key (pf_…)."),
    ] = "",
) -> None:
    if not api_key:
        _fail(["give the team's API key with --api-key or PUSHFORCE_API_KEY"])
    ctx.obj = Target(url or _default_url(), api_key)


@settings_app.command()
def show(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="Only this setting (dotted path).")] = None,
) -> None:
    """Print the settings in force (the whole document, or one setting)."""
    response = ctx.obj.call("GET", SETTINGS_PATH)
    document = response.json()
    value = document if key is None else _get(document, parse_path(key))
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))
    typer.echo(f"# version {_version_of(response)}", err=True)


@settings_app.command("set")
def set_(
    ctx: typer.Context,
    assignments: Annotated[list[str], typer.Argument(help="KEY=VALUE, one or more.")],
) -> None:
    """Change settings and save them as a new version."""
    pairs = [_split_assignment(text) for text in assignments]
    current = ctx.obj.call("GET", SETTINGS_PATH)
    document = current.json()
    for key, raw in pairs:
        path = parse_path(key)
        _put(document, path, parse_value(raw, _existing(document, path)))
    headers = {"If-Match": current.headers.get("ETag", "*")}
    saved = ctx.obj.call("PUT", SETTINGS_PATH, json=document, headers=headers).json()
    _print_version(saved, "saved")


@settings_app.command()
def history(ctx: typer.Context) -> None:
    """List every saved version, newest first, with what it changed."""
    versions = ctx.obj.call("GET", f"{SETTINGS_PATH}/versions").json()
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
    saved = ctx.obj.call("POST", f"{SETTINGS_PATH}/versions/{version}/restore").json()
    _print_version(saved, "restored")


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


# --- HTTP answers ---------------------------------------------------------------------------


def _checked(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        return response
    try:
        errors = response.json().get("errors", [])
    except ValueError:
        errors = [{"path": None, "message": response.text or response.reason_phrase}]
    _fail([_error_line(error) for error in errors] or [f"HTTP {response.status_code}"])
    raise AssertionError("unreachable")  # pragma: no cover


def _error_line(error: dict[str, Any]) -> str:
    path = str(error.get("path") or "").removeprefix("body.")
    return f"{path}: {error.get('message')}" if path else str(error.get("message"))


def _fail(lines: list[str]) -> None:
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(1)


def _version_of(response: httpx.Response) -> str:
    tag = response.headers.get("ETag", "")
    return tag.strip('"').removeprefix("settings-v") or "?"


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
