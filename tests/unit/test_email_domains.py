"""The memoised domain check keeps email-validator's rules and messages (email_domains)."""

from __future__ import annotations

import sys

import pytest
from pydantic import ValidationError

from pushforce.email_domains import remember_checked_domains
from pushforce.inputs import ContactIn


def _domain_check():
    return sys.modules["email_validator.validate_email"].validate_email_domain_name


def _email_error(email: str) -> str:
    with pytest.raises(ValidationError) as refused:
        ContactIn(last_name="Lovelace", email=email)
    return str(refused.value.errors()[0]["msg"])


def test_importing_the_input_models_memoises_the_domain_check() -> None:
    assert remember_checked_domains() is True
    check = _domain_check()
    assert remember_checked_domains() is True and _domain_check() is check  # idempotent
    before = check.cache_info()
    for person in ("ada", "bob", "eve"):
        ContactIn(last_name="Lovelace", email=f"{person}@memo-domain.example.com")
    after = check.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 2)


def test_an_invalid_domain_is_refused_every_time_with_the_validators_message() -> None:
    first, again = _email_error("ada@-bad.example.com"), _email_error("bob@-bad.example.com")
    assert first == again
    assert first.startswith("value is not a valid email address: ")
    assert "hyphen" in first


def test_internationalised_domains_are_normalised_as_before() -> None:
    for _ in range(2):
        contact = ContactIn(last_name="Lovelace", email="Ada@BÜCHER.example")
        assert contact.email == "ada@bücher.example"
