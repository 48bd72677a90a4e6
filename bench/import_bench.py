"""CSV import throughput and memory: 100,000 and 1,000,000 contacts into a fresh SQLite store.

Each size runs in its own subprocess (so peak memory figures don't mix): it writes a contacts
CSV into a temporary directory (every row with a company; 1 company per 10 people), migrates a
new SQLite database, creates a team and imports the file with ``import_csv`` (the path the API
and CLI use). It prints rows per second and the process's peak resident memory
(``ru_maxrss``), next to the resident memory before the import started, so the growth the import
itself causes is visible.

Sizes: ``IMPORT_BENCH_ROWS=100000,1000000`` (the default). ``python -m bench import_bench``.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [int(n) for n in os.environ.get("IMPORT_BENCH_ROWS", "100000,1000000").split(",")]
HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Email Status",
    "Title",
    "Phone",
    "Company",
    "Website",
]
STATUSES = ("verified", "guessed", "unavailable")


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            company = i // 10
            status = STATUSES[i % 3]
            email = "" if status == "unavailable" else f"person{i}@company{company}.example.com"
            writer.writerow(
                [f"First{i}", f"Last{i}", email, status, "Engineer", f"+1 555 {i % 10_000:04d}",
                 f"Company {company}", f"https://company{company}.example.com"]
            )  # fmt: skip


def peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(rows: int) -> dict[str, float]:
    """One measured import (runs in the child process)."""
    from pushforce.importing.service import import_csv
    from pushforce.store import create_team, make_engine, migrate, write_transaction

    with tempfile.TemporaryDirectory(prefix="pushforce-import-bench-") as tmp:
        csv_path = Path(tmp) / "contacts.csv"
        write_csv(csv_path, rows)
        engine = make_engine(f"sqlite:///{tmp}/pushforce.db")
        migrate(engine)
        with write_transaction(engine) as conn:
            team_id = int(create_team(conn, "bench")["id"])
        before = peak_rss_mib()
        started = time.perf_counter()
        with csv_path.open("rb") as stream:
            report = import_csv(engine, team_id, "contacts", stream)
        seconds = time.perf_counter() - started
        engine.dispose()
    assert report.created == rows and report.failed == 0, report
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "rss_before_mib": before,
        "peak_rss_mib": peak_rss_mib(),
        "accounts_created": report.accounts_created,
    }


def measure_in_subprocess(rows: int) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.import_bench", "--one", str(rows)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=root)
    output = done.stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    print(f"{'rows':>10} {'seconds':>9} {'rows/s':>9} {'RSS before':>11} {'peak RSS':>9}")
    for rows in SIZES:
        result = measure_in_subprocess(rows)
        print(
            f"{result['rows']:>10,} {result['seconds']:>9.1f} {result['rows_per_second']:>9,.0f} "
            f"{result['rss_before_mib']:>8.0f} MiB {result['peak_rss_mib']:>5.0f} MiB",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(run_one(int(sys.argv[2]))))
    else:
        main()
