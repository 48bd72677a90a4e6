"""Salesforce record ids: key prefixes, the 18-character checksum, 15/18-char normalisation.

An id is 15 case-sensitive characters (3-char key prefix, then an instance code and a base-62
counter). The 18-character form appends three checksum characters that encode which of the
first 15 characters are upper case, so the 18-char form can be compared case-insensitively.
"""

from __future__ import annotations

import itertools
import threading

CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_CHARS = frozenset(BASE62)

KEY_PREFIXES: dict[str, str] = {
    "Account": "001",
    "Contact": "003",
    "Lead": "00Q",
    "Opportunity": "006",
    "OpportunityContactRole": "00K",
    "Task": "00T",
    "Event": "00U",
    "ContentNote": "069",
    "ContentDocument": "069",
    "ContentDocumentLink": "06A",
    "User": "005",
    "Organization": "00D",
}

INSTANCE_CODE = "8a"


def checksum(id15: str) -> str:
    """The three checksum characters of a 15-character id."""
    chunks = (id15[k * 5 : k * 5 + 5] for k in range(3))
    return "".join(
        CHECKSUM_ALPHABET[sum(1 << j for j, c in enumerate(chunk) if "A" <= c <= "Z")]
        for chunk in chunks
    )


def to18(id15: str) -> str:
    return id15 + checksum(id15)


def to15(record_id: str) -> str:
    return record_id[:15]


def _restore_case(id18: str) -> str | None:
    """Undo any case change of an 18-char id using its checksum; None when the suffix is invalid."""
    chars = list(id18[:15])
    for chunk, suffix_char in enumerate(id18[15:].upper()):
        bits = CHECKSUM_ALPHABET.find(suffix_char)
        if bits < 0:
            return None
        for j in range(5):
            i = chunk * 5 + j
            chars[i] = chars[i].upper() if bits & (1 << j) else chars[i].lower()
    return "".join(chars)


def normalize(value: object) -> str | None:
    """The canonical 18-char form of a 15- or 18-char id, or None when `value` is not an id."""
    if not isinstance(value, str) or len(value) not in (15, 18):
        return None
    if not _ID_CHARS.issuperset(value):
        return None
    if len(value) == 15:
        return to18(value)
    restored = _restore_case(value)
    if restored is None:
        return None
    return to18(restored)


def key_prefix(record_id: str) -> str:
    return record_id[:3]


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rem = divmod(number, 62)
        digits.append(BASE62[rem])
    return "".join(reversed(digits))


class IdGenerator:
    """Mints new ids per key prefix from one monotonically increasing counter (thread-safe)."""

    def __init__(self, start: int = 1) -> None:
        self._counter = itertools.count(start)
        self._lock = threading.Lock()
        self.last = start - 1

    def new(self, prefix: str) -> str:
        with self._lock:
            self.last = next(self._counter)
        # prefix (3) + instance code (2) + reserved "0" + 9-digit base-62 counter = 15 chars
        return to18(f"{prefix}{INSTANCE_CODE}0{_base62(self.last, 9)}")
