"""Push all from the settings tabs (R12): the preview writes nothing (R22), the run page shows
progress until finished, and the records are in Salesforce (localforce)."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from ui_helpers import UiTeam, add_record, sign_in

from localforce.testing import RunningServer


def wait_for(condition, seconds: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_preview_then_run_to_completion(
    connected: TestClient, engine: Engine, team: UiTeam, lf: RunningServer
) -> None:
    for n in range(3):
        add_record(engine, team.team_id, "account", name=f"Extra {n}", saved=False)
    token = sign_in(connected, team)
    settings = connected.get("/settings/integrations/salesforce").text
    assert all(f'href="/push-all/{k}/preview"' in settings for k in ("contact", "account", "deal"))
    assert connected.get("/push-all/deal/preview?saved=1").status_code == 200  # no saved flag
    preview = connected.get("/push-all/account/preview").text
    assert "nothing has been written" in preview
    assert re.search(r'id="pv-records">4<', preview)
    assert re.search(r'id="pv-match">4<', preview)  # accounts are looked up first (R5)
    assert lf.control.records("Account") == []
    saved_only = connected.get("/push-all/account/preview?saved=1").text
    assert re.search(r'id="pv-records">1<', saved_only)
    response = connected.post("/push-all/account", data={"csrf_token": token},
                              follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    run_url = response.headers["location"]
    assert "Cancel" in connected.get(run_url).text or "finished" in connected.get(run_url).text

    def finished() -> str | None:
        html = connected.get(f"{run_url}/progress").text
        return html if 'id="run-state">finished<' in html else None

    html = wait_for(finished)
    assert html, "the push-all did not finish"
    assert "hx-trigger" not in html  # polling stops once the run is over
    assert len(lf.control.records("Account")) == 4


def test_cancel_and_other_teams_runs(
    connected: TestClient, team: UiTeam, other_team: UiTeam
) -> None:
    token = sign_in(connected, team)
    response = connected.post("/push-all/contact", data={"csrf_token": token},
                              follow_redirects=False)  # fmt: skip
    run_url = response.headers["location"]
    cancelled = connected.post(f"{run_url}/cancel", headers={"X-CSRF-Token": token}).text
    assert re.search(r'id="run-state">(cancelled|finished)<', cancelled)
    intruder = TestClient(connected.app)
    sign_in(intruder, other_team)
    assert intruder.get(run_url).status_code == 404
