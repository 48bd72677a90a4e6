"""The sync log: filters (kind, outcome, error class, trigger, time), error details with
hints, and retry — one record, an error class, or every failed push (R18)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response

from pushforce.app.retry import RetryError, RetryRequest, retry_failed
from pushforce.store import read_connection
from pushforce.store.push_status import LogFilter, failures_by_class, log_page
from pushforce.web.api.ops_deps import CLOCK, wake
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import is_htmx, render
from pushforce.web.ui.sf_status import actor_names, instance_url_of

router = ui_router()
PAGE_SIZE = 50
KINDS = ("account", "contact", "deal", "email", "note", "task", "call", "meeting", "conversation")
OUTCOMES = ("created", "linked", "updated", "done", "skipped", "retry", "failed", "held")
PERIODS = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7)}
Text = Annotated[str, Query(max_length=255)]


def _day(text: str) -> date | None:
    """A YYYY-MM-DD day from a date input; empty or malformed: no bound."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _window(period: str, since: str, until: str) -> tuple[Any, Any]:
    """A preset period (last hour, day, week) or whole UTC days from ``since`` to ``until``."""
    if period in PERIODS:
        return datetime.now(UTC) - PERIODS[period], None
    first, last = _day(since), _day(until)
    start = datetime.combine(first, time.min, UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time.min, UTC) if last else None
    return start, end


def _filter(kind: str, outcome: str, error_class: str, trigger: str, window: Any) -> LogFilter:
    return LogFilter(kind or None, None, outcome or None, error_class or None, trigger or None,
                     *window)  # fmt: skip


@router.get("/sync-log")
def sync_log_page(
    request: Request,
    engine: EngineDep,
    user: UserDep,
    kind: Text = "",
    outcome: Text = "",
    error_class: Text = "",
    trigger: Text = "",
    period: Text = "",
    since: Text = "",
    until: Text = "",
    cursor: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    flt = _filter(kind, outcome, error_class, trigger, _window(period, since, until))
    with read_connection(engine) as conn:
        entries, next_cursor = log_page(conn, user.team_id, flt, before_id=cursor, limit=PAGE_SIZE)
        failures = failures_by_class(conn, user.team_id)
        instance = instance_url_of(conn, user.team_id)
        actors = actor_names(conn, user.team_id, entries)
    params = {"kind": kind, "outcome": outcome, "error_class": error_class, "trigger": trigger,
              "period": period, "since": since, "until": until}  # fmt: skip
    context = {"section": "sync-log", "title": "Sync log", "history": entries,
               "show_record": True, "instance_url": instance, "actors": actors, "params": params,
               "kinds": KINDS, "outcomes": OUTCOMES, "periods": PERIODS,
               "failures": dict(sorted(failures.items())), "next_cursor": next_cursor}  # fmt: skip
    template = "fragments/sync_log_results.html" if is_htmx(request) else "sync_log.html"
    return render(request, template, context)


@router.post("/sync-log/retry")
def retry(
    request: Request,
    engine: EngineDep,
    user: UserDep,
    error_class: Annotated[str, Form(max_length=255)] = "",
    all: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    wanted = RetryRequest(error_class=error_class or None, all=all == "yes")
    try:
        count = retry_failed(engine, user.team_id, wanted, CLOCK.now(), _waker(engine))
        message, ok = f"{count} failed push(es) queued again.", True
    except RetryError as error:
        message, ok = str(error), False
    return render(request, "fragments/notice.html", {"message": message, "ok": ok})


def _waker(engine: Any) -> Any:
    return lambda team: wake(engine, team)
