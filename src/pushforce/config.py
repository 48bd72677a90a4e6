"""The one configuration object, read from ``PUSHFORCE_*`` environment variables.

Built once by the composition root (``wiring``) and passed down; nothing else reads the
environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "pushforce"


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PUSHFORCE_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    # Empty means the embedded default: a SQLite file in data_dir.
    database_url: str = ""
    # Key for AES-GCM encryption of Salesforce tokens at rest (base64, 32 bytes). Older keys,
    # comma-separated, may follow the current one so tokens can be re-encrypted on rotation.
    secret_key: str = ""
    # Hosts besides *.salesforce.com / *.force.com that token endpoints and instance URLs may
    # use (exact names, comma-separated), e.g. "127.0.0.1,localhost" for localforce.
    allowed_salesforce_hosts: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # How long a drainer's team lease lasts without renewal: after a crash, another drainer
    # takes the team over once it expires (DESIGN.md §4).
    lease_seconds: int = Field(default=120, ge=5)
    # Largest request body the web app reads (JSON and forms); bigger ones get a 413. CSV
    # uploads to .../import have their own 25 MB cap.
    max_request_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Jobs a drain claims at once: above 200, one object's writes need several collection
    # calls, which go out in parallel up to the org's cap (R20).
    drain_batch_size: int = Field(default=200, ge=1, le=10_000)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'pushforce.db'}"
