"""Decision values, their execution order, record refs and links; R22 preview."""

from __future__ import annotations

from _planfactory import (
    ACCOUNT_ID,
    CONTACT_ID,
    LEAD_ID,
    NOW,
    ON,
    TEAM,
    account,
    contact,
    sf_id,
)

from pushforce.core.decisions import (
    AccountLookup,
    Create,
    Defer,
    MatchThenLinkOrCreate,
    PersonLookup,
    Several,
    Skip,
    SkipReason,
    Trigger,
    Update,
    Writes,
    execution_order,
    writes_of,
)
from pushforce.core.planner import Preview, plan, preview
from pushforce.core.records import Link, PlanContext, RecordRef, ref_of

REF = RecordRef(TEAM, "contact", 2)


def _create(name: str, **extra: object) -> Create:
    return Create(REF, "Contact", {}, name, **extra)  # type: ignore[arg-type]


def test_record_refs_carry_the_external_id() -> None:
    assert REF.external_id == f"pf-{TEAM}-contact-2"
    assert ref_of(contact()) == REF
    assert ref_of(account()).external_id == f"pf-{TEAM}-account-1"


def test_link_current_follows_merges_and_conversions() -> None:
    assert Link("Contact", CONTACT_ID).current == ("Contact", CONTACT_ID)
    assert Link("Lead", LEAD_ID, state="converted", successor_id=CONTACT_ID).current == (
        "Contact",
        CONTACT_ID,
    )
    assert Link("Account", ACCOUNT_ID, state="merged", successor_id="001B").current == (
        "Account",
        "001B",
    )
    assert Link("Lead", LEAD_ID, state="converted").current == ("Lead", LEAD_ID)
    assert not Link("Lead", LEAD_ID, state="deleted").is_live


def test_writes_truthiness_and_fields() -> None:
    assert not Writes()
    assert Writes({"A": 1})
    assert Writes(fill_if_empty={"B": 2})
    assert Writes({"A": 1}, {"B": 2}).fields() == {"A", "B"}


def test_execution_order_runs_dependents_first_and_followups_last() -> None:
    skip = Skip(REF, SkipReason.NOTHING_CHANGED, "no", "s")
    decision = Several(
        REF,
        parts=(
            _create("part-1", followups=(_create("after-1"),)),
            skip,
            Update(
                REF,
                "Contact",
                CONTACT_ID,
                Writes({"A": 1}),
                "part-2",
                followups=(_create("after-2"),),
            ),
        ),
        dependents=(
            MatchThenLinkOrCreate(
                REF,
                "Account",
                AccountLookup("acme.com", "Acme", "oldest"),
                {},
                "dep",
                dependents=(_create("dep-of-dep"),),
                followups=(_create("dep-after"),),
            ),
            Defer(REF, (REF,), "wait", dependents=(_create("deferred-dep"),)),
        ),
    )
    order = [
        getattr(leaf, "external_id", type(leaf).__name__) for leaf in execution_order(decision)
    ]
    assert order == [
        "dep-of-dep",
        "dep",
        "dep-after",
        "deferred-dep",
        "Defer",
        "part-1",
        "after-1",
        "s",
        "part-2",
        "after-2",
    ]
    assert [w.external_id for w in writes_of(decision)] == [
        "dep-of-dep",
        "dep",
        "dep-after",
        "deferred-dep",
        "part-1",
        "after-1",
        "part-2",
        "after-2",
    ]


def test_R22_preview_counts_and_api_calls() -> None:
    decisions = [
        plan(
            ON,
            contact(id=n, email=f"p{n}@acme.com"),
            Trigger.CREATED,
            PlanContext(account=account()),
            NOW,
        )
        for n in range(3)
    ] + [
        Skip(REF, SkipReason.STAGE_FILTERED, "x"),
        Skip(REF, SkipReason.STAGE_FILTERED, "x"),
        Skip(REF, SkipReason.DISABLED, "x"),
        Update(REF, "Contact", CONTACT_ID, Writes({"Title": "x"}), "u"),
        Defer(REF, (REF,), "wait"),
        _create("c"),
    ]
    result = preview(decisions)
    assert result == Preview(
        created=1,
        matched_or_created=6,  # 3 contacts, each with its account coming along (R4)
        updated=1,
        deferred=1,
        skipped={"stage_filtered": 2, "disabled": 1},
        # look-ups: Contact, Lead, Account by domain, Account by name (one chunk each);
        # writes: Contact creates (one collection), Account creates, Contact updates
        api_calls=4 + 3,
    )
    assert result.skipped_total == 3


def test_R22_preview_batches_collections_of_200_and_bulk_jobs_for_push_all() -> None:
    many = [Create(RecordRef(TEAM, "contact", n), "Contact", {}, f"k{n}") for n in range(2_001)]
    assert preview(many).api_calls == 11  # ceil(2001 / 200)
    assert preview(many, bulk=True).api_calls == 5  # one Bulk API 2.0 ingest job
    assert preview(many[:2_000], bulk=True).api_calls == 10
    lookups = [
        MatchThenLinkOrCreate(REF, "Lead", PersonLookup(f"{n}@x.io", ("Lead",)), {}, f"m{n}")
        for n in range(201)
    ]
    assert preview(lookups).api_calls == 2 + 2
    assert preview([]) == Preview()


def test_plan_accepts_the_trigger_by_name() -> None:
    assert plan(ON, account(), "push_all", PlanContext(), NOW) == plan(
        ON, account(), Trigger.PUSH_ALL, PlanContext(), NOW
    )
    assert sf_id("001", 1) == ACCOUNT_ID and len(ACCOUNT_ID) == 18
