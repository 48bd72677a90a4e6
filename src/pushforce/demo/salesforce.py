"""The demo's Salesforce: with no real org connected, ``pushforce demo`` runs the bundled
localforce in-process and connects the demo team to it (PRODUCT.md §8).

localforce keeps its org in ``$PUSHFORCE_DATA_DIR/localforce`` (records survive restarts; its
CA is made once there). It listens on a free 127.0.0.1 port, so each demo start connects the
team again (OAuth client credentials against localforce), and 127.0.0.1 is allowed as a
Salesforce host for this run only, explicitly. A team connected to a real org keeps it.
Automatic pushing stays off (``enabled`` false) until the admin goes live; manual pushes and
push-all work at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from pushforce.config import Config

LOCAL_HOSTS = ("127.0.0.1", "localhost")
CLIENT_ID, CLIENT_SECRET = "localforce-client", "localforce-secret"  # localforce's demo client


def is_local(instance_url: str) -> bool:
    return (urlsplit(instance_url).hostname or "") in LOCAL_HOSTS


def allowing_localforce(config: Config) -> Config:
    """``config`` with 127.0.0.1 and localhost allowed as Salesforce hosts."""
    hosts = [h.strip() for h in config.allowed_salesforce_hosts.split(",") if h.strip()]
    hosts += [h for h in LOCAL_HOSTS if h not in hosts]
    return config.model_copy(update={"allowed_salesforce_hosts": ",".join(hosts)})


def needs_localforce(engine: Engine, team_id: int) -> bool:
    """No connection, or one to a local emulator (its port changes with every start)."""
    from pushforce.salesforce.connections import connection_info

    info = connection_info(engine, team_id)
    return info is None or is_local(info.instance_url)


@contextmanager
def demo_salesforce(
    engine: Engine, team_id: int, config: Config, say: Callable[[str], None] = print
) -> Iterator[Config]:
    """localforce running and the team connected to it for the block (unless the team has a
    real org); yields the config the app must use."""
    if not needs_localforce(engine, team_id):
        yield config
        return
    from localforce.config import config_from_dict
    from localforce.server import BackgroundServer, prepare

    local = allowing_localforce(config)
    prepared = prepare(config.data_dir / "localforce", None, config_from_dict({}))
    server = BackgroundServer(prepared)
    server.start()
    try:
        ca_file = str(prepared.certificate.ca_path)
        _connect(engine, team_id, local, server.base_url, ca_file)
        say(f"Salesforce: localforce at {server.base_url} (CA {ca_file}), demo team connected")
        yield local
    finally:
        server.stop()


def _connect(engine: Engine, team_id: int, config: Config, base_url: str, ca_file: str) -> None:
    from pushforce.salesforce.connections import connect
    from pushforce.salesforce.oauth import Flow, FlowParams
    from pushforce.salesforce.secret import Secret

    params = FlowParams(
        Flow.CLIENT_CREDENTIALS, base_url, client_id=CLIENT_ID, client_secret=Secret(CLIENT_SECRET)
    )
    connect(engine, team_id, params, config, ca_file=ca_file)
