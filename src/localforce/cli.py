"""``localforce serve --host H --port P --data-dir D [--token T] [--config F]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from localforce.config import Config, load_config


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="localforce", description="A local Salesforce REST API.")
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve HTTPS until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument(
        "--data-dir",
        type=Path,
        required=True,
        help="CA certificate (ca.pem) and state snapshot live here",
    )
    serve.add_argument("--token", help="a bearer token to accept (default: a random one, printed)")
    serve.add_argument("--config", type=Path, help="JSON or TOML config file")
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"localforce: bad --config {args.config}: {exc}") from None
    serve(args.host, args.port, args.data_dir, args.token, config)


def serve(host: str, port: int, data_dir: Path, token: str | None, config: Config) -> None:
    from localforce.server import bind, build_server, prepare

    prepared = prepare(data_dir, token, config)
    shown_token = "" if token else f", token: {prepared.token}"
    sock = bind(host, port)
    port = sock.getsockname()[1]  # the real port when --port 0

    def announce() -> None:
        print(
            f"localforce ready on https://{host}:{port} "
            f"(CA: {prepared.certificate.ca_path}{shown_token})",
            flush=True,
        )

    server = build_server(prepared, host, port, announce)
    server.run(sockets=[sock])
    sys.exit(0)
