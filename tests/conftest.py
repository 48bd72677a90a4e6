"""Shared test configuration. Fixtures live in each suite's own conftest.py."""
