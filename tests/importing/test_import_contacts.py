"""Importing contacts: records land in the DB, companies are found or created, and re-importing
the same file changes nothing (R2: imported contacts are net-new records with origin=imported)."""

import io

from import_helpers import new_team, rows

from pushforce.importing.service import import_csv

PEOPLE = """First Name,Last Name,Email,Email Status,Company,Website,Title,Phone,Mobile,Stage
Ada,Lovelace,ADA@acme.com,verified,Acme,https://www.acme.com,CEO,+1 555 0100,,New
Alan,Turing,alan@acme.com,guessed,ACME,,CTO,,+1 555 0101,qualified
Grace,Hopper,,unavailable,Navy,navy.mil,Admiral,,,
Linus,Torvalds,linus@kernel.org,,,,,,,
"""


def _contacts(engine, team_id):
    return rows(
        engine,
        "SELECT c.*, s.name AS stage FROM contacts c LEFT JOIN stages s ON s.id = c.stage_id "
        "WHERE c.team_id = :t ORDER BY c.id",
        t=team_id,
    )


def test_contacts_and_their_companies_are_created(engine, team_id, run) -> None:
    report = run(PEOPLE)
    assert (report.rows, report.created, report.failed, report.accounts_created) == (4, 4, 0, 2)
    contacts = _contacts(engine, team_id)
    accounts = {
        a["id"]: a for a in rows(engine, "SELECT * FROM accounts WHERE team_id=:t", t=team_id)
    }
    ada, alan, grace, linus = contacts
    assert ada["email"] == "ada@acme.com" and ada["stage"] == "New" and ada["title"] == "CEO"
    assert alan["email_status"] == "guessed" and alan["stage"] == "Qualified"
    assert alan["mobile_phone"] == "+1 555 0101"
    assert ada["account_id"] == alan["account_id"]  # "ACME" is the same company as "Acme"
    assert accounts[ada["account_id"]]["domain"] == "acme.com"
    assert accounts[grace["account_id"]]["name"] == "Navy"
    assert grace["email"] is None and grace["email_status"] == "unavailable"
    assert linus["account_id"] is None and linus["email_status"] == "verified"
    assert {c["origin"] for c in contacts} == {"imported"}


def test_reimporting_the_same_file_changes_nothing(any_engine) -> None:
    team_id = new_team(any_engine)
    first = import_csv(any_engine, team_id, "contacts", io.BytesIO(PEOPLE.encode()))
    before = rows(any_engine, "SELECT * FROM contacts WHERE team_id=:t ORDER BY id", t=team_id)
    accounts_before = rows(any_engine, "SELECT * FROM accounts WHERE team_id=:t", t=team_id)
    again = import_csv(any_engine, team_id, "contacts", io.BytesIO(PEOPLE.encode()))
    assert (first.created, again.created, again.updated, again.unchanged) == (4, 0, 0, 4)
    assert again.accounts_created == 0 and again.accounts_updated == 0
    assert (
        rows(any_engine, "SELECT * FROM contacts WHERE team_id=:t ORDER BY id", t=team_id) == before
    )
    assert rows(any_engine, "SELECT * FROM accounts WHERE team_id=:t", t=team_id) == accounts_before


