"""Helpers of the browser tests: the running site, teams on it, signing in, screenshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from salesforce_helpers import connect_team
from sqlalchemy.engine import Engine
from ui_helpers import PASSWORD, UiTeam
from ui_helpers import make_team as make_ui_team

from localforce.testing import RunningServer
from pushforce.config import Config

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["PASSWORD", "Site", "make_team", "shoot", "sign_in"]


@dataclass(frozen=True)
class Site:
    url: str
    engine: Engine
    lf: RunningServer
    shots: Path
    config: Config


def make_team(site: Site, company: str, person: str, *, connect: bool = True) -> UiTeam:
    """A team with a user, a saved company and person; connected to localforce by default."""
    team = make_ui_team(site.engine, f"{company} team", company=company, person=person)
    if connect:
        connect_team(site.engine, team.team_id, site.lf, site.config)
    return team


def sign_in(page: Page, team: UiTeam, next_path: str = "/people") -> None:
    page.goto(f"/login?next={next_path}")
    page.get_by_label("E-mail").fill(team.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}*")


def shoot(page: Page, site: Site, name: str) -> None:
    page.screenshot(path=str(site.shots / f"{name}.png"), full_page=True)
