"""``localforce serve --host H --port P --data-dir D [--token T] [--config F]``."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("localforce: not built yet")
