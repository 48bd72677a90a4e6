"""Salesforce tokens encrypted at rest: AES-GCM with the team and connection bound in as
associated data, so a ciphertext copied to another team's row does not decrypt (reliability
§3.1).

Keys come from ``PUSHFORCE_SECRET_KEY``: base64 of 32 bytes, the current key first and older
keys after it, comma-separated. Each ciphertext names the key that sealed it
(``pf1:<key id>:<base64 nonce+ciphertext>``); :meth:`Keyring.needs_rotation` tells which ones
an older key sealed, and re-sealing them with :meth:`Keyring.seal` is the rotation. With no
key configured, one is generated into ``<data dir>/secret.key`` (mode 0600) on first use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["KEY_FILE", "DecryptionFailed", "Keyring", "associated_data", "keyring_from"]

PREFIX = "pf1"
NONCE_BYTES = 12
KEY_FILE = "secret.key"


class DecryptionFailed(Exception):
    """A ciphertext could not be opened (wrong key, wrong team/connection, tampered)."""


class Keyring:
    """The current key (seals) and older ones (still open what they sealed)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        for key in keys:
            if len(key) != 32:
                raise ValueError("each secret key must be 32 bytes (base64 of 32 random bytes)")
        self._keys = {key_id(key): AESGCM(key) for key in keys}
        self.current_id = key_id(keys[0])

    def __repr__(self) -> str:
        return f"Keyring(current={self.current_id}, keys={len(self._keys)})"

    def seal(self, plaintext: bytes, aad: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self.current_id].encrypt(nonce, plaintext, aad)
        return f"{PREFIX}:{self.current_id}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, ciphertext: str, aad: bytes) -> bytes:
        kid, blob = _parts(ciphertext)
        aead = self._keys.get(kid)
        if aead is None:
            raise DecryptionFailed(f"sealed with key {kid}, which PUSHFORCE_SECRET_KEY lacks")
        try:
            return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise DecryptionFailed("ciphertext does not open with its key and owner") from None

    def needs_rotation(self, ciphertext: str) -> bool:
        return _parts(ciphertext)[0] != self.current_id


def key_id(key: bytes) -> str:
    """A short, non-secret name of a key (first 8 hex digits of its SHA-256)."""
    return hashlib.sha256(b"pushforce-key-id:" + key).hexdigest()[:8]


def associated_data(team_id: int, connection_id: int, purpose: str = "salesforce-tokens") -> bytes:
    return f"pushforce|team={team_id}|connection={connection_id}|{purpose}".encode()


def keyring_from(setting: str, data_dir: Path) -> Keyring:
    """The keyring of ``PUSHFORCE_SECRET_KEY``, or of the generated key file when unset."""
    if setting.strip():
        return Keyring([_decode(part, i) for i, part in enumerate(setting.split(","))])
    return Keyring([_generated_key(data_dir)])


def _decode(text: str, index: int) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"PUSHFORCE_SECRET_KEY[{index}] is not valid base64") from None
    if len(key) != 32:
        raise ValueError(f"PUSHFORCE_SECRET_KEY[{index}] must decode to 32 bytes, not {len(key)}")
    return key


def _generated_key(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _decode(path.read_text(), 0)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(os.urandom(32)).decode() + "\n")
    return _decode(path.read_text(), 0)


def _parts(ciphertext: str) -> tuple[str, bytes]:
    prefix, _, rest = ciphertext.partition(":")
    kid, _, body = rest.partition(":")
    if prefix != PREFIX or not kid or not body:
        raise DecryptionFailed("not a Pushforce ciphertext")
    try:
        return kid, base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionFailed("ciphertext is not valid base64") from None
