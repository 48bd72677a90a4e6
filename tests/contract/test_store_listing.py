"""Lists: search by name, email or domain; filters; sorts; keyset cursors — on both databases."""

from __future__ import annotations

import base64
import json

import pytest
from record_samples import Refs
from sqlalchemy.engine import Engine
from store_helpers import create_values

from pushforce.store import (
    InvalidListQuery,
    ListQuery,
    UnknownStage,
    insert_record,
    list_records,
    read_connection,
    write_transaction,
)

PEOPLE = [  # first, last, email, stage, saved
    ("Ada", "Lovelace", "ada@analytical.example.com", "New", True),
    ("Alan", "Turing", "alan@bletchley.example.org", "Qualified", False),
    ("Grace", "Hopper", "grace@navy.example.mil", "Qualified", True),
    ("Édith", "Clarke", "edith@ge.example.com", "Customer", False),
    ("Katherine", "Johnson", None, "New", True),
]


def add_people(engine: Engine, team_id: int, refs: Refs) -> list[dict]:
    created = []
    with write_transaction(engine) as conn:
        for first, last, email, stage, saved in PEOPLE:
            values = create_values(
                "contact",
                refs,
                first_name=first,
                last_name=last,
                email=email,
                email_status=None,
                stage=stage,
                saved=saved,
                owner_id=None,
            )
            created.append(insert_record(conn, team_id, "contact", values))
    return created


def names(engine: Engine, team_id: int, kind: str = "contact", **query) -> list[str]:
    with read_connection(engine) as conn:
        page = list_records(conn, team_id, kind, ListQuery(limit=500, **query))
    return [item.get("last_name") or item.get("name") for item in page.items]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("lovelace", ["Lovelace"]),
        ("GRACE", ["Hopper"]),
        ("ada love", ["Lovelace"]),
        ("example.org", ["Turing"]),
        ("ÉDITH", ["Clarke"]),
        ("édith clarke", ["Clarke"]),
        ("@navy", ["Hopper"]),
        ("%", []),
        ("_", []),
    ],
)
def test_search_matches_name_email_or_domain(engine, team, q, expected) -> None:
    team_id, refs = team
    add_people(engine, team_id, refs)
    found = [n for n in names(engine, team_id, q=q, sort="name") if n != "Scorpio"]
    assert found == expected


def test_accounts_are_found_by_domain_and_name(engine, team) -> None:
    team_id, refs = team
    with write_transaction(engine) as conn:
        for name, site in [
            ("Initech", "initech.example.com"),
            ("Hooli", "https://hooli.example.io"),
        ]:
            insert_record(
                conn, team_id, "account", create_values("account", refs, name=name, website=site)
            )
    assert names(engine, team_id, "account", q="hooli.example") == ["Hooli"]
    assert names(engine, team_id, "account", q="INITECH") == ["Initech"]


def test_filters_by_stage_saved_and_owner(engine, team) -> None:
    team_id, refs = team
    add_people(engine, team_id, refs)
    assert names(engine, team_id, stage="qualified", sort="name") == ["Hopper", "Turing"]
    saved = names(engine, team_id, filters={"saved": True, "owner_id": None}, sort="name")
    assert saved == ["Hopper", "Johnson", "Lovelace"]
    assert names(engine, team_id, filters={"owner_id": refs.user_id}) == ["Scorpio"]


def test_sorts_ascending_and_descending(engine, team) -> None:
    team_id, refs = team
    add_people(engine, team_id, refs)
    ascending = names(engine, team_id, sort="name")
    assert ascending == ["Clarke", "Hopper", "Johnson", "Lovelace", "Scorpio", "Turing"]
    assert names(engine, team_id, sort="-name") == ascending[::-1]
    assert names(engine, team_id, sort="-created_at")[0] == "Johnson"


