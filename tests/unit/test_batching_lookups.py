"""R5, R6, R20: look-ups are batched SOQL, every query URI stays under 16,384 bytes, and a full
scan replaces chunked look-ups when it costs fewer calls."""

from __future__ import annotations

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from pushforce.core.decisions import AccountLookup, MatchThenLinkOrCreate, PersonLookup
from pushforce.core.lookups import (
    DEFAULT_URI_BUDGET,
    URI_LIMIT,
    LookupBy,
    plan_lookups,
    query_uri,
    row_matches,
    soql_literal,
    website_domain,
)
from pushforce.core.records import RecordRef

BASE = "https://acme.my.salesforce.com/services/data/v59.0/"


def sent_uri(soql: str) -> str:
    """What simple-salesforce's ``sf.query`` puts on the wire (requests encodes ``params``)."""
    return requests.Request("GET", BASE + "query/", params={"q": soql}).prepare().path_url


def person(n: int, email: str, objects: tuple[str, ...] = ("Contact", "Lead")) -> object:
    r = RecordRef(1, "contact", n)
    return MatchThenLinkOrCreate(
        r,
        "Contact",
        PersonLookup(email, objects),  # type: ignore[arg-type]
        {"LastName": "x"},
        r.external_id,
    )


def company(n: int, domain: str | None, name: str) -> object:
    r = RecordRef(1, "account", n)
    lookup = AccountLookup(domain, name, "oldest")
    return MatchThenLinkOrCreate(r, "Account", lookup, {"Name": name}, r.external_id)


def test_R20_uri_is_measured_exactly_as_the_gateway_sends_it() -> None:
    soql = "SELECT Id FROM Contact WHERE Email IN ('a+b@x.com', 'ö@ü.de', 'o''x')"
    assert query_uri(soql) == sent_uri(soql)
    assert query_uri(soql, "66.0").startswith("/services/data/v66.0/query/?q=SELECT+Id")


def test_R6_email_lookups_query_contacts_and_unconverted_leads_in_one_call_each() -> None:
    queries = plan_lookups(
        [person(1, "A@x.com"), person(2, "b@y.com", ("Lead",)), person(3, "a@x.com")]
    )
    assert [(q.sobject, q.by, q.keys) for q in queries] == [
        ("Contact", LookupBy.EMAIL, ("a@x.com",)),
        ("Lead", LookupBy.EMAIL, ("a@x.com", "b@y.com")),
    ]
    assert queries[0].soql == (
        "SELECT Id, CreatedDate, LastModifiedDate, Email FROM Contact WHERE Email IN ('a@x.com')"
    )
    assert queries[1].soql == (
        "SELECT Id, CreatedDate, LastModifiedDate, Email FROM Lead "
        "WHERE IsConverted = false AND Email IN ('a@x.com', 'b@y.com')"
    )
    assert all(not q.full_scan and q.estimated_calls == 1 for q in queries)


def test_R5_account_lookups_by_domain_and_by_exact_name() -> None:
    queries = plan_lookups([company(1, "acme.com", "Acme"), company(2, None, "O'Brien & Co")])
    domain, name = queries
    assert domain.soql == (
        "SELECT Id, CreatedDate, LastModifiedDate, Name, Website FROM Account "
        "WHERE (Website LIKE '%acme.com%')"
    )
    assert name.soql.endswith("WHERE Name IN ('Acme', 'O\\'Brien & Co')")
    assert name.keys == ("Acme", "O'Brien & Co")


def test_R5_like_wildcards_in_a_domain_are_escaped() -> None:
    (query,) = plan_lookups([company(1, "my_site%.com", "")])
    assert "LIKE '%my\\\\_site\\\\%.com%'" in query.soql


def test_R15_extra_columns_are_selected_for_fill_if_empty() -> None:
    (query,) = plan_lookups(
        [person(1, "a@x.com", ("Contact",))], extra_columns={"Contact": ["Title", "Phone"]}
    )
    assert query.soql.startswith("SELECT Id, CreatedDate, LastModifiedDate, Email, Phone, Title ")


def test_soql_literals_escape_quotes_backslashes_and_control_characters() -> None:
    assert soql_literal('it\'s \\ "x"\n\t\r\b\f') == "'it\\'s \\\\ \\\"x\\\"\\n\\t\\r\\b\\f'"


def test_R20_many_emails_are_cut_into_chunks_under_the_uri_budget() -> None:
    emails = [f"person.number{n}@example-company-{n % 97}.com" for n in range(5_000)]
    queries = plan_lookups([person(n, e, ("Contact",)) for n, e in enumerate(emails)])
    assert len(queries) > 10
    for query in queries:
        uri = sent_uri(query.soql)
        assert len(uri.encode()) <= DEFAULT_URI_BUDGET < URI_LIMIT
        assert query_uri(query.soql) == uri
    assert [k for q in queries for k in q.keys] == emails
    # chunks are packed: adding the next key would have broken the budget
    first, second = queries[0], queries[1]
    grown = first.soql[:-1] + ", " + soql_literal(second.keys[0]) + ")"
    assert len(query_uri(grown)) > DEFAULT_URI_BUDGET


