"""Browser fixtures: a real uvicorn server on a free port in a thread (over a fresh SQLite
store), a localforce org each team is connected to, and Playwright driving Debian's chromium.

Without /usr/bin/chromium (or Playwright) every browser test is SKIPPED with the reason.
Screenshots go to ``$PUSHFORCE_TEST_ARTIFACTS`` (default: ``<pytest tmp>/screenshots``).
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from browser_helpers import Site, make_team
from salesforce_helpers import localforce_config
from ui_helpers import UiTeam, cheap_password_hashes

from localforce.testing import running_server
from pushforce.store import make_engine, migrate
from pushforce.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 15_000

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _skip_reason() -> str | None:
    if sync_playwright is None:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {seconds}s")
        time.sleep(0.02)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("browser")
    engine = make_engine(f"sqlite:///{base / 'pushforce.db'}")
    migrate(engine)
    shots = Path(os.environ.get("PUSHFORCE_TEST_ARTIFACTS", base / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    with cheap_password_hashes(), running_server(base / "localforce") as lf:
        app = create_app(engine)
        app.state.config = config = localforce_config(base)
        port = _free_port()
        options = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(options)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        _wait_until(lambda: server.started, "the Pushforce server start")
        try:
            yield Site(f"http://127.0.0.1:{port}", engine, lf, shots, config)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser(site: Site) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def team(site: Site) -> UiTeam:
    site.lf.control.reset()
    return make_team(site, f"Acme{uuid.uuid4().hex[:4]}", "Ada")


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    blocked = [e for e in errors if "Content Security Policy" in e or "htmx" in e.lower()]
    assert not blocked, f"the page logged errors: {blocked}"
