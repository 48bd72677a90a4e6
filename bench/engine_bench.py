"""The push engine against localforce (issue 5, Performance): one localforce subprocess for
every part, API calls read exactly from localforce's counters.

(a) 2,000 accounts + 10,000 contacts into an empty org: Pushforce (push-all of accounts, then
    contacts) against a naive baseline (simple-salesforce, one SOQL look-up + one create per
    record), latency model off and on (100 ms per request). With the model on the naive
    baseline is timed on its first ENGINE_BENCH_NAIVE_TIMED records and extrapolated linearly.
(b) push-all of 100,000 contacts with 20,000 accounts: API calls per record with Collections
    (drain batches of 2,000) and with Bulk API 2.0 (batches of 10,000), wall time, peak RSS.
(c) after (a): 5 % of the contacts changed → the drain's calls; nothing changed → calls.
(d) real time: 50 contact updates/s for 60 s through the embedded runner (runners.local): delay from
    commit to Salesforce, p50 / p99.
(e) a 1,000,000-contact push-all: wall time and peak RSS (off unless ENGINE_BENCH_E_CONTACTS).

Sizes by environment (quick run): ENGINE_BENCH_PARTS=a,b,c,d ENGINE_BENCH_A_ACCOUNTS=200
ENGINE_BENCH_A_CONTACTS=1000 ENGINE_BENCH_NAIVE_TIMED=100 ENGINE_BENCH_B_ACCOUNTS=2000
ENGINE_BENCH_B_CONTACTS=10000 ENGINE_BENCH_D_SECONDS=10 python -m bench engine_bench
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench._engine_setup import (
    Bench,
    account_row,
    contact_row,
    latency,
    measure,
    pushforce_team,
    seed,
)
from bench.localforce_bench import connect as naive_client
from bench.localforce_bench import running_server
from pushforce.app.drain import Drainer
from pushforce.core.decisions import Update
from pushforce.runners.local import LocalRunner
from pushforce.store import update_record, write_transaction
from pushforce.store.push_schema import links, push_jobs


def _env(name: str, default: int) -> int:
    return int(os.environ.get(f"ENGINE_BENCH_{name}", str(default)))


PARTS = os.environ.get("ENGINE_BENCH_PARTS", "a,b,c,d").split(",")
A_ACCOUNTS, A_CONTACTS = _env("A_ACCOUNTS", 2_000), _env("A_CONTACTS", 10_000)
NAIVE_TIMED = _env("NAIVE_TIMED", 1_000)
B_ACCOUNTS, B_CONTACTS = _env("B_ACCOUNTS", 20_000), _env("B_CONTACTS", 100_000)
B_VARIANTS = os.environ.get("ENGINE_BENCH_B_VARIANTS", "collections,bulk,bulk-latency").split(",")
D_RATE, D_SECONDS = _env("D_RATE", 50), _env("D_SECONDS", 60)
E_CONTACTS = _env("E_CONTACTS", 0)
E_ACCOUNTS = _env("E_ACCOUNTS", max(1, E_CONTACTS // 5))
BULK_BATCH, COLLECTIONS_BATCH = 10_000, 2_000
LATENCY_MS = 100


def say(text: str) -> None:
    print(text, flush=True)


# ---- (a) naive baseline vs Pushforce -----------------------------------------------------------


def naive_push(sf: Any, accounts: int, contacts: int, limit: int | None = None) -> int:
    """How most integrations push: per record one SOQL look-up, then one create."""
    account_ids: list[str] = []
    done = 0
    for i in range(accounts):
        if limit is not None and done >= limit:
            return done
        row = account_row(i)
        sf.query(f"SELECT Id FROM Account WHERE Name = '{row['name']}'")
        created = sf.Account.create({"Name": row["name"], "Website": row["website"]})
        account_ids.append(created["id"])
        done += 1
    for i in range(contacts):
        if limit is not None and done >= limit:
            return done
        row = contact_row(i, accounts)
        sf.query(f"SELECT Id FROM Contact WHERE Email = '{row['email']}'")
        values = {"FirstName": row["first_name"], "LastName": row["last_name"]}
        values |= {"Email": row["email"], "Title": row["title"]}
        sf.Contact.create({**values, "AccountId": account_ids[i % accounts]})
        done += 1
    return done


def pushforce_push(bench: Bench, batch: int = BULK_BATCH) -> dict[str, Any]:
    accounts = bench.push_all("accounts", batch)
    contacts = bench.push_all("contacts", batch)
    return {"accounts": accounts, "contacts": contacts}


def part_a(work: Path, port: int, token: str) -> None:
    records = A_ACCOUNTS + A_CONTACTS
    say(f"(a) {A_ACCOUNTS:,} accounts + {A_CONTACTS:,} contacts into an empty org")
    sf = naive_client(port, token, work / "localforce")
    for model in ("off", "on"):
        with pushforce_team(work, port, token, f"a-{model}") as bench:
            bench.control.reset()
            latency(bench, LATENCY_MS if model == "on" else 0)
            limit = NAIVE_TIMED if model == "on" else None
            naive = measure(
                bench, lambda limit=limit: naive_push(sf, A_ACCOUNTS, A_CONTACTS, limit)
            )
            scale = records / naive.result
            naive_seconds, naive_calls = naive.seconds * scale, round(naive.calls * scale)
            note = (
                f" (timed on {naive.result:,} records, extrapolated ×{scale:.1f})" if limit else ""
            )
            say(f"  naive, latency {model}: {naive_calls:,} calls, {naive_seconds:.1f} s{note}")
            bench.control.reset()
            latency(bench, LATENCY_MS if model == "on" else 0)
            seed(bench, A_ACCOUNTS, A_CONTACTS)
            ours = measure(bench, lambda bench=bench: pushforce_push(bench))
            latency(bench, 0)
            _check_pushed(bench, A_ACCOUNTS, A_CONTACTS, ours.result)
            say(
                f"  Pushforce, latency {model}: {ours.calls:,} calls, {ours.seconds:.1f} s, "
                f"peak RSS {ours.peak_mb:.0f} MB → {naive_calls / max(ours.calls, 1):.0f}× fewer "
                f"calls, {naive_seconds / ours.seconds:.1f}× faster"
            )


def _check_pushed(bench: Bench, accounts: int, contacts: int, result: dict[str, Any]) -> None:
    created = result["accounts"]["created"], result["contacts"]["created"]
    in_org = len(bench.control.records("Account")), len(bench.control.records("Contact"))
    if created != (accounts, contacts) or in_org != created:
        say(f"  !! created {created}, in localforce {in_org}, expected {(accounts, contacts)}")


# ---- (b) push-all at scale ----------------------------------------------------------------------


def _forget_links(bench: Bench) -> None:
    """Start the team over on an emptied org: no links, no jobs (bench only)."""
    with write_transaction(bench.engine) as conn:
        conn.execute(sa.delete(links).where(links.c.team_id == bench.team_id))
        conn.execute(sa.delete(push_jobs).where(push_jobs.c.team_id == bench.team_id))


def part_b(work: Path, port: int, token: str) -> None:
    records = B_ACCOUNTS + B_CONTACTS
    say(f"(b) push-all of {B_CONTACTS:,} contacts with {B_ACCOUNTS:,} accounts")
    with pushforce_team(work, port, token, "b") as bench:
        started = time.perf_counter()
        seed(bench, B_ACCOUNTS, B_CONTACTS)
        say(f"  seeded the store in {time.perf_counter() - started:.1f} s")
        for variant in B_VARIANTS:
            bench.control.reset()
            _forget_links(bench)
            latency(bench, LATENCY_MS if variant.endswith("latency") else 0)
            batch = COLLECTIONS_BATCH if variant.startswith("collections") else BULK_BATCH
            run = measure(bench, lambda batch=batch: pushforce_push(bench, batch))
            latency(bench, 0)
            _check_pushed(bench, B_ACCOUNTS, B_CONTACTS, run.result)
            say(
                f"  {variant}: {run.calls:,} calls = {run.calls / records:.4f} per record, "
                f"{run.seconds:.1f} s, peak RSS {run.peak_mb:.0f} MB"
            )


# ---- (c) incremental, (d) real time -------------------------------------------------------------


def part_c_and_d(work: Path, port: int, token: str) -> None:
    with pushforce_team(work, port, token, "cd") as bench:
        bench.control.reset()
        _account_ids, contact_ids = seed(bench, A_ACCOUNTS, A_CONTACTS)
        pushforce_push(bench)
        bench.settings(enabled=True)
        if "c" in PARTS:
            part_c(bench, contact_ids)
        if "d" in PARTS:
            part_d(bench, contact_ids)


def _change(bench: Bench, contact_id: int, title: str) -> None:
    with write_transaction(bench.engine) as conn:
        update_record(conn, bench.team_id, "contact", contact_id, {"title": title})


def part_c(bench: Bench, contact_ids: list[int]) -> None:
    changed = contact_ids[::20]  # 5 %
    say(f"(c) incremental: {len(changed):,} of {len(contact_ids):,} contacts changed")
    for contact_id in changed:
        _change(bench, contact_id, "Head of Buying")
    run = measure(bench, bench.drain)
    say(f"  drain: {run.calls:,} calls for {run.result:,} jobs, {run.seconds:.1f} s")
    idle = measure(bench, bench.drain)
    say(f"  nothing changed, drain: {idle.calls} calls")
    unchanged = measure(bench, lambda: bench.push_all("contacts", BULK_BATCH))
    say(
        f"  nothing changed, push-all of {len(contact_ids):,} contacts: {unchanged.calls} calls, "
        f"{unchanged.result['skipped']:,} skipped, {unchanged.seconds:.1f} s"
    )


class TimedGateway:
    """Records when each (record, Title) reached Salesforce."""

    def __init__(self, inner: Any, reached: dict[tuple[str, object], float]) -> None:
        self.inner, self.reached = inner, reached

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def run_collection(self, call: Any) -> Any:
        results = self.inner.run_collection(call)
        now = time.monotonic()
        for write in call.writes:
            values = write.writes.overwrite if isinstance(write, Update) else write.payload
            self.reached.setdefault((write.external_id, values.get("Title")), now)
        return results


def part_d(bench: Bench, contact_ids: list[int]) -> None:
    total = D_RATE * D_SECONDS
    say(f"(d) real time: {D_RATE} contact updates/s for {D_SECONDS} s, the embedded runner")
    reached: dict[tuple[str, object], float] = {}
    bench._gateway = TimedGateway(bench.gateway_for(bench.team_id), reached)
    # The real embedded runner of `pushforce serve`: wake-ups after commit, a 1 s sweep.
    drainer = Drainer(bench.engine, bench.gateway_for, bench.clock, "bench-realtime")
    runner = LocalRunner(drainer)
    runner.start()
    commits: list[tuple[tuple[str, object], float]] = []
    next_at = time.monotonic()
    for n in range(total):
        contact_id = contact_ids[n % len(contact_ids)]
        title = f"Realtime {n}"
        _change(bench, contact_id, title)
        commits.append(((f"pf-{bench.team_id}-contact-{contact_id}", title), time.monotonic()))
        next_at += 1 / D_RATE
        time.sleep(max(0.0, next_at - time.monotonic()))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(key not in reached for key, _ in commits):
        time.sleep(0.05)
    runner.stop()
    delays = sorted(reached[key] - at for key, at in commits if key in reached)
    missing = total - len(delays)
    p50 = statistics.median(delays)
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
    say(
        f"  commit → Salesforce: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms "
        f"({len(delays):,} updates, {missing} not pushed within 60 s of the end)"
    )


# ---- (e) a million contacts ----------------------------------------------------------------------


def part_e(work: Path, port: int, token: str) -> None:
    accounts = E_ACCOUNTS
    say(f"(e) push-all of {E_CONTACTS:,} contacts ({accounts:,} accounts pushed first)")
    with pushforce_team(work, port, token, "e") as bench:
        bench.control.reset()
        started = time.perf_counter()
        seed(bench, accounts, E_CONTACTS)
        say(f"  seeded the store in {time.perf_counter() - started:.1f} s")
        bench.push_all("accounts", BULK_BATCH)
        run = measure(bench, lambda: bench.push_all("contacts", BULK_BATCH))
        say(
            f"  {run.result['created']:,} created: {run.calls:,} calls, {run.seconds:.1f} s, "
            f"peak RSS {run.peak_mb:.0f} MB"
        )


def main() -> None:
    token = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        with running_server(work / "localforce", token) as (_server, port):
            if "a" in PARTS:
                part_a(work, port, token)
            if "b" in PARTS:
                part_b(work, port, token)
            if "c" in PARTS or "d" in PARTS:
                part_c_and_d(work, port, token)
            if "e" in PARTS and E_CONTACTS:
                part_e(work, port, token)


if __name__ == "__main__":
    main()
