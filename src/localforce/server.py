"""Run localforce under uvicorn over HTTPS, in the foreground (CLI) or a background thread."""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from localforce.app import create_app
from localforce.config import Config
from localforce.persistence import Persistence
from localforce.state import ServerState
from localforce.tls import ServerCertificate, server_certificate

KEEP_ALIVE_SECONDS = 75


@dataclass
class Prepared:
    state: ServerState
    certificate: ServerCertificate
    token: str


def prepare(data_dir: Path, token: str | None, config: Config) -> Prepared:
    data_dir.mkdir(parents=True, exist_ok=True)
    token = token or secrets.token_urlsafe(24)
    state = ServerState(config, data_dir, token)
    state.persistence = Persistence(state.org, data_dir)
    state.persistence.load()
    return Prepared(state, server_certificate(data_dir), token)


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # An idle keep-alive TLS connection closes gracefully only when the client answers the
        # close_notify, which a pooled client never does: it would hold the shutdown for the
        # whole grace period and log an error. Idle connections are dropped; busy ones finish.
        for connection in list(self.server_state.connections):
            cycle = getattr(connection, "cycle", None)
            if cycle is None or cycle.response_complete:
                connection.transport.abort()
        await super().shutdown(sockets)


def build_server(prepared: Prepared, host: str, port: int, on_ready: Callable[[], None]) -> _Server:
    config = uvicorn.Config(
        create_app(prepared.state),
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=str(prepared.certificate.cert_path),
        ssl_keyfile=str(prepared.certificate.key_path),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=1,
        lifespan="on",
        access_log=False,
        server_header=False,
    )
    return _Server(config, on_ready)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class BackgroundServer:
    """localforce in a daemon thread, on an already bound socket (port 0 = a free port)."""

    def __init__(self, prepared: Prepared, host: str = "127.0.0.1", port: int = 0) -> None:
        self.prepared = prepared
        self.socket = bind(host, port)
        self.host = host
        self.port = self.socket.getsockname()[1]
        self.ready = threading.Event()
        self.server = build_server(prepared, host, self.port, self.ready.set)
        self.thread = threading.Thread(target=self._run, name="localforce", daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self.socket])
        except BaseException as exc:  # reported to the starter through `start`
            self.error = exc
        finally:
            self.ready.set()

    def start(self, timeout: float = 30.0) -> None:
        self.thread.start()
        if not self.ready.wait(timeout) or self.error is not None or not self.server.started:
            self.stop()
            raise RuntimeError(f"localforce did not start: {self.error!r}")

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        self.socket.close()

    @property
    def base_url(self) -> str:
        return f"https://{self.host}:{self.port}"
