"""Chunking and transactions: rows are written a chunk per transaction, and a row the store
refuses is rolled back alone — never half-written (its new company goes with it)."""

import io

from import_helpers import rows

from pushforce.importing.headers import Kind
from pushforce.importing.pipeline import run_import
from pushforce.importing.report import ImportReport
from pushforce.importing.rows import PreparedRow
from pushforce.store import RecordChange, add_write_listener


def _people(count: int, company_every: int = 1) -> str:
    lines = ["Email,Last Name,Company"]
    lines += [f"p{i}@x.com,P{i},Co{i // company_every}" for i in range(count)]
    return "\n".join(lines) + "\n"


class CountingWriter:
    def __init__(self) -> None:
        self.sizes: list[int] = []

    def write(self, kind: Kind, chunk: list[PreparedRow], report: ImportReport) -> None:
        self.sizes.append(len(chunk))
        report.created += len(chunk)


def test_rows_reach_the_writer_in_chunks_of_bounded_size() -> None:
    writer = CountingWriter()
    data = _people(2_500).encode()
    report = run_import("contacts", io.BytesIO(data), writer, chunk_rows=1000)
    assert writer.sizes == [1000, 1000, 500]
    assert report.created == 2_500


def test_chunk_boundaries_do_not_change_the_result(engine, team_id, run) -> None:
    data = _people(7, company_every=3) + "bad,,\n"
    report = run(data, chunk_rows=2)
    assert (report.created, report.accounts_created, report.failed) == (7, 3, 1)
    assert report.errors[0].row == 9
    again = run(data, chunk_rows=3)
    assert (again.created, again.unchanged, again.accounts_created) == (0, 7, 0)
    assert len(rows(engine, "SELECT id FROM accounts WHERE team_id=:t", t=team_id)) == 3


def test_a_row_the_store_refuses_is_rolled_back_alone(engine, team_id, run) -> None:
    def refuse_p3(conn, change: RecordChange) -> None:
        if change.kind == "contact" and change.operation == "insert":
            email = conn.exec_driver_sql(
                "SELECT email FROM contacts WHERE id = ?"
                if engine.dialect.name == "sqlite"
                else "SELECT email FROM contacts WHERE id = %s",
                (change.record_id,),
            ).scalar()
            if email == "p3@x.com":
                raise RuntimeError("listener refused")

    remove = add_write_listener(engine, refuse_p3)
    try:
        report = run(_people(5))
    finally:
        remove()
    assert (report.created, report.failed) == (4, 1)
    assert report.errors[0].row == 5 and "refused" in report.errors[0].reason
    names = rows(engine, "SELECT name FROM accounts WHERE team_id=:t ORDER BY name", t=team_id)
    assert [a["name"] for a in names] == ["Co0", "Co1", "Co2", "Co4"]  # Co3 went with p3
    emails = rows(engine, "SELECT email FROM contacts WHERE team_id=:t ORDER BY email", t=team_id)
    assert [c["email"] for c in emails] == ["p0@x.com", "p1@x.com", "p2@x.com", "p4@x.com"]


def test_progress_is_reported_after_each_chunk() -> None:
    seen: list[int] = []
    run_import(
        "contacts",
        io.BytesIO(_people(25).encode()),
        CountingWriter(),
        chunk_rows=10,
        on_progress=lambda report: seen.append(report.created),
    )
    assert seen == [10, 20]
