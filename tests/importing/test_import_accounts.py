"""Importing accounts (R9: imported companies are net-new records like created ones)."""

from import_helpers import rows

COMPANIES = (
    "Account Name,Website,Industry,# Employees,Stage,Phone\n"
    'Globex,https://www.globex.com,Energy,"1,200",Customer,+1 555 0100\n'
    "Initech,,Software,40,prospect,\n"
)


def _accounts(engine, team_id):
    return rows(
        engine,
        "SELECT a.name, a.domain, a.website, a.industry, a.employees, a.phone, s.name AS stage "
        "FROM accounts a LEFT JOIN stages s ON s.id = a.stage_id WHERE a.team_id=:t ORDER BY a.id",
        t=team_id,
    )


def test_accounts_are_created_with_every_recognised_field(engine, team_id, run) -> None:
    report = run(COMPANIES, kind="accounts")
    assert (report.created, report.failed) == (2, 0)
    globex, initech = _accounts(engine, team_id)
    assert globex == {
        "name": "Globex", "domain": "globex.com", "website": "https://www.globex.com",
        "industry": "Energy", "employees": 1200, "phone": "+1 555 0100", "stage": "Customer",
    }  # fmt: skip
    assert initech["stage"] == "Prospect" and initech["domain"] is None


def test_reimport_is_idempotent_and_a_changed_cell_updates_only_that_field(
    engine, team_id, run
) -> None:
    run(COMPANIES, kind="accounts")
    again = run(COMPANIES, kind="accounts")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    before = _accounts(engine, team_id)[0]
    data = "Company,Website,Industry\nGlobex,https://www.globex.com,Utilities\n"
    changed = run(data, kind="accounts")
    assert (changed.created, changed.updated) == (0, 1)
    assert _accounts(engine, team_id)[0] == before | {"industry": "Utilities"}


def test_the_same_company_twice_in_a_file_reports_the_later_row(engine, team_id, run) -> None:
    report = run("Company,Website\nAcme,acme.com\nACME Inc,www.acme.com\n", kind="accounts")
    assert (report.created, report.failed) == (1, 1)
    assert report.errors[0].reason == "the same company as row 2"


def test_unknown_account_stage_names_the_column(engine, team_id, run) -> None:
    report = run("Company,Status\nAcme,Thinking\n", kind="accounts")
    assert report.errors[0].column == "Status"
    assert "no account stage 'Thinking'" in report.errors[0].reason
