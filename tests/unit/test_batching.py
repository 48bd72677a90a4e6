"""R17 order and R20 few calls: decisions → sObject Collections, Bulk API 2.0 jobs, stages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pushforce.core.batching import (
    BULK_THRESHOLD,
    COLLECTION_LIMIT,
    BulkJob,
    CollectionCall,
    WriteOp,
    batch,
    plan_writes,
)
from pushforce.core.decisions import (
    AccountLookup,
    Create,
    Defer,
    MatchThenLinkOrCreate,
    PersonLookup,
    SalesforceIdOf,
    Several,
    Skip,
    SkipReason,
    Update,
    Writes,
)
from pushforce.core.records import RecordRef

TEAM = 7


def ref(kind: str, n: int) -> RecordRef:
    return RecordRef(TEAM, kind, n)  # type: ignore[arg-type]


def account(n: int) -> Create:
    r = ref("account", n)
    return Create(r, "Account", {"Name": f"Acme {n}"}, r.external_id)


def contact(n: int, with_account: int | None = None) -> Create:
    r = ref("contact", n)
    deps = (account(with_account),) if with_account is not None else ()
    account_id = SalesforceIdOf(ref("account", with_account).external_id) if deps else None
    payload = {"LastName": f"Doe {n}", "AccountId": account_id} if deps else {"LastName": "D"}
    return Create(r, "Contact", payload, r.external_id, deps)


def deal(n: int) -> Create:
    r = ref("deal", n)
    role_key = f"{r.external_id}-ocr-1"
    role = Create(
        r, "OpportunityContactRole", {"OpportunityId": SalesforceIdOf(r.external_id)}, role_key
    )
    return Create(r, "Opportunity", {"Name": f"Deal {n}"}, r.external_id, followups=(role,))


def task(n: int, who: str = "0038M0000016Wv8QAE") -> Create:
    r = ref("email", n)
    return Create(r, "Task", {"Subject": "Email: hi", "WhoId": who}, f"{r.external_id}-p1")


def update(n: int) -> Update:
    r = ref("contact", n)
    return Update(r, "Contact", f"003{n:015d}", Writes({"Title": "CEO"}), r.external_id)


def sizes(calls: tuple[object, ...]) -> list[int]:
    return [len(call.writes) for call in calls]  # type: ignore[attr-defined]


def test_R20_collections_hold_at_most_200_writes_of_one_type() -> None:
    stages = plan_writes([contact(n) for n in range(450)])
    assert len(stages) == 1
    calls = stages[0].calls
    assert sizes(calls) == [200, 200, 50]
    assert {(c.sobject, c.operation) for c in calls} == {("Contact", WriteOp.CREATE)}
    assert all(isinstance(c, CollectionCall) for c in calls)


def test_R17_accounts_then_people_then_deals_then_activities() -> None:
    decisions = [task(1), deal(1), contact(1, with_account=1), account(2)]
    plan = batch(decisions)
    order = [[(c.sobject, len(c.writes)) for c in stage.calls] for stage in plan.stages]
    assert order == [
        [("Account", 2)],
        [("Contact", 1)],
        [("Opportunity", 1)],
        [("OpportunityContactRole", 1)],
        [("Task", 1)],
    ]
    assert [stage.level for stage in plan.stages] == sorted(s.level for s in plan.stages)


def test_R4_an_account_two_contacts_bring_along_is_written_once() -> None:
    stages = plan_writes(
        w
        for d in (contact(1, with_account=9), contact(2, with_account=9))
        for w in (*d.dependents, d)
    )
    accounts = [w for call in stages[0].calls for w in call.writes]
    assert [w.external_id for w in accounts] == ["pf-7-account-9"]


def test_R16_creates_on_objects_with_the_external_id_are_upserts_on_it() -> None:
    stages = plan_writes([contact(1), account(1), update(5)], upsert_objects={"Contact", "Account"})
    calls = {(c.sobject, c.operation, c.external_id_field) for s in stages for c in s.calls}
    assert calls == {
        ("Account", WriteOp.UPSERT, "Pushforce_Id__c"),
        ("Contact", WriteOp.UPSERT, "Pushforce_Id__c"),
        ("Contact", WriteOp.UPDATE, None),
    }


def test_R20_push_all_above_2000_goes_through_bulk_api_2() -> None:
    big = plan_writes([contact(n) for n in range(BULK_THRESHOLD + 1)], push_all=True)
    (job,) = big[0].calls
    assert isinstance(job, BulkJob)
    assert (job.operation.bulk_operation, len(job.writes)) == ("insert", 2001)
    at_threshold = plan_writes([contact(n) for n in range(BULK_THRESHOLD)], push_all=True)
    assert all(isinstance(c, CollectionCall) for c in at_threshold[0].calls)
    assert len(at_threshold[0].calls) == 10


def test_R20_bulk_jobs_are_split_per_100k_rows_and_name_their_operation() -> None:
    jobs = plan_writes(
        [contact(n) for n in range(250_001)], push_all=True, upsert_objects={"Contact"}
    )[0].calls
    assert sizes(jobs) == [100_000, 100_000, 50_001]
    assert {job.operation.bulk_operation for job in jobs} == {"upsert"}
    assert WriteOp.UPDATE.bulk_operation == "update"


def test_R20_automatic_pushes_never_use_bulk_however_many() -> None:
    stages = plan_writes([contact(n) for n in range(3_000)], push_all=False)
    assert len(stages[0].calls) == 15
    assert all(isinstance(c, CollectionCall) for c in stages[0].calls)


def test_R17_a_write_runs_after_any_write_whose_id_it_needs() -> None:
    first = contact(1)
    needs_contact = Create(
        ref("account", 1), "Account", {"Primary__c": SalesforceIdOf(first.external_id)}, "acc"
    )
    stages = plan_writes([needs_contact, first])
    assert [[c.sobject for c in s.calls] for s in stages] == [["Contact"], ["Account"]]


def test_R17_references_to_writes_outside_the_batch_do_not_delay() -> None:
    stages = plan_writes([contact(1, with_account=3)])  # the account is already in Salesforce
    assert [s.level for s in stages] == [1]


def test_update_placeholders_count_as_references_too() -> None:
    first = account(1)
    writes = Writes(overwrite={}, fill_if_empty={"AccountId": SalesforceIdOf(first.external_id)})
    later = Update(ref("deal", 4), "Account", "001000000000001AAA", writes, "x")
    stages = plan_writes([later, first])
    assert [len(s.calls) for s in stages] == [1, 1]
    assert stages[1].calls[0].operation is WriteOp.UPDATE


def test_writes_that_refer_to_each_other_are_rejected() -> None:
    a = Create(ref("account", 1), "Account", {"X": SalesforceIdOf("b")}, "a")
    b = Create(ref("account", 2), "Account", {"X": SalesforceIdOf("a")}, "b")
    try:
        plan_writes([a, b])
    except ValueError as error:
        assert "cycle" in str(error)
    else:  # pragma: no cover
        raise AssertionError("a cycle must be rejected")


def test_unknown_objects_take_the_tier_of_their_record_kind() -> None:
    custom = Create(ref("deal", 1), "Custom__c", {"Name": "x"}, "c1")
    note = Create(ref("note", 1), "Memo__c", {"Name": "x"}, "c2")
    stages = plan_writes([note, custom, account(1)])
    assert [(s.level, s.calls[0].sobject) for s in stages] == [
        (0, "Account"),
        (2, "Custom__c"),
        (4, "Memo__c"),
    ]


def test_children_of_one_parent_travel_together() -> None:
    writes = [task(1, "003B"), task(2, "003A"), task(3, "003B"), task(4), task(5, "003A")]
    (call,) = plan_writes(writes)[0].calls
    assert [w.payload.get("WhoId") for w in call.writes] == [  # type: ignore[union-attr]
        "0038M0000016Wv8QAE",
        "003A",
        "003A",
        "003B",
        "003B",
    ]


def test_R22_estimated_calls_count_lookups_collections_and_bulk_jobs() -> None:
    person = ref("contact", 1)
    match = MatchThenLinkOrCreate(
        person,
        "Contact",
        PersonLookup("a@x.com", ("Contact", "Lead")),
        {"LastName": "A"},
        person.external_id,
    )
    skipped = Skip(ref("contact", 2), SkipReason.DISABLED, "off")
    deferred = Defer(ref("contact", 3), (ref("account", 1),), "waits")
    several = Several(ref("email", 1), (task(1), task(2)))
    plan = batch([match, skipped, deferred, several, *[account(n) for n in range(201)]])
    assert [q.sobject for q in plan.lookups] == ["Contact", "Lead"]
    assert plan.estimated_calls == 2 + 1 + 2 + 1  # 2 look-ups, contact, accounts, tasks
    bulk = batch([contact(n) for n in range(2_500)], push_all=True)
    assert bulk.estimated_calls == 5


def test_R5_account_lookups_come_from_match_decisions_in_dependents() -> None:
    acc = ref("account", 1)
    match = MatchThenLinkOrCreate(
        acc, "Account", AccountLookup("acme.com", "Acme", "oldest"), {"Name": "Acme"}, "a"
    )
    person = contact(1)
    with_dep = Create(person.record, "Contact", person.payload, person.external_id, (match,))
    plan = batch([with_dep])
    assert sorted(q.by for q in plan.lookups) == ["domain", "name"]


SOBJECTS = ["Account", "Contact", "Lead", "Opportunity", "Task", "Event", "Custom__c"]


@st.composite
def writes(draw: st.DrawFn) -> list[Create | Update]:
    count = draw(st.integers(min_value=0, max_value=900))
    picks = draw(st.lists(st.sampled_from(SOBJECTS), min_size=count, max_size=count))
    updates = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    out: list[Create | Update] = []
    for n, (sobject, is_update) in enumerate(zip(picks, updates, strict=True)):
        r = ref("contact", n)
        if is_update:
            out.append(Update(r, sobject, f"id{n}", Writes({"A": 1}), f"k{n}"))
        else:
            out.append(Create(r, sobject, {"A": 1}, f"k{n}"))
    return out


@settings(deadline=None)  # up to 900 writes per example: no per-example time limit on a busy CI
@given(writes(), st.booleans(), st.sets(st.sampled_from(SOBJECTS)))
def test_R20_property_a_collection_never_exceeds_200_or_mixes_types(
    planned: list[Create | Update], push_all: bool, upsert_objects: set[str]
) -> None:
    stages = plan_writes(planned, push_all=push_all, upsert_objects=upsert_objects)
    seen: list[str] = []
    for stage in stages:
        for call in stage.calls:
            assert len({(w.sobject, type(w) is Update) for w in call.writes}) == 1
            assert all(w.sobject == call.sobject for w in call.writes)
            if isinstance(call, CollectionCall):
                assert 1 <= len(call.writes) <= COLLECTION_LIMIT
            seen.extend(w.external_id for w in call.writes)
    assert sorted(seen) == sorted(w.external_id for w in planned), "every write exactly once"
