"""`make bench`: run every benchmark module in bench/ that has a main(), printing figures."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    only = sys.argv[1:]
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.startswith("_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if hasattr(module, "main"):
            print(f"== bench.{info.name}", flush=True)
            module.main()


main()
