"""Tokens at rest: AES-GCM with team and connection as associated data, key ids, rotation,
and a generated key file when PUSHFORCE_SECRET_KEY is unset (reliability §3.1)."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from pushforce.salesforce.crypto import (
    KEY_FILE,
    DecryptionFailed,
    Keyring,
    associated_data,
    keyring_from,
)
from pushforce.salesforce.secret import Secret


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_round_trip_and_a_fresh_nonce_every_time(tmp_path: Path) -> None:
    keyring = keyring_from(_key(), tmp_path)
    aad = associated_data(1, 10)
    first, second = keyring.seal(b"00Dx!token", aad), keyring.seal(b"00Dx!token", aad)
    assert first != second and b"token" not in first.encode()
    assert keyring.open(first, aad) == keyring.open(second, aad) == b"00Dx!token"
    assert first.split(":")[1] == keyring.current_id


@pytest.mark.parametrize(("team", "connection"), [(2, 10), (1, 11)])
def test_a_ciphertext_moved_to_another_team_or_connection_does_not_open(
    tmp_path: Path, team: int, connection: int
) -> None:
    keyring = keyring_from(_key(), tmp_path)
    sealed = keyring.seal(b"secret", associated_data(1, 10))
    with pytest.raises(DecryptionFailed):
        keyring.open(sealed, associated_data(team, connection))


def test_tampering_is_detected(tmp_path: Path) -> None:
    keyring = keyring_from(_key(), tmp_path)
    sealed = keyring.seal(b"secret", associated_data(1, 1))
    prefix, kid, body = sealed.split(":")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        keyring.open(f"{prefix}:{kid}:{base64.b64encode(raw).decode()}", associated_data(1, 1))


def test_rotation_old_keys_open_new_key_seals(tmp_path: Path) -> None:
    old, new = _key(), _key()
    aad = associated_data(3, 4)
    sealed_old = keyring_from(old, tmp_path).seal(b"token", aad)
    rotated = keyring_from(f"{new},{old}", tmp_path)
    assert rotated.needs_rotation(sealed_old)
    assert rotated.open(sealed_old, aad) == b"token"
    resealed = rotated.seal(rotated.open(sealed_old, aad), aad)
    assert not rotated.needs_rotation(resealed)
    with pytest.raises(DecryptionFailed, match="lacks"):
        keyring_from(old, tmp_path).open(resealed, aad)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("not base64!!", r"PUSHFORCE_SECRET_KEY\[0\] is not valid base64"),
        (base64.b64encode(b"short").decode(), "must decode to 32 bytes"),
        (f"{base64.b64encode(os.urandom(32)).decode()},xx", r"PUSHFORCE_SECRET_KEY\[1\]"),
    ],
)
def test_bad_keys_are_refused_naming_which(tmp_path: Path, setting: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        keyring_from(setting, tmp_path)


def test_without_a_key_one_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = keyring_from("", data_dir)
    path = data_dir / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keyring_from("", data_dir).current_id == first.current_id


def test_keys_and_secrets_never_print() -> None:
    keyring = Keyring([os.urandom(32)])
    secret = Secret("00D000000000001!AQ0AQsecret")
    shown = [repr(keyring), repr(secret), str(secret), f"{secret}", f"{secret!r}", str([secret])]
    assert all("AQ0AQsecret" not in text for text in shown)
    assert secret.reveal().endswith("secret")
