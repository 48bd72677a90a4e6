"""Cheaper email validation for bulk input: email-validator's domain check, memoised.

``EmailStr`` (``pushforce.inputs``) validates with email-validator without its DNS
deliverability check. Most of that time goes to the domain part — an IDNA / UTS-46 check,
character by character — although the addresses of a CSV file share few domains (a company's
people share its domain). The domain check is a pure function of its arguments and
``validate_email`` only reads what it returns, so ``remember_checked_domains`` wraps it in an
LRU cache where ``validate_email`` looks it up. The rules and error messages stay
email-validator's own: an invalid domain is not cached and raises again each time.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

DOMAIN_CHECK = "validate_email_domain_name"
CACHED_DOMAINS = 8192


def remember_checked_domains() -> bool:
    """Memoise email-validator's domain check (idempotent). False when this version of
    email-validator does not look the check up by that name (validation is then unchanged)."""
    module = importlib.import_module("email_validator.validate_email")
    check: Any = getattr(module, DOMAIN_CHECK, None)
    if check is None:
        return False
    if not hasattr(check, "cache_info"):
        setattr(module, DOMAIN_CHECK, functools.lru_cache(maxsize=CACHED_DOMAINS)(check))
    return True
