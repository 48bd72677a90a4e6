"""Keep Salesforce secrets out of logs (reliability §3.5): every log record is masked when it
is created — bearer/basic headers, ``token=``-style parameters, JSON token fields and
Salesforce session ids."""

from __future__ import annotations

import logging
import re
from typing import Any

from pushforce.salesforce.secret import REDACTED

__all__ = ["RedactingFilter", "install_log_redaction", "redact"]

_SECRET_KEYS = (
    r"access_token|refresh_token|client_secret|assertion|token|password|sessionId|code_verifier"
)
_PATTERNS = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=!-]+"), rf"\1 {REDACTED}"),
    (re.compile(rf"(?i)\b({_SECRET_KEYS})=([^&\s\"',;]+)"), rf"\1={REDACTED}"),
    (re.compile(rf"(?i)([\"']({_SECRET_KEYS})[\"']\s*:\s*[\"'])[^\"']*"), rf"\1{REDACTED}"),
    (re.compile(r"\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+"), REDACTED),  # session ids
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """For handlers that want it explicitly (the record factory below already covers all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _clean(record)
        return True


def _clean(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a broken format string: leave it to logging's own report
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()


_installed = False


def install_log_redaction() -> None:
    """Redact every log record of the process when it is created — records of any logger,
    child loggers included (a filter on a logger would miss its children). Idempotent."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _clean(record)
        return record

    logging.setLogRecordFactory(redacting_factory)
    _installed = True
