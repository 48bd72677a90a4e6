"""The UI in a real browser (Debian's chromium via Playwright) against a real server:
sign in, settings on each tab, an error in place, a template preview, history restore, search,
push to Salesforce from the People list (localforce), the sync log filter, CSRF and isolation."""

from __future__ import annotations

import re

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')"
)

from browser_helpers import PASSWORD, Site, make_team, shoot, sign_in
from playwright.sync_api import Page, expect
from ui_helpers import UiTeam

from pushforce.store import read_connection
from pushforce.store.settings_repo import current_settings

SETTINGS = "/settings/integrations/salesforce"


def settings_of(site: Site, team: UiTeam) -> tuple[dict, int | None]:
    with read_connection(site.engine) as conn:
        found, version = current_settings(conn, team.team_id)
    return found.model_dump(mode="json"), version


def test_sign_in_refuses_a_wrong_password_then_signs_in_and_out(
    page: Page, site: Site, team: UiTeam
) -> None:
    page.goto("/people")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-mail").fill(team.email)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_settings_change_on_each_tab_and_save(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_role("radio", name="Leads").check()
    page.get_by_label("Source", exact=True).fill("Webinar")
    page.get_by_role("tab", name="Accounts").click()
    page.get_by_label("Push new Pushforce accounts to Salesforce").uncheck()
    page.get_by_role("tab", name="Deals").click()
    page.get_by_label("Push new Pushforce deals to Salesforce as opportunities").uncheck()
    page.get_by_role("tab", name="Activities").click()
    page.get_by_label("Push all call summaries to Salesforce").check()
    expect(page.locator("#s-activities-meetings-push-all-calendar-events-careful")).to_be_visible()
    shoot(page, site, "settings-activities")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved as version 1")).to_be_visible()
    document, version = settings_of(site, team)
    assert version == 1
    assert document["contacts"]["create_as"] == "lead"
    assert document["contacts"]["source_value"] == "Webinar"
    assert document["accounts"]["push_new"] is False
    assert document["deals"]["push_new"] is False
    assert document["activities"]["conversations"]["push_call_summaries"] is True


def test_an_error_is_shown_in_place_and_nothing_is_saved(
    page: Page, site: Site, team: UiTeam
) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_label("API budget (% of the org's daily API calls)").fill("250")
    page.get_by_role("tab", name="Activities").click()
    page.get_by_role("group").get_by_text("View advanced settings").first.click()
    page.get_by_label("Title template for emails").fill("Email: {{subjekt}}")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#settings-errors")).to_contain_text("Nothing was saved")
    expect(page.locator("#s-limits-api-budget-percent-error")).to_contain_text("100")
    expect(page.locator("#s-activities-emails-title-template-error")).to_contain_text("subjekt")
    expect(page.get_by_label("Title template for emails")).to_have_value("Email: {{subjekt}}")
    shoot(page, site, "settings-error")
    assert settings_of(site, team)[1] is None


