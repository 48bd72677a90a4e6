"""One HTTPS localforce for the server tests, reset before each test that uses it.

The config adds what the conformance tests need on top of the defaults: duplicate rules, a
non-unique external id (for 300 Multiple Choices), OAuth clients (one with a JWT certificate,
one with refresh-token rotation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from localforce.testing import ControlClient, RunningServer, running_server

JWT_CLIENT = "jwt-client"
ROTATING_CLIENT = "rotating-client"
STATIC_REFRESH_TOKEN = "5Aep-static-refresh-token"


def _jwt_key_and_certificate() -> tuple[bytes, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pushforce-jwt")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem_key, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="session")
def jwt_private_key(server_bundle: tuple[RunningServer, bytes]) -> bytes:
    return server_bundle[1]


def server_config(jwt_certificate: str) -> dict[str, Any]:
    return {
        "custom_fields": {
            "Contact": [
                {"name": "Legacy_Id__c", "type": "string", "length": 40, "external_id": True}
            ]
        },
        "duplicate_rules": [
            {"object": "Lead", "fields": ["Email"], "action": "block"},
            {"object": "Contact", "fields": ["Email"], "action": "alert"},
        ],
        "token_lifetime_seconds": 3600,
        "oauth_clients": [
            {
                "client_id": "localforce-client",
                "client_secret": "localforce-secret",
                "username": "integration@localforce.test",
                "password": "localforce",
                "refresh_tokens": [STATIC_REFRESH_TOKEN],
            },
            {
                "client_id": JWT_CLIENT,
                "client_secret": "jwt-secret",
                "username": "integration@localforce.test",
                "password": "unused",
                "jwt_certificate": jwt_certificate,
            },
            {
                "client_id": ROTATING_CLIENT,
                "client_secret": "rotating-secret",
                "username": "integration@localforce.test",
                "password": "unused",
                "rotate_refresh_tokens": True,
            },
        ],
    }


@pytest.fixture(scope="session")
def server_bundle(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningServer, bytes]]:
    key, certificate = _jwt_key_and_certificate()
    data_dir: Path = tmp_path_factory.mktemp("localforce")
    with running_server(data_dir, config=server_config(certificate)) as server:
        yield server, key


@pytest.fixture
def lf(server_bundle: tuple[RunningServer, bytes]) -> RunningServer:
    server = server_bundle[0]
    server.control.reset()
    server.control.set_limits(
        daily_api_requests=100_000,
        used=0,
        max_concurrent_long_requests=25,
        long_request_seconds=20,
        per_request_ms=0,
        per_record_ms=0,
    )
    return server


@pytest.fixture
def control(lf: RunningServer) -> ControlClient:
    return lf.control


@pytest.fixture
def sf(lf: RunningServer) -> Any:
    return lf.simple_salesforce()
