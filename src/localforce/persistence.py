"""State across restarts: a pickle snapshot of every record in ``<data-dir>/state.pickle``.

Records are immutable dicts, so a snapshot copies the list of references under the org lock
and pickles outside it, in chunks of 10,000 with the pickle memo cleared between chunks (one
memo over a million records would cost more memory than the records). It is written
atomically (temp file + rename) periodically while the org changes
(``snapshot_interval_seconds``) and on shutdown; on start it is loaded if present.
A crash loses at most one interval of writes — acceptable for a test double, and far cheaper at
a million records than an append log on every write.

Formats: 3 (current) holds records exactly as the org keeps them — dates ``YYYY-MM-DD`` and
datetimes ``YYYY-MM-DDTHH:MM:SS.000+0000`` as strings. Format 1 (one pickle) and format 2
(chunks) came from releases that could store Python ``date``/``datetime`` objects; they still
load, their values converted to those strings, and the next save writes format 3.
"""

from __future__ import annotations

import os
import pickle
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from localforce.org import Org
from localforce.values import format_datetime

SNAPSHOT_NAME = "state.pickle"
FORMAT = 3
LEGACY_FORMATS = (1, 2)
CHUNK = 10_000


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
            header = {"format": FORMAT, "id_last": self.org.ids.last, "count": len(records)}
            change = self.org.changes
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dump(header)
            pickler.clear_memo()  # every dump stands alone, so each can be loaded on its own
            for start in range(0, len(records), CHUNK):
                pickler.dump(records[start : start + CHUNK])
                pickler.clear_memo()  # keeps the memo (and memory) small at a million records
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        self.saved_at_change = change
        return self.path

    def load(self) -> bool:
        if not self.path.exists():
            return False
        with open(self.path, "rb") as handle:
            header = pickle.load(handle)  # our own file in our own data dir
            version = header.get("format") if isinstance(header, dict) else None
            if version != FORMAT and version not in LEGACY_FORMATS:
                raise ValueError(f"{self.path}: not a localforce snapshot (format {version!r})")
            records = _read_records(header, handle)
        if version != FORMAT:
            records = [_upgraded(record) for record in records]
        self.org.load_records(records, header["id_last"])
        self.saved_at_change = self.org.changes
        return True


def _read_records(header: dict[str, Any], handle: IO[bytes]) -> list[dict[str, Any]]:
    if header["format"] == 1:  # the whole org in the header pickle
        return list(header["records"])
    return [r for _ in range(_chunks(header["count"])) for r in pickle.load(handle)]


def _upgraded(record: dict[str, Any]) -> dict[str, Any]:
    """A legacy record with its date/datetime objects written as the org's strings."""
    if not any(isinstance(value, date) for value in record.values()):
        return record
    return {name: _as_stored(value) for name, value in record.items()}


def _as_stored(value: Any) -> Any:
    if isinstance(value, datetime):  # before date: every datetime is a date too
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _chunks(count: int) -> int:
    return (count + CHUNK - 1) // CHUNK
