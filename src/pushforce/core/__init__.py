"""The pure core: everything that decides. No I/O, no clock reads, no DB or HTTP imports."""
