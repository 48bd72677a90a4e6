"""Token endpoints and instance URLs: Salesforce hosts or explicitly allowed ones, checked on the
parsed host name (reliability §3.2)."""

from __future__ import annotations

import pytest

from pushforce.salesforce.hosts import DisallowedHost, allowed_hosts, checked_origin

ALLOWED = allowed_hosts(" 127.0.0.1, Localhost ")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://login.salesforce.com", "https://login.salesforce.com"),
        ("https://test.salesforce.com/services/oauth2/token", "https://test.salesforce.com"),
        ("https://Acme.My.Salesforce.com/", "https://acme.my.salesforce.com"),
        (
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com",
        ),
        ("https://acme.lightning.force.com:443", "https://acme.lightning.force.com"),
        ("https://127.0.0.1:8443", "https://127.0.0.1:8443"),
        ("https://localhost:9000/x?y=1", "https://localhost:9000"),
    ],
)
def test_salesforce_and_allowed_hosts_pass_as_their_origin(url: str, origin: str) -> None:
    assert checked_origin(url, ALLOWED) == origin


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://login.salesforce.com", "https"),
        ("https://evil.com#.salesforce.com", "not a Salesforce host"),
        ("https://evil.com?.salesforce.com", "not a Salesforce host"),
        ("https://evil.com/.salesforce.com", "not a Salesforce host"),
        ("https://login.salesforce.com@evil.com", "user information"),
        ("https://evil.com\\@login.salesforce.com", "user information"),
        ("https://user:pw@login.salesforce.com", "user information"),
        ("https://evilsalesforce.com", "not a Salesforce host"),
        ("https://salesforce.com.evil.com", "not a Salesforce host"),
        ("https://login.salesforce.com.", "not a Salesforce host"),
        ("https://login.salesforce.com:8443", "standard https port"),
        ("https://login.salesforce.com:99999", "invalid port"),
        ("https://xn--lgin-sna.salesforce.com%2F@evil.com", "user information"),
        ("https://127.0.0.2:8443", "not a Salesforce host"),
        ("javascript://login.salesforce.com", "https"),
        ("https:///services/oauth2/token", "not a Salesforce host"),
        ("https://login%2esalesforce.com", "not a Salesforce host"),
        ("https://l\u043egin.salesforce.com", "not a Salesforce host"),  # Cyrillic o
        ("https://-evil.salesforce.com", "not a Salesforce host"),
        ("https://login.salesforce.com\t.evil.com", "not a Salesforce host"),
    ],
)
def test_tricky_urls_are_refused_naming_the_reason(url: str, why: str) -> None:
    with pytest.raises(DisallowedHost, match=why):
        checked_origin(url, ALLOWED)


def test_allowed_hosts_are_not_allowed_without_the_setting() -> None:
    with pytest.raises(DisallowedHost, match="PUSHFORCE_ALLOWED_SALESFORCE_HOSTS"):
        checked_origin("https://127.0.0.1:8443")


def test_the_error_never_shows_the_query_string() -> None:
    with pytest.raises(DisallowedHost) as refused:
        checked_origin("http://login.salesforce.com/?access_token=SECRET123")
    assert "SECRET123" not in str(refused.value)
