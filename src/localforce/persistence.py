"""State across restarts: a pickle snapshot of every record in ``<data-dir>/state.pickle``.

Records are immutable dicts, so a snapshot copies the list of references under the org lock
and pickles outside it. It is written atomically (temp file + rename) periodically while the
org changes (``snapshot_interval_seconds``) and on shutdown; on start it is loaded if present.
A crash loses at most one interval of writes — acceptable for a test double, and far cheaper at
a million records than an append log on every write.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from localforce.org import Org

SNAPSHOT_NAME = "state.pickle"
FORMAT = 1


class Persistence:
    def __init__(self, org: Org, data_dir: Path) -> None:
        self.org = org
        self.path = data_dir / SNAPSHOT_NAME
        self.saved_at_change = -1

    @property
    def dirty(self) -> bool:
        return self.org.changes != self.saved_at_change

    def save(self) -> Path:
        with self.org.lock:
            records = list(self.org.records.values())
            snapshot: dict[str, Any] = {
                "format": FORMAT,
                "records": records,
                "id_last": self.org.ids.last,
            }
            change = self.org.changes
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        self.saved_at_change = change
        return self.path

    def load(self) -> bool:
        if not self.path.exists():
            return False
        with open(self.path, "rb") as handle:
            snapshot = pickle.load(handle)  # our own file in our own data dir
        if snapshot.get("format") != FORMAT:
            raise ValueError(f"{self.path}: unknown snapshot format {snapshot.get('format')!r}")
        self.org.load_records(snapshot["records"], snapshot["id_last"])
        self.saved_at_change = self.org.changes
        return True
