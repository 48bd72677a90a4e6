"""The config of the shared test server: duplicate rules, a non-unique external id (for 300
Multiple Choices), OAuth clients (one with a JWT certificate, one rotating refresh tokens)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

JWT_CLIENT = "jwt-client"
ROTATING_CLIENT = "rotating-client"
STATIC_REFRESH_TOKEN = "5Aep-static-refresh-token"


def jwt_key_and_certificate() -> tuple[bytes, str]:
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
