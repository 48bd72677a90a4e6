"""Load (reliability.md §2.5): the REST API under open-loop load with the engine running, the
drain rate of a 30-minute-outage backlog, and fairness between two teams.

    python -m bench load                     # all three parts
    python -m bench load api|backlog|fair    # one part (LOAD_PARTS=api,fair also works)

Sizes by environment: LOAD_RATES (requests/s steps, default 25,50,100,200,400), LOAD_STEP_SECONDS
(15), LOAD_P99_MS (the latency bar, 250), BACKLOG_RATE × BACKLOG_MINUTES changes (10/s × 30
min = 18,000), FAIR_RECORDS (the big push-all, 20,000 — scaled down from a million to fit a
shared two-core machine), FAIR_RATE (team B's changes/s, 5), FAIR_SECONDS (30).
PUSHFORCE_BENCH_DATABASE_URL picks the store (default: SQLite in a temporary directory).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench._load_api import api_load
from bench._load_engine import backlog_drain, fairness

PARTS = (sys.argv[2:] and sys.argv[2].split(",")) or os.environ.get(
    "LOAD_PARTS", "api,backlog,fair"
).split(",")


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        if "api" in PARTS:
            api_load(work / "api")
        if "backlog" in PARTS:
            backlog_drain(work / "backlog")
        if "fair" in PARTS:
            fairness(work / "fair")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"load: {time.perf_counter() - started:.0f} s")