def test_changed_cells_update_only_those_fields_and_blank_cells_clear_nothing(
    engine, team_id, run
) -> None:
    run(PEOPLE)
    changed = (
        "Email,Last Name,Title,Phone\n"
        "ada@acme.com,Lovelace,Countess,\n"  # new title, blank phone
        "alan@acme.com,Turing,CTO,\n"  # the same values
    )
    report = run(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    ada = _contacts(engine, team_id)[0]
    assert ada["title"] == "Countess" and ada["phone"] == "+1 555 0100"
    assert ada["origin"] == "imported" and ada["email_status"] == "verified"


def test_companies_match_by_domain_then_by_name_case_insensitively(engine, team_id, run) -> None:
    run("Company,Website\nGlobex Corporation,https://globex.com\nInitech,\n", kind="accounts")
    report = run(
        "Email,Last Name,Company,Website\n"
        "a@x.com,A,Globex,http://www.GLOBEX.com/about\n"  # other name, same domain
        "b@x.com,B,INITECH,\n"  # same name, other case
        "c@x.com,C,Initech,initech.io\n"  # Initech has no domain yet: the name matches
        "d@x.com,D,Globex Corporation,globex.net\n"  # same name, contradicting domain: new
    )
    assert report.accounts_created == 1
    accounts = rows(
        engine, "SELECT id, name, domain FROM accounts WHERE team_id=:t ORDER BY id", t=team_id
    )
    globex, initech, other = accounts
    people = {c["last_name"]: c["account_id"] for c in _contacts(engine, team_id)}
    assert people == {"A": globex["id"], "B": initech["id"], "C": initech["id"], "D": other["id"]}
    assert initech["domain"] == "initech.io"  # a contact row fills a company's empty fields
    assert report.accounts_updated == 1
    assert other == {"id": other["id"], "name": "Globex Corporation", "domain": "globex.net"}


def test_contact_rows_never_overwrite_company_data(engine, team_id, run) -> None:
    run("Company,Website,Industry\nAcme,acme.com,Software\n", kind="accounts")
    report = run("Email,Last Name,Company,Website,Industry\na@acme.com,A,Acme,acme.com,Retail\n")
    assert report.accounts_updated == 0
    assert rows(engine, "SELECT industry FROM accounts WHERE team_id=:t", t=team_id) == [
        {"industry": "Software"}
    ]


def test_people_without_email_match_by_name_and_company(engine, team_id, run) -> None:
    data = "First Name,Last Name,Company\nBo,Diddley,Chess\nBo,Diddley,Checker\n"
    assert run(data).created == 2
    again = run(data)
    assert (again.created, again.unchanged) == (0, 2)


def test_full_name_is_split_and_custom_columns_are_merged(engine, team_id, run) -> None:
    data = "Name,Email,Shoe Size,Team\nAda King Lovelace,ada@x.com,38,Blue\n"
    column_map = {"Shoe Size": "custom.shoe_size", "Team": "custom.team"}
    run(data, column_map=column_map)
    run("Email,Last Name,Team\nada@x.com,Lovelace,Red\n", column_map={"Team": "custom.team"})
    (ada,) = _contacts(engine, team_id)
    assert (ada["first_name"], ada["last_name"]) == ("Ada King", "Lovelace")
    custom = (
        ada["custom"]
        if isinstance(ada["custom"], dict)
        else __import__("json").loads(ada["custom"])
    )
    assert custom == {"shoe_size": "38", "team": "Red"}


def test_column_map_overrides_recognised_headers(engine, team_id, run) -> None:
    data = "Name,Org,Status\nLovelace,Analytical Engines,someone\n"
    report = run(data, column_map={"Name": "last_name", "Org": "company", "Status": ""})
    assert report.created == 1 and report.failed == 0
    assert rows(engine, "SELECT name FROM accounts WHERE team_id=:t", t=team_id) == [
        {"name": "Analytical Engines"}
    ]


def test_teams_are_isolated_on_import(engine, run, team_id) -> None:
    other = new_team(engine)
    import_csv(engine, other, "contacts", io.BytesIO(PEOPLE.encode()))
    report = run(PEOPLE)
    assert report.created == 4 and report.accounts_created == 2


def test_every_imported_record_passes_the_write_hook_once(engine, team_id, run) -> None:
    """R2/R9: the push engine hears of imported records exactly as of created ones."""
    from pushforce.store import add_write_listener

    heard: list[tuple[str, str]] = []
    remove = add_write_listener(
        engine, lambda conn, change: heard.append((change.kind, change.operation))
    )
    try:
        run(PEOPLE)
        inserts = sorted(heard)
        heard.clear()
        run(PEOPLE)
        unchanged = list(heard)
        run("Email,Last Name,Title\nada@acme.com,Lovelace,Countess\n")
    finally:
        remove()
    assert inserts == [("account", "insert")] * 2 + [("contact", "insert")] * 4
    assert unchanged == []
    assert heard == [("contact", "update")]


def test_owner_column_names_a_team_user_by_email_or_name(engine, team_id, run) -> None:
    from pushforce.store import create_user, write_transaction

    with write_transaction(engine) as conn:
        rep = create_user(conn, team_id, f"rep{team_id}@x.com", "Ray Rep")["id"]
    data = (
        "Email,Last Name,Owner\n"
        f"a@x.com,A,REP{team_id}@x.com\n"
        "b@x.com,B,ray rep\n"
        "c@x.com,C,nobody@x.com\n"
    )
    report = run(data)
    assert (report.created, report.failed) == (2, 1)
    assert (report.errors[0].row, report.errors[0].column) == (4, "Owner")
    assert "no user 'nobody@x.com'" in report.errors[0].reason
    owners = rows(engine, "SELECT owner_id FROM contacts WHERE team_id=:t ORDER BY id", t=team_id)
    assert owners == [{"owner_id": rep}, {"owner_id": rep}]
    assert run(data).unchanged == 2