def test_template_preview_follows_typing(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_role("tab", name="Activities").click()
    page.get_by_text("View advanced settings").nth(1).click()
    field = page.get_by_label("Title template for tasks")
    preview = page.locator("#s-activities-tasks-title-template-preview")
    expect(preview).to_have_text("Call: Follow up on pricing")
    field.fill("{{task_title}} with {{contact_name}}")
    expect(preview).to_have_text("Follow up on pricing with Jane Doe")
    field.fill("{{ nope }}")
    expect(preview.locator(".field-error")).to_be_visible()


def test_restore_a_version_from_the_history(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    for source in ("First", "Second"):
        page.get_by_label("Source", exact=True).fill(source)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").filter(has_text="Saved as version")).to_be_visible()
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("status").filter(has_text="Saved as version 3")).to_be_visible()
    expect(page.get_by_label("Source", exact=True)).to_have_value("First")
    assert settings_of(site, team)[0]["contacts"]["source_value"] == "First"


def test_search_people_and_push_one_to_salesforce(page: Page, site: Site, team: UiTeam) -> None:
    other = make_team(site, "Umbrella", "Bob", connect=False)
    sign_in(page, team)
    page.get_by_label("Search", exact=True).fill("zzz-no-match")
    expect(page.get_by_text("No people match.")).to_be_visible()
    page.get_by_label("Search", exact=True).fill("ada")
    row = page.locator(f"#row-contact-{team.contact_id}")
    expect(row).to_be_visible()
    page.get_by_label("Stage").select_option("Customer")  # Ada has no stage
    expect(page.get_by_text("No people match.")).to_be_visible()
    page.get_by_label("Stage").select_option("")
    page.get_by_label("Saved").check()
    expect(page).to_have_url(re.compile(r"saved=1"))
    expect(row).to_be_visible()
    expect(page.get_by_text("Bob Lovelace")).to_have_count(0)  # another team's person
    row.get_by_text("Salesforce actions").click()
    row.get_by_role("button", name="Push to Salesforce").click()
    result = page.locator(f"#push-result-contact-{team.contact_id}")
    expect(result).to_contain_text("Created in Salesforce")
    expect(row.locator("details.menu")).not_to_have_attribute("open", "")  # closed after the push
    [contact] = site.lf.control.records("Contact")
    expect(result.locator(f'[data-sf-id="{contact["Id"]}"]')).to_be_visible()
    expect(page.locator(f"#status-contact-{team.contact_id}")).to_contain_text("Contact")
    assert contact["Email"].startswith("ada@") and other.team_id != team.team_id
    shoot(page, site, "people-pushed")


def test_sync_log_filter(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, f"/people/{team.contact_id}")
    page.get_by_role("button", name="Push to Salesforce").click()
    expect(page.locator(f"#push-result-contact-{team.contact_id}")).to_contain_text("Salesforce")
    page.get_by_role("link", name="Sync log").click()
    page.get_by_label("Outcome").select_option("failed")
    expect(page.locator("#log-results")).to_contain_text("No push attempts yet.")
    page.get_by_label("Outcome").select_option("")
    page.get_by_label("Kind").select_option("contact")
    expect(page.locator("#log-results")).to_contain_text(f"contact {team.contact_id}")
    expect(page).to_have_url(re.compile(r"kind=contact"))
    shoot(page, site, "sync-log")


def test_a_post_without_the_csrf_token_is_refused(page: Page, team: UiTeam) -> None:
    sign_in(page, team)
    response = page.request.post("/logout", form={"x": "1"})
    assert response.status == 403
    page.goto("/people")
    expect(page.get_by_role("heading", name="People")).to_be_visible()  # still signed in


def test_status_page_and_keyboard_tabs(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_role("tab", name="Contacts/Leads").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Accounts")).to_be_focused()
    panel = page.get_by_role("tabpanel", name="Accounts")
    expect(panel).to_be_visible()
    panel.get_by_text("View field mappings").click()
    expect(panel.get_by_label("Account fields row 1: Salesforce field")).to_have_value("Name")
    shoot(page, site, "settings-accounts")
    page.goto("/status")
    expect(page.locator("#queue-depth")).to_be_visible()
    shoot(page, site, "status")


def test_push_all_preview_then_progress_to_completion(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_role("tab", name="Accounts").click()
    page.get_by_role("link", name="Push all Pushforce accounts to Salesforce…").click()
    expect(page.get_by_role("heading", name="Preview — nothing has been written")).to_be_visible()
    expect(page.locator("#pv-records")).to_have_text("1")
    assert site.lf.control.records("Account") == []
    shoot(page, site, "push-all-preview")
    page.get_by_role("button", name="Push all 1 accounts").click()
    expect(page.locator("#run-state")).to_have_text("finished", timeout=30_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100.0")
    shoot(page, site, "push-all-finished")
    [account] = site.lf.control.records("Account")
    assert account["Name"].endswith("Corporation")


def test_retry_after_a_transient_failure(page: Page, site: Site, team: UiTeam) -> None:
    site.lf.control.add_fault({"kind": "UNABLE_TO_LOCK_ROW", "path": "composite/sobjects",
                               "count": 1})  # fmt: skip
    sign_in(page, team, f"/companies/{team.account_id}")
    page.get_by_role("button", name="Push to Salesforce").click()
    result = page.locator(f"#push-result-account-{team.account_id}")
    expect(result).to_contain_text("Will retry")
    expect(result).to_contain_text("UNABLE_TO_LOCK_ROW")
    assert site.lf.control.records("Account") == []
    page.reload()
    page.get_by_role("button", name=re.compile("Push to Salesforce|Retry push")).click()
    expect(result).to_contain_text("in Salesforce")
    assert len(site.lf.control.records("Account")) == 1


def test_one_team_never_sees_anothers_records(page: Page, site: Site, team: UiTeam) -> None:
    other = make_team(site, "Initrode", "Milton", connect=False)
    sign_in(page, other)
    expect(page.get_by_text("Milton Lovelace")).to_be_visible()
    expect(page.get_by_text("Ada Lovelace")).to_have_count(0)
    page.goto(f"/people/{team.contact_id}")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_pages_fit_a_phone(page: Page, site: Site, team: UiTeam) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, team)
    for path, name in (("/people", "phone-people"), (SETTINGS, "phone-settings"),
                       ("/sync-log", "phone-sync-log"), ("/deals", "phone-deals")):  # fmt: skip
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        shoot(page, site, name)


def test_going_live_asks_for_confirmation(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_role("button", name="Go live…").click()
    expect(page.get_by_role("heading", name="Go live?")).to_be_visible()
    assert settings_of(site, team)[1] is None
    page.get_by_role("button", name="Yes, go live").click()
    expect(page.locator("#enabled-state")).to_have_text("on")
    assert settings_of(site, team)[0]["enabled"] is True


def test_fix_a_failed_push_in_the_settings_then_retry(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, SETTINGS)
    page.get_by_text("View field mappings").first.click()
    title = page.locator('input[name$=".salesforce_field"][value="Title"]').first
    title.fill("Nonexistent__c")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved as version 1")).to_be_visible()
    page.goto(f"/people/{team.contact_id}")
    page.get_by_role("button", name="Push to Salesforce").click()
    result = page.locator(f"#push-result-contact-{team.contact_id}")
    expect(result).to_contain_text("Push failed")
    expect(result).to_contain_text("INVALID_FIELD")
    expect(result).to_contain_text("Push settings › Fields")
    expect(page.locator("#record-history")).to_contain_text("INVALID_FIELD")  # refreshed
    shoot(page, site, "record-failed")
    page.goto(SETTINGS)
    page.get_by_text("View field mappings").first.click()
    page.locator('input[name$=".salesforce_field"][value="Nonexistent__c"]').fill("Title")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved as version 2")).to_be_visible()
    page.goto(f"/people/{team.contact_id}")
    expect(page.locator("#salesforce-panel")).to_contain_text("failed")
    page.get_by_role("button", name="Retry push").click()
    expect(result).to_contain_text("in Salesforce")
    [contact] = site.lf.control.records("Contact")
    assert contact["Title"] == "VP Sales"


def test_push_a_selection_from_the_companies_list(page: Page, site: Site, team: UiTeam) -> None:
    sign_in(page, team, "/companies")
    page.get_by_label(re.compile(r"Select .* Corporation")).check()
    page.get_by_role("button", name="Push selected to Salesforce").click()
    expect(page.locator("#selection-result")).to_contain_text("Pushed 1 of 1")
    expect(page.locator(f"#status-account-{team.account_id}")).to_contain_text("Account")
    assert len(site.lf.control.records("Account")) == 1
