"""Activities through the engine against localforce (issue 6, Performance): push 100,000 emails
written to 10,000 contacts already linked to Salesforce, through the outbox → drain → gateway
path; report API calls per activity (target ≤ 0.01) and wall time.

Sizes by environment (quick run): ACTIVITY_BENCH_CONTACTS=1000 ACTIVITY_BENCH_EMAILS=10000
python -m bench activities_bench. ACTIVITY_BENCH_BATCH sets the drain's batch size (2,000).
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench._engine_setup import Bench, measure, pushforce_team, seed
from bench.localforce_bench import running_server
from pushforce.inputs import KIND_MODELS
from pushforce.store import insert_records, write_transaction


def _env(name: str, default: int) -> int:
    return int(os.environ.get(f"ACTIVITY_BENCH_{name}", str(default)))


CONTACTS, EMAILS = _env("CONTACTS", 10_000), _env("EMAILS", 100_000)
ACCOUNTS = max(1, CONTACTS // 5)
DRAIN_BATCH = _env("BATCH", 2_000)
CHUNK = 5_000


def say(text: str) -> None:
    print(text, flush=True)


def email_row(i: int, contacts: int, accounts: int, now: datetime) -> dict[str, Any]:
    person = i % contacts
    return {
        "direction": "outgoing",
        "sent_in_app": True,
        "from_address": "rep@pushforce.io",
        "to_addresses": [f"person{person}@company{person % accounts}.example"],
        "subject": f"Follow-up {i}",
        "body": f"Hello again, message {i}.",
        "sent_at": (now - timedelta(minutes=i % 10_000)).isoformat(),
    }


def seed_emails(bench: Bench, total: int) -> None:
    """Emails through ``insert_records`` (the write hook enqueues each), in chunks."""
    model = KIND_MODELS["email"][0]
    now = datetime.now(UTC)
    rows: Iterator[dict[str, Any]] = (email_row(i, CONTACTS, ACCOUNTS, now) for i in range(total))
    done = 0
    while done < total:
        size = min(CHUNK, total - done)
        chunk = [model.model_validate(next(rows)).model_dump() for _ in range(size)]
        with write_transaction(bench.engine) as conn:
            insert_records(conn, bench.team_id, "email", chunk)
        done += size


def drain_all(bench: Bench) -> int:
    jobs = 0
    while (done := bench.drain(DRAIN_BATCH)) > 0:
        jobs += done
    return jobs


def main() -> None:
    token = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        with (
            running_server(work / "localforce", token) as (_server, port),
            pushforce_team(work, port, token, "activities") as bench,
        ):
            run(bench)


def run(bench: Bench) -> None:
    say(f"{EMAILS:,} emails to {CONTACTS:,} linked contacts ({ACCOUNTS:,} accounts)")
    bench.control.reset()
    seed(bench, ACCOUNTS, CONTACTS)
    bench.push_all("accounts", 10_000)
    bench.push_all("contacts", 10_000)
    bench.settings(enabled=True)
    started = time.perf_counter()
    seed_emails(bench, EMAILS)
    say(f"  seeded {EMAILS:,} emails (enqueued) in {time.perf_counter() - started:.1f} s")
    pushed = measure(bench, lambda: drain_all(bench))
    tasks = len(bench.control.records("Task"))
    say(
        f"  drain (batches of {DRAIN_BATCH:,}): {pushed.result:,} jobs, {tasks:,} Tasks in "
        f"Salesforce, {pushed.calls:,} API calls = {pushed.calls / EMAILS:.4f} per activity, "
        f"{pushed.seconds:.1f} s ({EMAILS / pushed.seconds:,.0f} activities/s), "
        f"peak RSS {pushed.peak_mb:.0f} MB"
    )
    if tasks != EMAILS:
        say(f"  !! expected {EMAILS:,} Tasks, localforce holds {tasks:,}")


if __name__ == "__main__":
    main()
