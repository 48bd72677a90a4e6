"""The config of the shared test server: duplicate rules, a non-unique external id (for 300
Multiple Choices), OAuth clients (one with a JWT certificate, one rotating refresh tokens)."""

from __future__ import annotations

from typing import Any

from certificates import self_signed_rsa

JWT_CLIENT = "jwt-client"
ROTATING_CLIENT = "rotating-client"
STATIC_REFRESH_TOKEN = "5Aep-static-refresh-token"


def jwt_key_and_certificate() -> tuple[bytes, str]:
    return self_signed_rsa("pushforce-jwt")


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
