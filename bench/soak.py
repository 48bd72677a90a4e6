"""Soak (reliability.md §2.3 F17): three teams stream changes while mixed faults fire at low
rates; then a full drain and the reconciliation checker's verdict per team.

    python -m bench soak                       # 3 minutes (not part of `make test`)
    SOAK_MINUTES=10 SOAK_RATE=8 python -m bench soak

Each team has its own localforce org (real HTTPS) and a drainer thread that polls like the
periodic sweep. A writer thread per team creates contacts and accounts and updates them at
``SOAK_RATE`` changes per second; about 1 % of new accounts carry an Industry the org's
restricted picklist refuses (the records that must end held). A fault thread adds, every
``SOAK_FAULT_EVERY`` seconds on a random org, one of: 503, 500 after commit, a hang past the
client timeout, a lock error on some records, an expired session, the concurrent-request limit.

Reported: records pushed, retries per pushed record, lag (change committed → pushed) p50/p99
during the run, and per team the checker's verdict (must be zero lost and zero duplicated, the
held records exactly the injected bad ones).
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench._reliability_setup import (
    SUCCESS,
    BenchTeam,
    DrainerThread,
    describe_lags,
    lags,
    now,
    teams_on_own_orgs,
)

MINUTES = float(os.environ.get("SOAK_MINUTES", "3"))
RATE = float(os.environ.get("SOAK_RATE", "5"))  # changes per second per team
FAULT_EVERY = float(os.environ.get("SOAK_FAULT_EVERY", "3"))  # seconds between faults
SEED = int(os.environ.get("SOAK_SEED", "20261127"))
BAD_SHARE = 0.01

FAULTS: list[dict[str, Any]] = [
    {"kind": "503", "count": 1},
    {"kind": "commit_then_fail", "path": "composite/sobjects", "count": 1},
    {"kind": "hang", "path": "composite/sobjects", "count": 1, "seconds": 10},
    {
        "kind": "UNABLE_TO_LOCK_ROW",
        "path": "composite/sobjects",
        "per_record": True,
        "fraction": 0.1,
        "count": 1,
    },
    {"kind": "token_expiry", "count": 1},
    {"kind": "REQUEST_LIMIT_EXCEEDED", "concurrent": True, "count": 1},
]


class Writer(threading.Thread):
    """Streams creates and updates of one team at a fixed rate (open loop)."""

    def __init__(self, team: BenchTeam, rng: random.Random, stop: threading.Event) -> None:
        super().__init__(daemon=True, name=f"writer-{team.name}")
        self.team, self.rng, self.stop_event = team, rng, stop
        self.changes: list[tuple[str, int, datetime]] = []
        self.bad: set[str] = set()
        self.records: dict[str, list[int]] = {"account": [], "contact": []}

    def run(self) -> None:
        started, sent = time.monotonic(), 0
        while not self.stop_event.is_set():
            due = started + sent / RATE
            self.stop_event.wait(max(0.0, due - time.monotonic()))
            self._one_change(sent)
            sent += 1

    def _one_change(self, n: int) -> None:
        kind = "account" if self.rng.random() < 0.25 else "contact"
        existing = self.records[kind]
        if existing and self.rng.random() < 0.6:
            record_id = self.rng.choice(existing)
            self._update(kind, record_id, n)
        else:
            record_id = self._create(kind, n)
        self.changes.append((kind, record_id, now()))

    def _create(self, kind: str, n: int) -> int:
        if kind == "contact":
            values: dict[str, Any] = {"last_name": f"Person {n}", "email": f"p{n}@soak.example"}
            accounts = self.records["account"]
            if accounts and self.rng.random() < 0.5:
                values["account_id"] = self.rng.choice(accounts)
        else:
            bad = self.rng.random() < BAD_SHARE
            values = {"name": f"Company {n}", "industry": "Alchemy" if bad else "Banking"}
        record_id = self.team.create(kind, **values)
        if kind == "account" and values["industry"] == "Alchemy":
            self.bad.add(f"pf-{self.team.team_id}-account-{record_id}")
        else:
            self.records[kind].append(record_id)  # bad accounts get no contacts or updates
        return record_id

    def _update(self, kind: str, record_id: int, n: int) -> None:
        if kind == "contact":
            self.team.change(kind, record_id, title=f"Title {n}")
        else:
            self.team.change(kind, record_id, phone=f"+1 555 {n:07d}")


def inject_faults(teams: list[BenchTeam], rng: random.Random, stop: threading.Event) -> list[str]:
    fired = []
    while not stop.wait(FAULT_EVERY):
        team, fault = rng.choice(teams), rng.choice(FAULTS)
        team.lf.control.add_fault(
            {**fault, "seed": rng.randint(0, 2**31)} if "fraction" in fault else fault
        )
        fired.append(fault["kind"])
    return fired


def main() -> None:
    rng = random.Random(SEED)
    print(
        f"soak: {MINUTES} min, {RATE} changes/s per team, "
        f"a fault every {FAULT_EVERY} s, seed {SEED}"
    )
    with (
        tempfile.TemporaryDirectory() as temp,
        teams_on_own_orgs(Path(temp), ["a", "b", "c"]) as teams,
    ):
        stop = threading.Event()
        writers = [Writer(team, random.Random(rng.random()), stop) for team in teams]
        drainers = [DrainerThread(team) for team in teams]
        fired: list[str] = []
        faults = threading.Thread(
            target=lambda: fired.extend(inject_faults(teams, rng, stop)), daemon=True
        )
        for thread in [*drainers, *writers, faults]:
            thread.start()
        time.sleep(MINUTES * 60)
        stop.set()
        for thread in [*writers, faults]:
            thread.join(timeout=60)
        for drainer in drainers:
            drainer.stop()
        _report(teams, writers, drainers, fired)


def _report(
    teams: list[BenchTeam], writers: list[Writer], drainers: list[DrainerThread], fired: list[str]
) -> None:
    from collections import Counter

    print(f"faults fired: {dict(Counter(fired))}")
    all_lags: list[float] = []
    verdicts = []
    for team, writer, drainer in zip(teams, writers, drainers, strict=True):
        run_lags = lags(writer.changes, team.log())  # pushes made during the run, real time
        all_lags += run_lags
        for lf_fault in team.lf.control._call("GET", "/faults") or []:
            team.lf.control._call("DELETE", f"/faults/{lf_fault['id']}")
        rounds = team.drain_to_the_end()
        log = team.log()
        pushed = {(e["kind"], e["record_id"]) for e in log if e["outcome"] in SUCCESS}
        retries = sum(1 for e in log if e["outcome"] == "retry")
        report = team.check()
        held = report.external_ids("held")
        verdicts.append(report.ok and held == writer.bad)
        print(
            f"team {team.name}: {len(writer.changes)} changes, {len(pushed)} records pushed, "
            f"{retries / max(1, len(pushed)):.3f} retries per record, "
            f"lag {describe_lags(run_lags)}; "
            f"final drain {rounds} round(s), drainer errors {len(drainer.errors)}"
        )
        print(
            f"  checker: {report.summary()}; "
            f"held = injected bad: {held == writer.bad} ({len(held)})"
        )
        for finding in report.violations[:10]:
            print(f"  VIOLATION {finding.category} {finding.external_id}: {finding.detail}")
        for error in drainer.errors[:3]:
            print(f"  drainer error: {error!r}")
    print(f"all teams: lag {describe_lags(all_lags)}")
    print(
        "VERDICT: " + ("OK — 0 lost, 0 duplicated" if all(verdicts) else "VIOLATIONS (see above)")
    )


if __name__ == "__main__":
    main()
