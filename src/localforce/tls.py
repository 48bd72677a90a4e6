"""Certificates: a CA kept in the data dir (``ca.pem`` + ``ca-key.pem``) and a server certificate
for ``127.0.0.1`` and ``localhost`` issued by it on every start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class ServerCertificate:
    ca_path: Path
    cert_path: Path
    key_path: Path


def load_or_create_ca(data_dir: Path) -> trustme.CA:
    ca_path, key_path = data_dir / "ca.pem", data_dir / "ca-key.pem"
    if ca_path.exists() and key_path.exists():
        return trustme.CA.from_pem(ca_path.read_bytes(), key_path.read_bytes())
    ca = trustme.CA(organization_name="localforce")
    _write_private(key_path, ca.private_key_pem.bytes())
    ca_path.write_bytes(ca.cert_pem.bytes())
    return ca


def server_certificate(data_dir: Path) -> ServerCertificate:
    data_dir.mkdir(parents=True, exist_ok=True)
    ca = load_or_create_ca(data_dir)
    leaf = ca.issue_cert("127.0.0.1", "localhost", "::1")
    cert_path, key_path = data_dir / "server.pem", data_dir / "server-key.pem"
    cert_path.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    _write_private(key_path, leaf.private_key_pem.bytes())
    return ServerCertificate(data_dir / "ca.pem", cert_path, key_path)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
