"""A value that must never be printed: tokens, client secrets, private keys (reliability §3.5)."""

from __future__ import annotations

from typing import Any

__all__ = ["REDACTED", "Secret"]

REDACTED = "**********"


class Secret:
    """Wraps a secret string; ``str``/``repr``/format show only a mask. Read it with
    :meth:`reveal` at the one place it is sent."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("a Secret cannot be pickled")
