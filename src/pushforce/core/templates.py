"""Title templates: plain text with `{{name}}` placeholders, nothing else (PRODUCT.md §3).

A template is parsed into literal and variable segments; rendering is a join. Nothing is ever
evaluated (reliability §3.6): no expressions, filters, attribute access or `{% %}` blocks —
anything but plain text and `{{name}}` from the allow-list is rejected when saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

VARIABLES: frozenset[str] = frozenset(
    {
        "subject",
        "direction",
        "sender_name",
        "sender_email",
        "recipient_name",
        "contact_name",
        "account_name",
        "deal_name",
        "task_type",
        "task_title",
        "call_disposition",
        "call_purpose",
        "duration",
        "meeting_title",
        "date",
        "owner_name",
    }
)
SUBJECT_MAX = 255
TEMPLATE_MAX = 1000

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_FORBIDDEN = ("{{", "}}", "{%", "%}", "{#", "#}")
# Other template and format-string languages' markers (`${x}`, `#{x}`, `<%= x %>`, `{0.attr}`):
# never evaluated here, but refused so nobody believes they are (reliability §3.6).
_FOREIGN = re.compile(r"[$#]\{|<%|%>|(?<!\{)\{[^{}]*\}(?!\})")


class TemplateError(ValueError):
    """A template that is not plain text plus `{{name}}` placeholders; `problems` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Template:
    source: str
    segments: tuple[str | Var, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(seg.name for seg in self.segments if isinstance(seg, Var))


def parse(source: str) -> Template:
    """Parse `source` or raise `TemplateError` listing every problem."""
    problems: list[str] = []
    if len(source) > TEMPLATE_MAX:
        problems.append(f"a template has at most {TEMPLATE_MAX} characters")
    segments: list[str | Var] = []
    position = 0
    for match in _PLACEHOLDER.finditer(source):
        _add_literal(source[position : match.start()], segments, problems)
        segments.append(_variable(match.group(1), problems))
        position = match.end()
    _add_literal(source[position:], segments, problems)
    if problems:
        raise TemplateError(problems)
    return Template(source, tuple(segments))


def _add_literal(text: str, segments: list[str | Var], problems: list[str]) -> None:
    for marker in _FORBIDDEN:
        if marker in text:
            problems.append(f"'{marker}' is not allowed outside a {{{{name}}}} placeholder")
    problems.extend(
        f"'{found.group()}' is not template syntax here: only {{{{name}}}} is allowed"
        for found in _FOREIGN.finditer(text)
    )
    if text:
        segments.append(text)


def _variable(inner: str, problems: list[str]) -> Var:
    name = inner.strip()
    if not _NAME.fullmatch(name):
        problems.append(
            f"'{{{{{inner}}}}}' is not a plain placeholder: only {{{{name}}}} is allowed"
            " (no expressions, filters or attributes)"
        )
    elif name not in VARIABLES:
        known = ", ".join(sorted(VARIABLES))
        problems.append(f"unknown variable '{name}' (known: {known})")
    return Var(name)


@lru_cache(maxsize=512)
def compiled(source: str) -> Template:
    """`parse`, cached: settings hold few distinct templates and the planner renders many."""
    return parse(source)


def one_line(text: str) -> str:
    """Every line break (any Unicode one) becomes one space."""
    lines = text.splitlines()
    return " ".join(lines) if len(lines) > 1 else (lines[0] if lines else "")


def render(template: Template, values: Mapping[str, object]) -> str:
    """Join the segments; missing or empty values render as nothing; one line, ≤ 255 chars."""
    parts: list[str] = []
    for segment in template.segments:
        if isinstance(segment, Var):
            value = values.get(segment.name)
            parts.append("" if value is None else str(value))
        else:
            parts.append(segment)
    return one_line("".join(parts))[:SUBJECT_MAX]
