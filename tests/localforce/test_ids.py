"""Record ids: the 18-char checksum, case restoration, 15-char acceptance (reference §9.1)."""

from __future__ import annotations

import pytest

from localforce import ids


@pytest.mark.parametrize(
    ("id15", "id18"),
    [("001D000000IRFma", "001D000000IRFmaIAH"), ("0038M0000016Wv8", "0038M0000016Wv8QAE")],
)
def test_checksum_matches_real_salesforce_ids(id15: str, id18: str) -> None:
    assert ids.to18(id15) == id18
    assert ids.normalize(id15) == id18
    assert ids.normalize(id18) == id18


def test_an_18_char_id_in_another_case_is_the_same_record() -> None:
    assert ids.normalize("001d000000irfmaiah") == "001D000000IRFmaIAH"
    assert ids.normalize("0038M0000016WV8QAE") == "0038M0000016Wv8QAE"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "001D000000IRFm",
        "001D000000IRFma!",
        "001D000000IRFma-AH",
        "001D000000IRFma999",
        None,
        12345,
    ],
)
def test_non_ids_are_rejected(value: object) -> None:
    assert ids.normalize(value) is None


def test_generated_ids_carry_the_key_prefix_and_a_valid_checksum() -> None:
    generator = ids.IdGenerator()
    first, second = generator.new("003"), generator.new("003")
    assert first.startswith("003") and len(first) == 18
    assert first != second
    assert ids.to18(first[:15]) == first
    assert ids.KEY_PREFIXES["Lead"] == "00Q" and ids.KEY_PREFIXES["ContentNote"] == "069"
