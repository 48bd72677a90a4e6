"""Crash points for the fault-injection suite (reliability.md §2.2 "failpoints").

``PUSHFORCE_FAILPOINT=<point>`` makes the process kill itself with SIGKILL the first time the
drain reaches that point — exactly what a crash there does: no ``finally``, no settle, the lease
left to expire. Unset (always, in production) a failpoint costs one dictionary look-up.

Points: ``after_claim`` (jobs are running, nothing sent), ``after_response`` (Salesforce answered,
nothing settled). "After the request is sent" needs no hook: localforce's ``commit_then_fail``
with ``seconds`` holds the answer after committing, and the test kills the worker meanwhile.
"""

from __future__ import annotations

import os
import signal

ENV = "PUSHFORCE_FAILPOINT"
POINTS = ("after_claim", "after_response")


def reach(point: str) -> None:
    if os.environ.get(ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)
