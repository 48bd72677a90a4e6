"""localforce at scale, through simple-salesforce over HTTPS (issue 3 performance targets).

Starts ``localforce serve``, loads N records (1,000,000 by default: one Account per four
Contacts) with Bulk API 2.0, then measures:

* a 200-record sObject Collections upsert by ``Pushforce_Id__c`` (median, p95),
* a 200-value ``Email IN (...)`` SOQL query (median, p95),
* a Bulk API 2.0 ingest of 100,000 Contact rows (create → JobComplete),
* the server's peak resident memory (VmHWM).

Smaller runs: ``LOCALFORCE_BENCH_RECORDS=100000 LOCALFORCE_BENCH_BULK_ROWS=20000 make bench``.
The latency and bulk-rate models stay off: these are localforce's own costs.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from simple_salesforce import Salesforce

from localforce.testing import trusting_session

RECORDS = int(os.environ.get("LOCALFORCE_BENCH_RECORDS", "1000000"))
BULK_ROWS = int(os.environ.get("LOCALFORCE_BENCH_BULK_ROWS", "100000"))
ROUNDS = int(os.environ.get("LOCALFORCE_BENCH_ROUNDS", "50"))
LOAD_CHUNK = 100_000
API_VERSION = "60.0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(data_dir: Path, token: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "localforce",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--token",
        token,
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        ready = server.stdout.readline()  # the one line localforce prints when it is ready
        if server.poll() is not None or "ready" not in ready:
            raise SystemExit(f"localforce did not start: {ready}{server.stdout.read()}")
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def connect(port: int, token: str, data_dir: Path) -> Salesforce:
    session = trusting_session(data_dir / "ca.pem")
    return Salesforce(
        instance_url=f"https://127.0.0.1:{port}",
        session_id=token,
        session=session,
        version=API_VERSION,
    )


def _csv_file(directory: Path, name: str, header: str, lines: Iterator[str]) -> str:
    path = directory / name
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        for line in lines:
            out.write(line + "\n")
    return str(path)


def _bulk_insert(sf: Salesforce, sobject: str, csv_path: str) -> str:
    results = getattr(sf.bulk2, sobject).insert(csv_file=csv_path, wait=0.2)
    failed = sum(int(r["numberRecordsFailed"]) for r in results)
    if failed:
        raise SystemExit(f"{failed} {sobject} rows failed during the load")
    return str(results[0]["job_id"])


def load(sf: Salesforce, work: Path, total: int) -> None:
    accounts = max(1, total // 5)
    contacts = total - accounts
    started = time.perf_counter()
    for first in range(0, accounts, LOAD_CHUNK):
        rows = (
            f"Company {i},https://company{i}.example.com,acct-{i}"
            for i in range(first, min(accounts, first + LOAD_CHUNK))
        )
        path = _csv_file(work, "accounts.csv", "Name,Website,Pushforce_Id__c", rows)
        _delete_job(sf, _bulk_insert(sf, "Account", path))
    for first in range(0, contacts, LOAD_CHUNK):
        rows = (
            f"First{i},Last{i},person{i}@example.com,con-{i},acct-{i % accounts}"
            for i in range(first, min(contacts, first + LOAD_CHUNK))
        )
        header = "FirstName,LastName,Email,Pushforce_Id__c,Account.Pushforce_Id__c"
        path = _csv_file(work, "contacts.csv", header, rows)
        _delete_job(sf, _bulk_insert(sf, "Contact", path))
    print(
        f"loaded {accounts:,} accounts + {contacts:,} contacts "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def _delete_job(sf: Salesforce, job_id: str) -> None:
    # Finished jobs keep their rows for the result files; dropping them keeps memory for records.
    # (simple-salesforce's delete_job expects a JSON body, but the answer is 204 No Content.)
    url = f"{sf.base_url}jobs/ingest/{job_id}"
    response = sf.session.delete(url, headers=sf.headers, timeout=60)
    assert response.status_code == 204, response.text


def timed(rounds: int, action: Callable[[int], object]) -> tuple[float, float]:
    samples = []
    for round_number in range(rounds):
        started = time.perf_counter()
        action(round_number)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def collections_upsert(sf: Salesforce, contacts: int) -> Callable[[int], object]:
    def upsert(round_number: int) -> object:
        picked = random.sample(range(contacts), 200)
        records = [
            {
                "attributes": {"type": "Contact"},
                "Pushforce_Id__c": f"con-{i}",
                "Title": f"Title {round_number}",
            }
            for i in picked
        ]
        results = sf.restful(
            "composite/sobjects/Contact/Pushforce_Id__c",
            method="PATCH",
            json={"allOrNone": False, "records": records},
        )
        assert all(r["success"] for r in results), results[:3]
        return results

    return upsert


def email_query(sf: Salesforce, contacts: int) -> Callable[[int], object]:
    def query(round_number: int) -> object:
        emails = ", ".join(f"'person{i}@example.com'" for i in random.sample(range(contacts), 200))
        result = sf.query(f"SELECT Id, Email FROM Contact WHERE Email IN ({emails})")
        assert result["totalSize"] == 200, result["totalSize"]
        return result

    return query


def bulk_ingest(sf: Salesforce, work: Path, rows: int) -> float:
    lines = (f"Bulk{i},bulk{i}@example.org" for i in range(rows))
    path = _csv_file(work, "bulk.csv", "LastName,Email", lines)
    started = time.perf_counter()
    results = sf.bulk2.Contact.insert(csv_file=path, wait=0.2)
    elapsed = time.perf_counter() - started
    processed = sum(int(r["numberRecordsProcessed"]) for r in results)
    assert processed == rows, results
    return elapsed


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    random.seed(7)
    token = secrets.token_urlsafe(24)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(Path(tmp) / "data", token) as (
            server,
            port,
        ),
    ):
        work = Path(tmp)
        sf = connect(port, token, work / "data")
        load(sf, work, RECORDS)
        contacts = RECORDS - max(1, RECORDS // 5)
        upsert = timed(ROUNDS, collections_upsert(sf, contacts))
        query = timed(ROUNDS, email_query(sf, contacts))
        bulk_seconds = bulk_ingest(sf, work, BULK_ROWS)
        rss = peak_rss_mb(server.pid)
    print(f"records loaded:                      {RECORDS:,}")
    print(f"collections upsert, 200 records:     median {upsert[0]:.1f} ms, p95 {upsert[1]:.1f} ms")
    print(f"SOQL Email IN (200 values):          median {query[0]:.1f} ms, p95 {query[1]:.1f} ms")
    print(f"Bulk 2.0 ingest, {BULK_ROWS:,} rows:        {bulk_seconds:.1f} s")
    print(f"server peak RSS:                     {rss:,.0f} MB", flush=True)