@pytest.mark.parametrize("sort", ["name", "-name", "created_at", "-created_at", "email", "-id"])
def test_cursors_visit_every_record_once_in_order(engine, team, sort) -> None:
    team_id, refs = team
    add_people(engine, team_id, refs)
    everything = names(engine, team_id, sort=sort)
    seen, cursor = [], None
    while True:
        with read_connection(engine) as conn:
            page = list_records(
                conn, team_id, "contact", ListQuery(sort=sort, limit=2, cursor=cursor)
            )
        seen += [item["last_name"] for item in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == everything and len(seen) == len(PEOPLE) + 1


def test_paging_deals_by_nullable_close_date_and_amount(engine, team) -> None:
    team_id, refs = team
    with write_transaction(engine) as conn:
        for i, close in enumerate(["2025-01-01", None, "2024-12-31", None]):
            insert_record(
                conn,
                team_id,
                "deal",
                create_values(
                    "deal", refs, name=f"D{i}", close_date=close, amount=None if i % 2 else "5"
                ),
            )
    for sort in ("close_date", "-close_date", "amount", "-amount"):
        everything = names(engine, team_id, "deal", sort=sort)
        seen, cursor = [], None
        while cursor is not None or not seen:
            with read_connection(engine) as conn:
                page = list_records(
                    conn, team_id, "deal", ListQuery(sort=sort, limit=1, cursor=cursor)
                )
            seen += [item["name"] for item in page.items]
            cursor = page.next_cursor
        assert seen == everything, sort


@pytest.mark.parametrize(
    ("kind", "query", "field"),
    [
        ("contact", ListQuery(sort="shoe_size"), "sort"),
        ("contact", ListQuery(cursor="not-a-cursor"), "cursor"),
        ("email", ListQuery(filters={"saved": True}), "saved"),
        ("email", ListQuery(stage="New"), "stage"),
        ("contact", ListQuery(limit=0), "limit"),
    ],
)
def test_bad_list_queries_name_their_field(engine, team, kind, query, field) -> None:
    team_id, _refs = team
    with pytest.raises(InvalidListQuery) as refused, read_connection(engine) as conn:
        list_records(conn, team_id, kind, query)
    assert refused.value.field == field


def test_a_cursor_of_another_sort_is_refused(engine, team) -> None:
    team_id, refs = team
    add_people(engine, team_id, refs)
    with read_connection(engine) as conn:
        cursor = list_records(conn, team_id, "contact", ListQuery(sort="name", limit=1)).next_cursor
        with pytest.raises(InvalidListQuery, match="belongs to sort"):
            list_records(conn, team_id, "contact", ListQuery(sort="-name", cursor=cursor))


def test_an_unknown_stage_filter_is_refused(engine, team) -> None:
    team_id, _refs = team
    with pytest.raises(UnknownStage), read_connection(engine) as conn:
        list_records(conn, team_id, "contact", ListQuery(stage="Nirvana"))


def test_lists_never_show_other_teams_records(engine, team, other_team) -> None:
    team_id, _refs = team
    other_id, other_refs = other_team
    add_people(engine, other_id, other_refs)
    assert names(engine, team_id) == ["Scorpio"]


def crafted(sort: str, tagged: list, last_id: object = 1) -> str:
    payload = json.dumps({"s": sort, "k": tagged, "i": last_id}).encode()
    return base64.urlsafe_b64encode(payload).decode()


@pytest.mark.parametrize(
    ("sort", "tagged", "last_id"),
    [
        ("-created_at", ["v", 5], 1),
        ("-created_at", ["v", "2025-01-01"], 1),
        ("-created_at", ["dt", "2025-01-01T00:00:00"], 1),  # no offset: not one of ours
        ("name", ["v", {"a": 1}], 1),
        ("name", ["v", "x\x00y"], 1),
        ("name", ["v", "x"], 2**70),
        ("name", ["v", "x"], True),
        ("id", ["v", 2**64], 1),
        ("id", ["dec", "NaN"], 1),
        ("name", ["nope", "x"], 1),
        ("name", ["v"], 1),
    ],
)
def test_crafted_cursors_are_refused_before_reaching_sql(engine, team, sort, tagged, last_id):
    team_id, _refs = team
    query = ListQuery(sort=sort, cursor=crafted(sort, tagged, last_id))
    with pytest.raises(InvalidListQuery) as refused, read_connection(engine) as conn:
        list_records(conn, team_id, "contact", query)
    assert refused.value.field == "cursor"
