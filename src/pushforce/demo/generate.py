"""The whole demo data set, deterministic for a seed and a size."""

from __future__ import annotations

import random

from pushforce.demo.activities import make_activities
from pushforce.demo.data import DemoData, DemoSize, make_accounts, make_contacts, make_deals

DEFAULT_SEED = 7


def generate(seed: int = DEFAULT_SEED, size: DemoSize | None = None) -> DemoData:
    """Accounts, contacts, deals and activities; the same for the same seed and size."""
    size = size or DemoSize()
    rng = random.Random(seed)
    data = DemoData(accounts=make_accounts(rng, size.accounts))
    data.contacts = make_contacts(rng, size.contacts, data.accounts)
    data.deals = make_deals(rng, size.deals, data)
    data.activities = make_activities(rng, size, data)
    return data
