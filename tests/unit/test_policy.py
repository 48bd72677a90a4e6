"""R18 backoff, R19 API budget with priorities, R20 per-org concurrency cap."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pushforce.core.policy import (
    DEFAULT_ORG_CONCURRENCY,
    ApiUsage,
    Backoff,
    Priority,
    Verdict,
    admit,
    budget_ceiling,
    concurrency_after_limit,
    org_concurrency,
    parse_limit_info,
    parse_limits,
    priority_of,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def fixed(value: float):  # type: ignore[no-untyped-def]
    return lambda: value


# --- backoff --------------------------------------------------------------------------------


def test_R18_backoff_ceiling_doubles_up_to_the_cap() -> None:
    backoff = Backoff(base_seconds=2, cap_seconds=60, max_attempts=10)
    assert [backoff.ceiling(n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert backoff.ceiling(0) == 2
    assert backoff.ceiling(10_000) == 60


def test_R18_full_jitter_scales_the_ceiling_by_the_injected_random() -> None:
    backoff = Backoff(base_seconds=2, cap_seconds=60)
    assert backoff.delay(3, fixed(0.0)) == 0.0
    assert backoff.delay(3, fixed(0.5)) == 4.0
    assert backoff.delay(3, fixed(0.999)) == pytest.approx(7.992)


def test_R18_retry_after_from_salesforce_is_a_floor() -> None:
    backoff = Backoff(base_seconds=2, cap_seconds=60)
    assert backoff.delay(1, fixed(0.5), retry_after=30) == 30
    assert backoff.delay(6, fixed(0.9), retry_after=1) == 54


def test_R18_retry_at_adds_the_delay_to_now_until_attempts_run_out() -> None:
    backoff = Backoff(base_seconds=10, cap_seconds=100, max_attempts=3)
    assert backoff.retry_at(2, NOW, fixed(0.5)) == NOW + timedelta(seconds=10)
    assert backoff.retry_at(3, NOW, fixed(0.5)) is None


def test_R18_same_seed_gives_the_same_schedule() -> None:
    backoff = Backoff()
    first = [backoff.delay(n, random.Random(7).random) for n in range(1, 10)]
    again = [backoff.delay(n, random.Random(7).random) for n in range(1, 10)]
    assert first == again


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_seconds": 0},
        {"base_seconds": 10, "cap_seconds": 5},
        {"max_attempts": 0},
    ],
)
def test_R18_backoff_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff needs"):
        Backoff(**kwargs)  # type: ignore[arg-type]


@given(
    attempt=st.integers(min_value=-5, max_value=5_000),
    draw=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    base=st.floats(min_value=0.01, max_value=100.0),
    extra=st.floats(min_value=0.0, max_value=10_000.0),
)
def test_R18_property_backoff_stays_within_bounds(
    attempt: int, draw: float, base: float, extra: float
) -> None:
    backoff = Backoff(base_seconds=base, cap_seconds=base + extra)
    delay = backoff.delay(attempt, fixed(draw))
    assert 0.0 <= delay <= backoff.cap_seconds
    assert delay <= backoff.ceiling(attempt)
    assert backoff.ceiling(attempt) <= backoff.ceiling(attempt + 1)


# --- usage parsing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "used", "limit"),
    [
        ("api-usage=10018/100000", 10018, 100000),
        ("api-usage=25/15000; api-bursts=1/750", 25, 15000),
        ("per-app-api-usage=17/250(appName=x); api-usage=40/5000", 40, 5000),
    ],
)
def test_R19_sforce_limit_info_is_parsed(header: str, used: int, limit: int) -> None:
    usage = parse_limit_info(header, NOW)
    assert usage == ApiUsage(used, limit, NOW)


@pytest.mark.parametrize("header", [None, "", "per-app-api-usage=17/250(appName=x)", "junk"])
def test_R19_missing_or_foreign_limit_info_is_none(header: str | None) -> None:
    assert parse_limit_info(header, NOW) is None


def test_R19_limits_resource_gives_used_as_max_minus_remaining() -> None:
    body = {"DailyApiRequests": {"Max": 100000, "Remaining": 89982}, "DataStorageMB": {}}
    usage = parse_limits(body, NOW)
    assert usage == ApiUsage(10018, 100000, NOW)
    assert usage is not None and usage.percent == pytest.approx(10.018)


@pytest.mark.parametrize(
    "body",
    [{}, {"DailyApiRequests": 5}, {"DailyApiRequests": {"Max": "x", "Remaining": 3}}],
)
def test_R19_limits_without_daily_requests_is_none(body: dict[str, object]) -> None:
    assert parse_limits(body, NOW) is None


def test_R19_spend_moves_the_meter_and_zero_limit_counts_as_full() -> None:
    assert ApiUsage(10, 100, NOW).spend(5) == ApiUsage(15, 100, NOW)
    assert ApiUsage(0, 0, NOW).percent == 100.0


# --- admission ------------------------------------------------------------------------------


def test_R19_priorities_follow_the_product_order() -> None:
    assert priority_of(manual=True, push_all=True, activity=True, create=True) is Priority.MANUAL
    assert priority_of(manual=False, push_all=True, activity=True, create=True) is (
        Priority.PUSH_ALL
    )
    assert priority_of(manual=False, push_all=False, activity=True, create=True) is (
        Priority.ACTIVITY
    )
    assert priority_of(manual=False, push_all=False, activity=False, create=True) is (
        Priority.CREATE
    )
    assert priority_of(manual=False, push_all=False, activity=False, create=False) is (
        Priority.UPDATE
    )
    assert sorted(Priority) == [
        Priority.MANUAL,
        Priority.CREATE,
        Priority.UPDATE,
        Priority.ACTIVITY,
        Priority.PUSH_ALL,
    ]


def test_R19_lower_priorities_leave_headroom_for_higher_ones() -> None:
    ceilings = [budget_ceiling(100_000, 50, p) for p in list(Priority)[1:]]
    assert ceilings == [50_000, 47_500, 45_000, 40_000]


@pytest.mark.parametrize(
    ("used", "expected"),
    [
        (30_000, {p: Verdict.PROCEED for p in Priority}),
        (
            42_000,
            {
                Priority.MANUAL: Verdict.PROCEED,
                Priority.CREATE: Verdict.PROCEED,
                Priority.UPDATE: Verdict.PROCEED,
                Priority.ACTIVITY: Verdict.PROCEED,
                Priority.PUSH_ALL: Verdict.WAIT,
            },
        ),
        (
            49_000,
            {
                Priority.MANUAL: Verdict.PROCEED,
                Priority.CREATE: Verdict.PROCEED,
                Priority.UPDATE: Verdict.WAIT,
                Priority.ACTIVITY: Verdict.WAIT,
                Priority.PUSH_ALL: Verdict.WAIT,
            },
        ),
        (
            50_000,
            {p: Verdict.WAIT for p in Priority} | {Priority.MANUAL: Verdict.PROCEED},
        ),
    ],
)
def test_R19_over_budget_only_manual_pushes_proceed(
    used: int, expected: dict[Priority, Verdict]
) -> None:
    usage = ApiUsage(used, 100_000, NOW)
    verdicts = {p: admit(usage, 50, p, NOW).verdict for p in Priority}
    assert verdicts == expected


def test_R19_waiting_names_the_budget_and_when_to_look_again() -> None:
    admission = admit(ApiUsage(50_000, 100_000, NOW), 50, Priority.UPDATE, NOW)
    assert not admission.proceeds
    assert admission.recheck_at == NOW + timedelta(minutes=5)
    assert "50000/100000" in admission.reason and "50% budget" in admission.reason


def test_R19_resumes_by_itself_when_a_fresh_reading_shows_usage_fell() -> None:
    later = NOW + timedelta(hours=3)
    assert not admit(ApiUsage(50_000, 100_000, NOW), 50, Priority.CREATE, NOW).proceeds
    assert admit(ApiUsage(20_000, 100_000, later), 50, Priority.CREATE, later).proceeds


def test_R19_a_batch_is_admitted_only_if_all_its_calls_fit() -> None:
    usage = ApiUsage(49_990, 100_000, NOW)
    assert admit(usage, 50, Priority.CREATE, NOW, calls=10).proceeds
    assert not admit(usage, 50, Priority.CREATE, NOW, calls=11).proceeds


def test_R19_unknown_or_stale_usage_must_be_refreshed_first() -> None:
    assert admit(None, 50, Priority.CREATE, NOW).verdict is Verdict.REFRESH_USAGE
    stale = ApiUsage(0, 100_000, NOW - timedelta(minutes=6))
    assert admit(stale, 50, Priority.PUSH_ALL, NOW).verdict is Verdict.REFRESH_USAGE


def test_R11_manual_push_proceeds_with_unknown_usage_but_not_past_the_org_limit() -> None:
    assert admit(None, 50, Priority.MANUAL, NOW).proceeds
    exhausted = admit(ApiUsage(100_000, 100_000, NOW), 50, Priority.MANUAL, NOW)
    assert exhausted.verdict is Verdict.WAIT
    assert "used up" in exhausted.reason


@given(
    used=st.integers(min_value=0, max_value=10_000_000),
    limit=st.integers(min_value=0, max_value=10_000_000),
    percent=st.integers(min_value=1, max_value=100),
    calls=st.integers(min_value=1, max_value=10_000),
    priority=st.sampled_from([p for p in Priority if p is not Priority.MANUAL]),
)
def test_R19_property_budget_never_lets_a_non_manual_call_exceed_the_percent(
    used: int, limit: int, percent: int, calls: int, priority: Priority
) -> None:
    admission = admit(ApiUsage(used, limit, NOW), percent, priority, NOW, calls=calls)
    if admission.proceeds:
        assert (used + calls) * 100 <= limit * percent


# --- concurrency ----------------------------------------------------------------------------


def test_R20_org_concurrency_defaults_to_four_and_is_bounded() -> None:
    assert org_concurrency() == DEFAULT_ORG_CONCURRENCY == 4
    assert org_concurrency(25) == 25
    for bad in (0, 26):
        with pytest.raises(ValueError, match="between 1 and 25"):
            org_concurrency(bad)


def test_R20_concurrency_halves_after_a_long_transaction_refusal() -> None:
    assert [concurrency_after_limit(n) for n in (8, 4, 3, 1)] == [4, 2, 1, 1]


def test_R18_default_backoff_keeps_retrying_for_over_an_hour_on_average() -> None:
    backoff = Backoff()
    mean_total = sum(backoff.ceiling(n) / 2 for n in range(1, backoff.max_attempts))
    assert 3_600 < mean_total < 3 * 3_600