def test_R20_a_value_too_long_for_any_query_is_rejected() -> None:
    try:
        plan_lookups([company(1, None, "x" * 20_000)])
    except ValueError as error:
        assert "too long" in str(error)
    else:  # pragma: no cover
        raise AssertionError("expected ValueError")


def test_R20_full_scan_when_it_costs_fewer_calls_than_chunks() -> None:
    emails = [f"someone{n}@example.com" for n in range(4_000)]
    decisions = [person(n, e, ("Contact", "Lead")) for n, e in enumerate(emails)]
    chunked = plan_lookups(decisions)
    per_object = sum(1 for q in chunked if q.sobject == "Contact")
    assert per_object > 3
    scanned = plan_lookups(decisions, org_counts={"Contact": 5_000, "Lead": 10_000_000})
    contact_scan = [q for q in scanned if q.sobject == "Contact"]
    assert len(contact_scan) == 1 and contact_scan[0].full_scan
    assert contact_scan[0].estimated_calls == 3  # ceil(5,000 / 2,000) pages
    assert contact_scan[0].soql == "SELECT Id, CreatedDate, LastModifiedDate, Email FROM Contact"
    assert contact_scan[0].keys == tuple(emails)
    leads = [q for q in scanned if q.sobject == "Lead"]
    assert len(leads) == per_object and not any(q.full_scan for q in leads)


def test_R20_an_empty_object_costs_one_scan_call() -> None:
    (query,) = plan_lookups([person(1, "a@x.com", ("Lead",))], org_counts={"Lead": 0})
    assert not query.full_scan  # one chunk costs one call too: no gain
    assert query.estimated_calls == 1


def test_R20_lead_scan_keeps_the_unconverted_filter() -> None:
    decisions = [person(n, f"p{n}@x.com", ("Lead",)) for n in range(3_000)]
    (scan,) = plan_lookups(decisions, org_counts={"Lead": 100})
    assert scan.soql.endswith("FROM Lead WHERE IsConverted = false") and scan.full_scan


def test_R5_R6_rows_are_matched_exactly_after_the_query() -> None:
    assert row_matches(LookupBy.EMAIL, "a@x.com", {"Email": "A@X.com"})
    assert not row_matches(LookupBy.EMAIL, "a@x.com", {"Email": None})
    assert row_matches(LookupBy.NAME, "Acme", {"Name": "ACME"})
    assert row_matches(LookupBy.DOMAIN, "acme.com", {"Website": "https://www.Acme.com/about"})
    assert not row_matches(LookupBy.DOMAIN, "acme.com", {"Website": "notacme.com"})


def test_website_domain_normalises_like_the_records_vocabulary() -> None:
    assert website_domain("HTTP://user@WWW.Acme.com:8080/x?y#z") == "acme.com"
    assert website_domain("acme.com.") == "acme.com"
    assert website_domain("") == ""


LOOKUP_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=255
)


@settings(max_examples=60, deadline=None)
@given(
    emails=st.lists(LOOKUP_TEXT, max_size=400),
    names=st.lists(LOOKUP_TEXT, max_size=400),
    domains=st.lists(LOOKUP_TEXT, max_size=200),
)
def test_R20_property_every_lookup_uri_is_under_16384_bytes(
    emails: list[str], names: list[str], domains: list[str]
) -> None:
    decisions = [person(n, e) for n, e in enumerate(emails)]
    decisions += [company(n, None, name) for n, name in enumerate(names)]
    decisions += [company(n, d, "") for n, d in enumerate(domains)]
    queries = plan_lookups(decisions)
    for query in queries:
        assert len(sent_uri(query.soql).encode()) < URI_LIMIT
        assert len(query_uri(query.soql)) <= DEFAULT_URI_BUDGET
    for sobject, by, wanted in (
        ("Contact", LookupBy.EMAIL, [e.lower() for e in emails]),
        ("Account", LookupBy.NAME, names),
        ("Account", LookupBy.DOMAIN, [d.lower() for d in domains]),
    ):
        got = [k for q in queries if (q.sobject, q.by) == (sobject, by) for k in q.keys]
        assert got == list(dict.fromkeys(wanted))


def test_R20_one_account_scan_serves_domain_and_name_lookups() -> None:
    decisions = [company(n, f"c{n}.example.com", f"Company {n}") for n in range(3_000)]
    queries = plan_lookups(decisions, org_counts={"Account": 3_000})
    assert [(q.by, q.full_scan, q.reuse_rows, q.estimated_calls) for q in queries] == [
        (LookupBy.DOMAIN, True, False, 2),
        (LookupBy.NAME, True, True, 0),
    ]
    assert queries[0].soql == queries[1].soql
    assert len(queries[1].keys) == 3_000
