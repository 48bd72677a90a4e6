"""R5, R6: the record a look-up links is chosen deterministically and explained."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from pushforce.core.decisions import AccountLookup, PersonLookup
from pushforce.core.matches import (
    Candidate,
    Matched,
    NoMatch,
    resolve_account,
    resolve_person,
)
from pushforce.core.settle import Held

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def cand(sf_id: str, created_days: int, modified_days: int, sobject: str = "Account") -> Candidate:
    return Candidate(
        sobject, sf_id, T0 + timedelta(days=created_days), T0 + timedelta(days=modified_days)
    )


OLD = cand("001000000000001AAA", 0, 5)
NEW_BUT_FRESH = cand("001000000000002AAA", 10, 50)
MIDDLE = cand("001000000000003AAA", 3, 20)


def account_lookup(tiebreak: str) -> AccountLookup:
    return AccountLookup("acme.com", "Acme", tiebreak)  # type: ignore[arg-type]


def test_R5_no_match_means_create() -> None:
    result = resolve_account(account_lookup("oldest"), [], [])
    assert result == NoMatch("no Account with domain acme.com or name “Acme”")


def test_R5_one_domain_match_is_linked() -> None:
    result = resolve_account(account_lookup("review"), [OLD], [NEW_BUT_FRESH])
    assert isinstance(result, Matched)
    assert result.chosen == OLD and result.explanation == "one match by domain acme.com"


def test_R5_domain_is_tried_before_name() -> None:
    result = resolve_account(account_lookup("oldest"), [], [MIDDLE])
    assert isinstance(result, Matched)
    assert result.chosen == MIDDLE and "name “Acme”" in result.explanation


@pytest.mark.parametrize(
    ("tiebreak", "expected", "rule"),
    [("oldest", OLD, "oldest"), ("most_recently_modified", NEW_BUT_FRESH, "most recently")],
)
def test_R5_several_matches_follow_the_tiebreak_whatever_the_query_order(
    tiebreak: str, expected: Candidate, rule: str
) -> None:
    for order in itertools.permutations([OLD, NEW_BUT_FRESH, MIDDLE]):
        result = resolve_account(account_lookup(tiebreak), list(order), [])
        assert isinstance(result, Matched)
        assert result.chosen == expected
        assert rule in result.explanation
        assert all(c.sf_id in result.explanation for c in order), "candidates are logged"


def test_R5_equal_timestamps_break_by_id() -> None:
    a, b = cand("001000000000009AAA", 1, 1), cand("001000000000004AAA", 1, 1)
    for tiebreak in ("oldest", "most_recently_modified"):
        result = resolve_account(account_lookup(tiebreak), [a, b], [])
        assert isinstance(result, Matched) and result.chosen == b


def test_R5_review_holds_the_record_with_every_candidate() -> None:
    result = resolve_account(account_lookup("review"), [], [OLD, MIDDLE])
    assert result == Held(
        "2 matches by name “Acme”; a person must choose", (OLD.sf_id, MIDDLE.sf_id)
    )


def test_R6_people_follow_the_link_order() -> None:
    contact = cand("003000000000001AAA", 5, 5, "Contact")
    lead = cand("00Q000000000001AAA", 1, 1, "Lead")
    found = {"Contact": [contact], "Lead": [lead]}
    first = resolve_person(PersonLookup("a@x.com", ("Contact", "Lead")), found)
    assert isinstance(first, Matched) and first.chosen == contact
    leads_first = resolve_person(PersonLookup("a@x.com", ("Lead", "Contact")), found)
    assert isinstance(leads_first, Matched) and leads_first.chosen == lead
    only_leads = resolve_person(PersonLookup("a@x.com", ("Lead",)), {"Contact": [contact]})
    assert only_leads == NoMatch("no Lead with email a@x.com")


def test_R6_several_people_in_one_object_link_the_oldest_and_log_it() -> None:
    older = cand("003000000000002AAA", 1, 90, "Contact")
    newer = cand("003000000000003AAA", 2, 3, "Contact")
    result = resolve_person(PersonLookup("a@x.com", ("Contact",)), {"Contact": [newer, older]})
    assert isinstance(result, Matched) and result.chosen == older
    assert "2 matches by Contact email a@x.com" in result.explanation


def test_R6_no_person_found_explains_where_it_looked() -> None:
    result = resolve_person(PersonLookup("a@x.com", ("Contact", "Lead")), {})
    assert result == NoMatch("no Contact then Lead with email a@x.com")
