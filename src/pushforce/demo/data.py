"""Deterministic, realistic demo records (plain dicts in the input models' vocabulary).

Everything comes from one seeded ``random.Random`` and a fixed anchor time, so two runs produce
the same data. Ids of parents are not known here: children refer to parents by their index in
the generated lists (``account_index``, ``contact_indexes``, …) and ``pushforce.demo`` turns those
into ids as it writes.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pushforce.store.stages import DEFAULT_STAGES

ANCHOR = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "John",
    "Katherine",
    "Guido",
    "Sophie",
    "Yukihiro",
    "Anita",
    "Bjarne",
    "Lucía",
    "Mateo",
    "Aiyana",
    "Chen",
    "Priya",
    "Olusegun",
    "Ines",
    "Tomasz",
    "Freya",
    "Kwame",
    "Noor",
    "Hiroshi",
    "Amara",
    "Lars",
    "Zeynep",
    "Diego",
    "Ingrid",
    "Rahul",
    "Elif",
    "Mika",
    "Chiara",
    "Omar",
    "Sakura",
    "Jonas",
]
LAST_NAMES = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "McCarthy",
    "Johnson",
    "Rossum",
    "Wilson",
    "Matsumoto",
    "Borg",
    "Stroustrup",
    "García",
    "Silva",
    "Begay",
    "Wei",
    "Natarajan",
    "Obasanjo",
    "Moreau",
    "Kowalski",
    "Nielsen",
    "Mensah",
    "Haddad",
    "Tanaka",
    "Okafor",
    "Eriksson",
    "Yılmaz",
    "Fernández",
    "Larsen",
    "Sharma",
    "Demir",
    "Virtanen",
    "Russo",
    "Farouk",
    "Sato",
    "Becker",
    "O'Neil",
]
COMPANY_WORDS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Wonka",
    "Gringotts",
    "Oscorp",
    "Aperture",
    "Black-Mesa",
    "Pied-Piper",
    "Dunder",
    "Sterling",
    "Massive",
    "Monarch",
    "Nakatomi",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Adventure",
    "Litware",
    "Proseware",
    "Lucerne",
    "Alpine",
    "Blue-Yonder",
    "Coho",
    "Fourth-Coffee",
    "Margie",
    "Southridge",
    "Trey",
    "Wingtip",
    "Woodgrove",
    "Humongous",
]
COMPANY_SUFFIXES = (
    "Inc",
    "Labs",
    "Systems",
    "Group",
    "GmbH",
    "Ltd",
    "Analytics",
    "Robotics",
    "Health",
)
INDUSTRIES = (
    "Software", "Manufacturing", "Healthcare", "Financial Services", "Retail", "Logistics",
    "Education", "Energy", "Media", "Biotechnology", "Construction", "Hospitality",
)  # fmt: skip
TITLES = (
    "CEO", "CTO", "VP Sales", "Head of Marketing", "Sales Manager", "Account Executive",
    "Software Engineer", "Operations Lead", "Procurement Manager", "CFO", "Data Analyst",
    "Customer Success Manager", "Product Manager", "IT Director", "Office Manager",
)  # fmt: skip
ROLES = ("Decision Maker", "Economic Buyer", "Technical Buyer", "Influencer", "Evaluator", None)
DISPOSITIONS = ("Connected", "Left voicemail", "No answer", "Wrong number", "Meeting booked")
PURPOSES = ("Prospecting", "Follow-up", "Demo", "Negotiation", "Renewal")
SUBJECTS = (
    "Quick question about {company}", "Following up on our call", "Pricing for {company}",
    "Re: next steps", "Intro: Pushforce x {company}", "Contract draft", "Demo recording",
)  # fmt: skip
MEETING_TITLES = ("Discovery call", "Product demo", "Pricing review", "Quarterly business review")
NOTE_BODIES = (
    "Budget approved for Q{q}; decision expected within {n} weeks.",
    "Prefers email over phone. Travelling until the {n}th.",
    "Asked for a security questionnaire and SOC 2 report.",
    "Champion is {first}; legal review takes about {n} days.",
)  # fmt: skip

STAGES = {obj: tuple(name for name, _ in stages) for obj, stages in DEFAULT_STAGES.items()}


@dataclass
class DemoSize:
    accounts: int = 300
    contacts: int = 3000
    deals: int = 200
    emails: int = 1600
    notes: int = 400
    tasks: int = 400
    calls: int = 400
    meetings: int = 240
    conversations: int = 120


@dataclass
class DemoData:
    accounts: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)
    activities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _slug(text: str) -> str:
    """ASCII letters and digits only: Salesforce rejects non-ASCII email local parts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def when(rng: random.Random, days_back: int = 180) -> datetime:
    return ANCHOR - timedelta(minutes=rng.randrange(days_back * 24 * 60))


def make_accounts(rng: random.Random, count: int) -> list[dict[str, Any]]:
    accounts = []
    for index in range(count):
        word = COMPANY_WORDS[index % len(COMPANY_WORDS)].replace("-", " ")
        suffix = COMPANY_SUFFIXES[(index // len(COMPANY_WORDS)) % len(COMPANY_SUFFIXES)]
        name = f"{word} {suffix}"
        domain = f"{_slug(word)}-{_slug(suffix)}.example.com"
        accounts.append(
            {
                "name": name,
                "website": f"https://www.{domain}",
                "phone": f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                "industry": rng.choice(INDUSTRIES),
                "employees": rng.choice((8, 25, 60, 140, 400, 1200, 5000, 22000)),
                "stage": rng.choice(STAGES["account"]),
                "saved": rng.random() < 0.3,
            }
        )
    return accounts


def make_contacts(
    rng: random.Random, count: int, accounts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    statuses = ("verified", "guessed", "unavailable")
    contacts = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        account_index = index % len(accounts) if accounts else None
        contact: dict[str, Any] = {
            "first_name": first,
            "last_name": last,
            "title": rng.choice(TITLES),
            "email_status": statuses[index % 3],
            "phone": f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            "stage": rng.choice(STAGES["contact"]),
            "saved": rng.random() < 0.25,
            "origin": rng.choice(("created", "imported", "api")),
            "account_index": account_index,
        }
        if contact["email_status"] != "unavailable" and account_index is not None:
            domain = accounts[account_index]["website"].removeprefix("https://www.")
            contact["email"] = f"{_slug(first)}.{_slug(last)}.{index}@{domain}"
        if rng.random() < 0.4:
            contact["mobile_phone"] = (
                f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
            )
        contacts.append(contact)
    return contacts


def make_deals(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    deals = []
    for index in range(count):
        account_index = rng.randrange(len(data.accounts))
        colleagues = [i for i in range(account_index, len(data.contacts), len(data.accounts))]
        chosen = rng.sample(colleagues, k=min(len(colleagues), rng.randint(1, 3)))
        deals.append(
            {
                "name": f"{data.accounts[account_index]['name']} — deal {index + 1}",
                "account_index": account_index,
                "amount": f"{rng.randrange(20, 2000) * 500}.00",
                "stage": rng.choice(STAGES["deal"]),
                "close_date": (ANCHOR.date() + timedelta(days=rng.randrange(-60, 120))).isoformat(),
                "contacts": [{"contact_index": i, "role": rng.choice(ROLES)} for i in chosen],
            }
        )
    return deals
