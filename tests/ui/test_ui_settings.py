"""Settings › Integrations › Salesforce: save per tab, errors in place with nothing saved,
template preview, go-live confirmation, history and restore (PRODUCT.md §3, R21)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from ui_helpers import UiTeam

from pushforce.store import read_connection
from pushforce.store.settings_repo import current_settings, list_versions
from pushforce.web.ui.settings_form import value_at
from pushforce.web.ui.settings_tabs import ALL_SETTINGS

PAGE = "/settings/integrations/salesforce"


def form_of(document: dict[str, Any], token: str) -> dict[str, Any]:
    """What the browser posts for ``document`` (checked boxes only, like a real form)."""
    form: dict[str, Any] = {"csrf_token": token, "tab": "contacts"}
    for s in ALL_SETTINGS:
        value = value_at(document, s.path)
        if s.control == "toggle":
            if value:
                form[s.path] = "on"
        elif s.control in ("checks", "stages"):
            form[s.path] = list(value)
            if s.control == "stages" and value:
                form[f"{s.path}.on"] = "on"
        elif s.control == "field_map":
            for index, row in enumerate(value):
                for name in ("field", "salesforce_field", "mode"):
                    form[f"{s.path}[{index}].{name}"] = row[name]
        elif s.control != "stage_map":
            form[s.path] = str(value)
    return form


def saved(engine: Engine, team: UiTeam) -> tuple[dict[str, Any], int | None]:
    with read_connection(engine) as conn:
        settings, version = current_settings(conn, team.team_id)
    return settings.model_dump(mode="json"), version


def test_page_shows_every_setting_with_its_default(client: TestClient, signed_in: str) -> None:
    html = client.get(PAGE).text
    for setting in ALL_SETTINGS:
        assert f'name="{setting.path}' in html, setting.path
    assert 'value="Email: {{subject}}"' in html
    for tab in ("Contacts/Leads", "Accounts", "Deals", "Activities"):
        assert f">{tab}</button>" in html


def test_risky_settings_carry_the_warning(client: TestClient, signed_in: str) -> None:
    html = client.get(PAGE).text
    for dom_id in (
        "s-activities-emails-push-when-participant-missing",
        "s-activities-meetings-push-all-calendar-events",
        "s-activities-emails-title-template",
    ):
        assert f'id="{dom_id}-careful"' in html


def test_saving_each_tab_writes_a_version(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    document, _ = saved(engine, team)
    form = form_of(document, signed_in)
    form.update(
        {
            "contacts.create_as": "lead",
            "contacts.stage_filter": ["Contacted", "Qualified"],
            "contacts.stage_filter.on": "on",
            "accounts.source_field": "Source__c",
            "limits.api_budget_percent": "35",
            "activities.associate_with": ["contact"],
            "activities.calls.title_template": "Call with {{contact_name}}",
            "stages.deal[0]": "Discovery",
        }
    )
    del form["deals.push_new"]
    response = client.post(PAGE, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    after, version = saved(engine, team)
    assert version == 1
    assert after["contacts"]["create_as"] == "lead"
    assert after["contacts"]["stage_filter"] == ["Contacted", "Qualified"]
    assert after["accounts"]["source_field"] == "Source__c"
    assert after["deals"]["push_new"] is False
    assert after["limits"]["api_budget_percent"] == 35
    assert after["activities"]["associate_with"] == ["contact"]
    assert after["activities"]["calls"]["title_template"] == "Call with {{contact_name}}"
    assert list(after["stages"]["deal"].values()) == ["Discovery"]
    assert after["fields"] == document["fields"]  # every mapping posted back unchanged


def test_errors_are_shown_in_place_and_nothing_is_saved(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    form = form_of(saved(engine, team)[0], signed_in)
    form.update(
        {
            "activities.emails.title_template": "Email {{nope}}",
            "limits.api_budget_percent": "250",
            "accounts.source_field": "not a field",
        }
    )
    response = client.post(PAGE, data=form)
    assert response.status_code == 422
    html = response.text
    assert "Nothing was saved" in html
    assert re.search(r'id="s-limits-api-budget-percent-error">[^<]*100', html)
    assert 'id="s-activities-emails-title-template-error">' in html and "nope" in html
    assert 'id="s-accounts-source-field-error">' in html
    assert 'value="Email {{nope}}"' in html  # what the user typed stays
    assert (
        'aria-selected="true" tabindex="0"\n                data-tab="accounts"' in html
        or 'data-tab="accounts" class="has-error"' in html
    )
    assert saved(engine, team)[1] is None


def test_stage_filter_on_without_stages_is_refused(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    form = form_of(saved(engine, team)[0], signed_in) | {"accounts.stage_filter.on": "on"}
    response = client.post(PAGE, data=form)
    assert response.status_code == 422 and "choose at least one stage" in response.text
    assert saved(engine, team)[1] is None


def test_template_preview_renders_sample_values(client: TestClient, signed_in: str) -> None:
    path = "activities.tasks.title_template"
    data = {"field": path, path: "{{task_type}} for {{contact_name}}"}
    response = client.post(
        f"{PAGE}/preview-template",
        data=data,
        headers={"X-CSRF-Token": signed_in, "HX-Request": "true"},
    )
    assert response.status_code == 200 and response.text.strip() == "Call for Jane Doe"
    data[path] = "{{ bad"
    response = client.post(
        f"{PAGE}/preview-template", data=data, headers={"X-CSRF-Token": signed_in}
    )
    assert "field-error" in response.text


def test_going_live_needs_a_confirmation(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    response = client.post(f"{PAGE}/enabled", data={"csrf_token": signed_in, "enabled": "on"})
    assert "Yes, go live" in response.text and saved(engine, team)[1] is None
    data = {"csrf_token": signed_in, "enabled": "on", "confirm": "yes"}
    assert client.post(f"{PAGE}/enabled", data=data, follow_redirects=False).status_code == 303
    assert saved(engine, team)[0]["enabled"] is True
    client.post(f"{PAGE}/enabled", data={"csrf_token": signed_in, "enabled": "off"})
    assert saved(engine, team)[0]["enabled"] is False


def test_history_lists_diffs_and_restores_a_version(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    form = form_of(saved(engine, team)[0], signed_in)
    client.post(PAGE, data=form | {"contacts.source_value": "Webinar"})
    client.post(PAGE, data=form | {"contacts.source_value": "Trade show"})
    html = client.get(f"{PAGE}/history", headers={"HX-Request": "true"}).text
    assert "contacts.source_value" in html and '"Webinar" → "Trade show"' in html
    response = client.post(
        f"{PAGE}/versions/1/restore", data={"csrf_token": signed_in}, follow_redirects=False
    )
    assert response.status_code == 303
    document, version = saved(engine, team)
    assert version == 3 and document["contacts"]["source_value"] == "Webinar"
    with read_connection(engine) as conn:
        assert list_versions(conn, team.team_id)[0].restored_from == 1


def test_settings_of_another_team_are_untouched(
    client: TestClient, engine: Engine, team: UiTeam, other_team: UiTeam, signed_in: str
) -> None:
    form = form_of(saved(engine, team)[0], signed_in)
    client.post(PAGE, data=form | {"contacts.source_value": "Mine"})
    assert saved(engine, other_team)[1] is None
    response = client.post(f"{PAGE}/versions/1/restore", data={"csrf_token": signed_in})
    assert saved(engine, other_team)[1] is None and response.status_code in (200, 303)


def test_field_mappings_edit_add_remove_and_errors(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    document = saved(engine, team)[0]
    form = form_of(document, signed_in)
    contact_rows = len(document["fields"]["contact"])
    form["fields.contact[0].mode"] = "fill_if_empty"  # first_name
    form["fields.contact[1].field"] = form["fields.contact[1].salesforce_field"] = ""  # removed
    form[f"fields.contact[{contact_rows}].field"] = "custom.linkedin"  # the blank row adds one
    form[f"fields.contact[{contact_rows}].salesforce_field"] = "LinkedIn__c"
    form[f"fields.contact[{contact_rows}].mode"] = "create_only"
    assert client.post(PAGE, data=form, follow_redirects=False).status_code == 303
    rows = saved(engine, team)[0]["fields"]["contact"]
    assert rows[0] == {"field": "first_name", "salesforce_field": "FirstName",
                       "mode": "fill_if_empty"}  # fmt: skip
    assert "LastName" not in [r["salesforce_field"] for r in rows]
    assert rows[-1] == {"field": "custom.linkedin", "salesforce_field": "LinkedIn__c",
                        "mode": "create_only"}  # fmt: skip
    form["fields.account[0].field"] = "shoe_size"
    response = client.post(PAGE, data=form)
    assert response.status_code == 422
    assert 'id="s-fields-account-error">[0].field: unknown Pushforce field' in response.text
    assert saved(engine, team)[1] == 1


def test_going_live_with_a_stale_stage_shows_the_problem(
    client: TestClient, engine: Engine, team: UiTeam, signed_in: str
) -> None:
    import sqlalchemy as sa

    from pushforce.store import write_transaction
    from pushforce.store.schema import stages

    form = form_of(saved(engine, team)[0], signed_in)
    client.post(PAGE, data=form | {"contacts.stage_filter": ["Qualified"],
                                   "contacts.stage_filter.on": "on"})  # fmt: skip
    with write_transaction(engine) as conn:
        renamed = sa.update(stages).where(stages.c.team_id == team.team_id,
                                          stages.c.name == "Qualified")  # fmt: skip
        conn.execute(renamed.values(name="Sales Qualified"))
    data = {"csrf_token": signed_in, "enabled": "on", "confirm": "yes"}
    response = client.post(f"{PAGE}/enabled", data=data)
    assert response.status_code == 422 and "no contact stage named" in response.text
    assert saved(engine, team)[0]["enabled"] is False
