"""The ``pushforce`` command line (Typer + Rich)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Pushforce: push sales records and activity into Salesforce.", no_args_is_help=True)


@app.command()
def version() -> None:
    """Print the Pushforce version."""
    from pushforce import __version__

    typer.echo(__version__)


def main() -> None:
    app()
