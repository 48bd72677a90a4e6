"""Snapshots keep records, deleted rows, indexes and the id counter across restarts (§13)."""

from __future__ import annotations

from pathlib import Path

from localforce.org import Org
from localforce.persistence import CHUNK, Persistence
from localforce.schema import build_schema


def test_snapshot_of_several_chunks_round_trips(tmp_path: Path) -> None:
    org = Org(build_schema())
    ids = [
        org.insert("Contact", {"LastName": f"L{i}", "Email": f"e{i}@x.com"})
        for i in range(CHUNK + 5)
    ]
    org.delete(ids[0])
    persistence = Persistence(org, tmp_path)
    persistence.save()
    assert not persistence.dirty

    restored = Org(build_schema())
    assert Persistence(restored, tmp_path).load()
    assert restored.count("Contact") == CHUNK + 5
    assert restored.get(ids[0])["IsDeleted"] is True  # type: ignore[index]
    found = restored.lookup("Contact", "Email", [f"E{CHUNK}@X.COM"])
    assert found and found[0]["Id"] == ids[CHUNK]
    assert restored.insert("Contact", {"LastName": "new"}) not in ids


def test_no_snapshot_means_an_empty_org(tmp_path: Path) -> None:
    org = Org(build_schema())
    assert Persistence(org, tmp_path).load() is False
    assert org.count("Contact") == 0


def test_a_reset_org_is_never_mistaken_for_the_snapshot(tmp_path: Path) -> None:
    org = Org(build_schema())
    persistence = Persistence(org, tmp_path)
    org.insert("Contact", {"LastName": "Before"})
    persistence.save()
    org.reset()
    org.insert("Contact", {"LastName": "After"})  # as many writes since the start as before
    assert persistence.dirty
    persistence.save()
    restored = Org(build_schema())
    Persistence(restored, tmp_path).load()
    assert [r["LastName"] for r in restored.scan("Contact")] == ["After"]
