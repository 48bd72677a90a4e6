"""The ``--config`` file (JSON, or TOML by extension): custom fields, rules, limits, OAuth clients.

Example::

    {
      "custom_fields": {"Contact": [{"name": "Ext__c", "type": "string", "length": 40,
                                     "external_id": true, "unique": true}]},
      "pushforce_id_fields": true,
      "restricted_picklists": ["Lead.LeadSource"],
      "duplicate_rules": [{"object": "Contact", "fields": ["Email"], "action": "alert"}],
      "token_lifetime_seconds": 7200,
      "daily_api_requests": 100000,
      "max_concurrent_long_requests": 25, "long_request_seconds": 20,
      "latency": {"per_request_ms": 0, "per_record_ms": 0},
      "snapshot_interval_seconds": 60,
      "bulk_rate": {"records_per_second": 2000, "parallel_batches": 5, "batch_size": 10000},
      "oauth_clients": [{"client_id": "...", "client_secret": "...", "username": "...",
                         "password": "...", "jwt_certificate": "<PEM or path>",
                         "refresh_tokens": ["..."], "rotate_refresh_tokens": false}]
    }
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localforce.duplicates import DuplicateRule

DEFAULT_CLIENT: dict[str, Any] = {
    "client_id": "localforce-client",
    "client_secret": "localforce-secret",
    "username": "integration@localforce.test",
    "password": "localforce",
}
KNOWN_KEYS = {
    "custom_fields",
    "pushforce_id_fields",
    "restricted_picklists",
    "duplicate_rules",
    "token_lifetime_seconds",
    "daily_api_requests",
    "max_concurrent_long_requests",
    "long_request_seconds",
    "latency",
    "snapshot_interval_seconds",
    "oauth_clients",
    "org_name",
    "bulk_rate",
}
BULK_RATE_KEYS = {"records_per_second", "parallel_batches", "batch_size"}
CLIENT_KEYS = {
    "client_id",
    "client_secret",
    "username",
    "password",
    "jwt_certificate",
    "refresh_tokens",
    "rotate_refresh_tokens",
}


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    client_secret: str
    username: str
    password: str
    jwt_certificate: str | None = None
    refresh_tokens: tuple[str, ...] = ()
    rotate_refresh_tokens: bool = False


@dataclass
class Config:
    custom_fields: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pushforce_id_fields: bool = True
    restricted_picklists: list[str] = field(default_factory=list)
    duplicate_rules: list[DuplicateRule] = field(default_factory=list)
    token_lifetime_seconds: float = 7200.0
    daily_api_requests: int = 100_000
    max_concurrent_long_requests: int = 25
    long_request_seconds: float = 20.0
    per_request_ms: float = 0.0
    per_record_ms: float = 0.0
    snapshot_interval_seconds: float = 60.0
    oauth_clients: list[OAuthClient] = field(
        default_factory=lambda: [OAuthClient(**DEFAULT_CLIENT)]
    )
    org_name: str = "Localforce"
    bulk_rate: dict[str, Any] = field(default_factory=dict)  # Bulk API 2.0 processing-rate model


def load_config(path: str | Path | None) -> Config:
    if path is None:
        return Config()
    path = Path(path)
    text = path.read_text()
    raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    return config_from_dict(raw, base=path.parent)


def config_from_dict(raw: dict[str, Any], base: Path | None = None) -> Config:
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise ValueError(f"config: unknown keys {sorted(unknown)}")
    config = Config()
    for key in (
        "custom_fields",
        "pushforce_id_fields",
        "restricted_picklists",
        "token_lifetime_seconds",
        "daily_api_requests",
        "max_concurrent_long_requests",
        "long_request_seconds",
        "snapshot_interval_seconds",
        "org_name",
    ):
        if key in raw:
            setattr(config, key, raw[key])
    config.duplicate_rules = [
        DuplicateRule.from_config(spec, f"duplicate_rules[{i}]")
        for i, spec in enumerate(raw.get("duplicate_rules", []))
    ]
    config.bulk_rate = dict(raw.get("bulk_rate", {}))
    unknown_rate = set(config.bulk_rate) - BULK_RATE_KEYS
    if unknown_rate:
        raise ValueError(f"config: bulk_rate: unknown keys {sorted(unknown_rate)}")
    latency = raw.get("latency", {})
    config.per_request_ms = float(latency.get("per_request_ms", 0))
    config.per_record_ms = float(latency.get("per_record_ms", 0))
    if "oauth_clients" in raw:
        config.oauth_clients = [_client(c, i, base) for i, c in enumerate(raw["oauth_clients"])]
    return config


def _client(spec: dict[str, Any], i: int, base: Path | None) -> OAuthClient:
    unknown = set(spec) - CLIENT_KEYS
    if unknown:
        raise ValueError(f"config: oauth_clients[{i}]: unknown keys {sorted(unknown)}")
    values = {**DEFAULT_CLIENT, **spec}
    cert = values.get("jwt_certificate")
    if cert and "BEGIN CERTIFICATE" not in cert:
        cert_path = Path(cert) if base is None else base / cert
        values["jwt_certificate"] = cert_path.read_text()
    values["refresh_tokens"] = tuple(values.get("refresh_tokens", ()))
    return OAuthClient(**values)
