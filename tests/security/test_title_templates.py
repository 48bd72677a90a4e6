"""Title templates cannot execute anything (reliability §3.6, ASVS 1.3.7; PRODUCT §3 titles).

Hostile templates are refused when saved — through the real API, 422 naming the path, no new
settings version — and through the preview; user data that looks like a template is rendered
as the literal text it is, never expanded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from security_helpers import SecTeam, fingerprint
from sqlalchemy.engine import Engine

from pushforce.core.templates import parse, render

HOSTILE = [
    "{{__class__}}",
    "{{ subject.__init__ }}",
    "{{subject.__class__.__mro__}}",
    "{% import os %}",
    "{% for x in range(10**9) %}x{% endfor %}",
    "${7*7}",
    "{{7*7}}",
    "{0.__class__}",
    "{subject.__globals__}",
    "{{subject|attr('format')}}",
    "{{ subject ~ subject }}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{self._TemplateReference__context}}",
    "{{lipsum.__globals__['os']}}",
    "{{subject['__class__']}}",
]
PATHS = [
    ("emails", "activities.emails.title_template"),
    ("tasks", "activities.tasks.title_template"),
    ("calls", "activities.calls.title_template"),
]


SAVE_CASES = [(t, "emails", "activities.emails.title_template") for t in HOSTILE] + [
    (t, section, path) for t in ("{{__class__}}", "{0.__class__}") for section, path in PATHS[1:]
]


@pytest.mark.parametrize(("template", "section", "path"), SAVE_CASES)
def test_a_hostile_template_is_refused_on_save_with_its_path(
    client: TestClient,
    engine: Engine,
    team_a: SecTeam,
    template: str,
    section: str,
    path: str,
) -> None:
    document = client.get("/api/v1/salesforce/settings", headers=team_a.headers).json()
    document["activities"][section]["title_template"] = template
    before = fingerprint(engine)
    answer = client.put("/api/v1/salesforce/settings", json=document, headers=team_a.headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["path"] == f"body.{path}"
    assert fingerprint(engine) == before


@pytest.mark.parametrize("template", HOSTILE)
def test_a_hostile_template_is_refused_by_the_preview(
    client: TestClient, team_a: SecTeam, template: str
) -> None:
    answer = client.post(
        "/api/v1/salesforce/settings/preview-template",
        json={"template": template},
        headers=team_a.headers,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == "body.template"
    assert "49" not in answer.text  # 7*7 was never evaluated


@pytest.mark.parametrize("value", [*HOSTILE, "{{subject}}", "%s %(x)s {}", "\x00\u202e"])
def test_user_data_that_looks_like_a_template_is_rendered_literally(value: str) -> None:
    rendered = render(
        parse("Email: {{subject}} / {{contact_name}}"),
        {"subject": value, "contact_name": "{{sender_email}}"},
    )
    assert rendered == f"Email: {value} / {{{{sender_email}}}}"


def test_the_preview_renders_hostile_values_as_text(client: TestClient, team_a: SecTeam) -> None:
    answer = client.post(
        "/api/v1/salesforce/settings/preview-template",
        json={"template": "Email: {{subject}}", "values": {"subject": "{{7*7}} ${7*7}"}},
        headers=team_a.headers,
    )
    assert answer.status_code == 200
    assert answer.json()["text"] == "Email: {{7*7}} ${7*7}"
