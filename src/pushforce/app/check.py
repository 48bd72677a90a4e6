"""The reconciliation checker: does Salesforce hold what Pushforce says it should? (reliability.md
§2.1, §2.4; the operator's ``pushforce check``.)

For one team it compares the records, links, jobs and settings in the store with the team's
org, read through the Salesforce port in batched queries, and reports

* **lost** — a record the settings (or a push that succeeded) put in Salesforce, with no live
  link and no job pending, running, failed or held;
* **duplicated** — two Salesforce records with one external id, two links to one Salesforce
  record, two different Ids created for one write, or one email created twice as an
  unconverted Lead/Contact by Pushforce's Salesforce user (orgs without ``Pushforce_Id__c``);
* **unexpected** — a Salesforce record carrying this team's external id with no link;
* **stale** — a linked record whose latest change is not pushed and not queued, or whose
  Salesforce values differ from the last push;
* **cross-team** writes, **held** records (with their hints), records **gone** in Salesforce,
  and the API **budget** (R19).

Every read is paged, so memory stays bounded whatever the team's size. Run it after a full
drain: queued jobs are counted (``queued``) and their records are not judged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pushforce.app.check_report import (
    BUDGET,
    DUPLICATED,
    HELD,
    LOST,
    QUEUED,
    STALE,
    UNHINTED,
    CheckReport,
    Finding,
)
from pushforce.app.check_salesforce import (
    LinkChecker,
    existing_ids,
    scan_external_ids,
    scan_person_emails,
)
from pushforce.app.context import ContextLoader
from pushforce.app.ports import Salesforce
from pushforce.core.decisions import (
    Create,
    Decision,
    Defer,
    MatchThenLinkOrCreate,
    Trigger,
    Update,
)
from pushforce.core.planner import plan
from pushforce.core.records import RecordRef
from pushforce.core.settings import PushSettings
from pushforce.store import check_queries as q
from pushforce.store import read_connection
from pushforce.store.settings_repo import current_settings

RECORD_KINDS = ("account", "contact", "deal")  # records with a Salesforce record of their own
PAGE = 200  # records per page; Salesforce reads are batched by the same size
BUDGET_SLACK_PERCENT = 1.0  # one admitted batch may run past the budget before the next check


def check_team(
    engine: Any,
    team_id: int,
    sf: Salesforce,
    now: datetime,
    *,
    page_size: int = PAGE,
    max_per_category: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> CheckReport:
    """Reconcile one team with its org; see the module docstring for what is reported."""
    report = CheckReport(team_id, max_per_category)
    with read_connection(engine) as conn:
        settings, _ = current_settings(conn, team_id)
        report.open_jobs = q.open_job_count(conn, team_id)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("records", lambda: _check_records(engine, team_id, settings, now, report, page_size)),
        ("links", lambda: LinkChecker(engine, team_id, sf, report).run(page_size)),
        ("external ids", lambda: scan_external_ids(engine, team_id, sf, report)),
        ("emails", lambda: scan_person_emails(engine, team_id, sf, report, page_size)),
        ("sync log", lambda: _check_log(engine, team_id, sf, report)),
        ("held", lambda: _check_held(engine, team_id, report, page_size)),
        ("budget", lambda: _check_budget(sf, settings, report)),
    ]
    for name, step in steps:
        if progress is not None:
            progress(name)
        step()
    if report.open_jobs:
        report.add(Finding(QUEUED, f"{report.open_jobs} pushes still pending or running"))
    return report


# ---- records: what the settings say should be in Salesforce ----------------------------------


def _check_records(
    engine: Any,
    team_id: int,
    settings: PushSettings,
    now: datetime,
    report: CheckReport,
    page_size: int,
) -> None:
    for kind in RECORD_KINDS:
        after = 0
        while True:
            with read_connection(engine) as conn:
                ids = q.record_ids_page(conn, team_id, kind, after, page_size)
                if not ids:
                    break
                states = q.job_states(conn, team_id, kind, ids)
                loader = ContextLoader(conn, team_id)
                for record_id in ids:
                    _judge_record(loader, settings, now, (kind, record_id), states, report)
            report.records_checked += len(ids)
            after = ids[-1]


def _judge_record(
    loader: ContextLoader,
    settings: PushSettings,
    now: datetime,
    ref: tuple[str, int],
    states: dict[int, set[str]],
    report: CheckReport,
) -> None:
    kind, record_id = ref
    if states.get(record_id):
        return  # queued (counted as such) or held (reported from the jobs)
    record = loader.record(kind, record_id)
    if record is None:
        return
    decision = plan(settings, record, Trigger.UPDATED, loader.context(record), now)
    external_id = RecordRef(loader.team_id, kind, record_id).external_id  # type: ignore[arg-type]
    finding = _verdict(loader, decision, kind, record_id)
    if finding is not None:
        category, detail = finding
        report.add(Finding(category, detail, external_id, kind, record_id))


def _verdict(
    loader: ContextLoader, decision: Decision, kind: str, record_id: int
) -> tuple[str, str] | None:
    if isinstance(decision, Create | MatchThenLinkOrCreate):
        return LOST, f"the settings push this {kind}, but it has no link and no queued push"
    if isinstance(decision, Defer):
        if _waits_on_held(loader, decision):
            return None
        return LOST, f"waits for {_names(decision.waiting_for)}, none of them queued or held"
    if isinstance(decision, Update) and decision.relink is None and decision.writes.overwrite:
        fields = ", ".join(sorted(decision.writes.overwrite))
        return STALE, f"changed since its last push ({fields}) and no push is queued"
    return None


def _waits_on_held(loader: ContextLoader, decision: Defer) -> bool:
    for parent in decision.waiting_for:
        states = q.job_states(loader.conn, loader.team_id, parent.kind, [parent.id])
        if states.get(parent.id, set()) & {"failed", "held", "pending", "running"}:
            return True
    return False


def _names(refs: tuple[RecordRef, ...]) -> str:
    return ", ".join(f"{ref.kind} {ref.id}" for ref in refs)


# ---- the sync log: pushes that succeeded must have left a link, creates happen once -----------


def _check_log(engine: Any, team_id: int, sf: Salesforce, report: CheckReport) -> None:
    with read_connection(engine) as conn:
        orphans = q.pushed_without_link(conn, team_id, report.max_per_category)
        twice = q.created_more_than_once(conn, team_id)
        created = {
            row["external_id"]: q.created_ids(conn, team_id, row["external_id"]) for row in twice
        }
        shared = q.shared_salesforce_ids(conn, team_id)
    for row in orphans:
        detail = f"the sync log says pushed as {row['sf_id']}, but the link is missing"
        report.add(Finding(LOST, detail, row["external_id"], row["kind"], row["record_id"]))
    for row in twice:
        alive = existing_ids(sf, created[row["external_id"]])
        if len(alive) > 1:
            detail = f"created {len(alive)} times in Salesforce: {', '.join(sorted(alive))}"
            report.add(
                Finding(DUPLICATED, detail, row["external_id"], row["kind"], row["record_id"])
            )
    for row in shared:
        detail = f"{row['links']} Pushforce writes are linked to one Salesforce record"
        report.add(Finding(DUPLICATED, detail, sobject=row["sobject"], sf_id=row["sf_id"]))


# ---- held records and the budget --------------------------------------------------------------


def _check_held(engine: Any, team_id: int, report: CheckReport, page_size: int) -> None:
    after = 0
    while True:
        with read_connection(engine) as conn:
            jobs = q.stopped_jobs(conn, team_id, after, page_size)
        if not jobs:
            return
        for job in jobs:
            report.add(_held(team_id, job))
        after = jobs[-1]["id"]


def _held(team_id: int, job: dict[str, Any]) -> Finding:
    ref = RecordRef(team_id, job["kind"], job["record_id"])
    code, hint = job["error_code"] or job["state"], job["error_hint"]
    if not hint:
        detail = f"{code}: {job['error_message'] or 'no message'} — no hint for the user"
        return Finding(UNHINTED, detail, ref.external_id, job["kind"], job["record_id"])
    detail = f"{code}: {job['error_message'] or ''} — {hint}"
    return Finding(HELD, detail, ref.external_id, job["kind"], job["record_id"])


def _check_budget(sf: Salesforce, settings: PushSettings, report: CheckReport) -> None:
    usage = sf.refresh_limits()
    budget = settings.limits.api_budget_percent
    report.usage, report.budget_percent = usage, budget
    if usage.percent > budget + BUDGET_SLACK_PERCENT:
        detail = f"API usage {usage.used}/{usage.limit} ({usage.percent:.1f} %) > budget {budget} %"
        report.add(Finding(BUDGET, detail))
