"""The push-settings document (PRODUCT.md §3): pydantic models with every default.

`PushSettings()` is what a new team gets. `validate_settings(document, context)` is the only way a
saved document becomes settings: it reports EVERY problem with its path (see settings_check).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, TypeAlias, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails

from pushforce.core.templates import compiled

WriteMode: TypeAlias = Literal["overwrite", "fill_if_empty", "create_only", "never"]
PersonLinkOrder: TypeAlias = Literal[
    "contact_then_lead", "lead_then_contact", "contact_only", "lead_only"
]
Associate: TypeAlias = Literal["contact", "account"]
_BOTH: tuple[Associate, ...] = ("contact", "account")
StageObject: TypeAlias = Literal["contact", "account", "deal"]

_SALESFORCE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_CUSTOM_KEY = re.compile(r"custom\.[A-Za-z0-9_]+")


def _check_template(value: str) -> str:
    compiled(value)  # raises TemplateError (a ValueError): pydantic reports it at this path
    return value


TitleTemplate = Annotated[str, AfterValidator(_check_template)]


def _stage_checker(stage_object: StageObject) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("stages", {}).get(stage_object)
        if known is not None and value not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ValueError(f"no {stage_object} stage named '{value}' (the team has: {names})")
        return value

    return AfterValidator(check)


ContactStage = Annotated[str, _stage_checker("contact")]
AccountStage = Annotated[str, _stage_checker("account")]
DealStage = Annotated[str, _stage_checker("deal")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class ContactSettings(_Model):
    push_new: bool = True
    create_as: Literal["contact", "lead"] = "contact"
    stage_filter: list[ContactStage] = Field(default_factory=list)  # empty: filter off
    source_value: str = Field(default="Pushforce", max_length=255)
    push_guessed_emails: bool = False


class AccountSettings(_Model):
    push_new: bool = True
    stage_filter: list[AccountStage] = Field(default_factory=list)
    source_field: str = "AccountSource"
    source_value: str = Field(default="Pushforce", max_length=255)

    @field_validator("source_field")
    @classmethod
    def _known_account_field(cls, value: str, info: ValidationInfo) -> str:
        return _check_salesforce_field("Account", value, info)


class DealSettings(_Model):
    push_new: bool = True


class EmailSettings(_Model):
    outgoing_sent_in_app: bool = True
    outgoing_not_sent_in_app: bool = False
    incoming_replies_to_app_emails: bool = True
    incoming_other: bool = False
    push_when_participant_missing: bool = False
    title_template: TitleTemplate = "Email: {{subject}}"


class NoteSettings(_Model):
    push: bool = True


class TaskSettings(_Model):
    push: bool = True
    title_template: TitleTemplate = "{{task_type}}: {{task_title}}"


class CallSettings(_Model):
    push: bool = True
    title_template: TitleTemplate = "Call: {{call_disposition}} ({{direction}})"


class MeetingSettings(_Model):
    push: bool = True
    push_all_calendar_events: bool = False


class ConversationSettings(_Model):
    push_call_summaries: bool = False


class ActivitySettings(_Model):
    associate_with: list[Associate] = Field(default_factory=lambda: list(_BOTH))
    emails: EmailSettings = Field(default_factory=EmailSettings)
    notes: NoteSettings = Field(default_factory=NoteSettings)
    tasks: TaskSettings = Field(default_factory=TaskSettings)
    calls: CallSettings = Field(default_factory=CallSettings)
    meetings: MeetingSettings = Field(default_factory=MeetingSettings)
    conversations: ConversationSettings = Field(default_factory=ConversationSettings)


class MatchingSettings(_Model):
    account_tiebreak: Literal["oldest", "most_recently_modified", "review"] = "oldest"
    person_link_order: PersonLinkOrder = "contact_then_lead"


def _check_salesforce_field(sobject: str, value: str, info: ValidationInfo) -> str:
    if not _SALESFORCE_NAME.fullmatch(value):
        raise ValueError(f"'{value}' is not a Salesforce field API name")
    described = (info.context or {}).get("describe", {}).get(sobject)
    if described is not None and value.lower() not in {name.lower() for name in described}:
        raise ValueError(f"{sobject} has no field '{value}' in this org")
    return value


class _FieldMapping(_Model):
    """One Pushforce field → one Salesforce field, written per `mode` (R15)."""

    SOBJECT: ClassVar[str] = ""
    SOURCES: ClassVar[frozenset[str]] = frozenset()

    field: str
    salesforce_field: str
    mode: WriteMode = "overwrite"

    @field_validator("field")
    @classmethod
    def _known_source(cls, value: str) -> str:
        if value in cls.SOURCES or _CUSTOM_KEY.fullmatch(value):
            return value
        known = ", ".join(sorted(cls.SOURCES))
        raise ValueError(f"unknown Pushforce field '{value}' (known: {known}, custom.<key>)")

    @field_validator("salesforce_field")
    @classmethod
    def _known_target(cls, value: str, info: ValidationInfo) -> str:
        return _check_salesforce_field(cls.SOBJECT, value, info)


_PERSON_SOURCES = frozenset(
    {"first_name", "last_name", "title", "email", "phone", "mobile_phone", "stage", "account_name"}
)


class ContactField(_FieldMapping):
    SOBJECT = "Contact"
    SOURCES = _PERSON_SOURCES


class LeadField(_FieldMapping):
    SOBJECT = "Lead"
    SOURCES = _PERSON_SOURCES


class AccountField(_FieldMapping):
    SOBJECT = "Account"
    SOURCES = frozenset({"name", "domain", "website", "phone", "industry", "employees", "stage"})


class OpportunityField(_FieldMapping):
    SOBJECT = "Opportunity"
    SOURCES = frozenset({"name", "amount", "close_date", "stage"})


_PERSON_DEFAULTS = [
    ("first_name", "FirstName"),
    ("last_name", "LastName"),
    ("title", "Title"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("mobile_phone", "MobilePhone"),
]


_M = TypeVar("_M", bound="_FieldMapping")


def _defaults(model: type[_M], pairs: list[tuple[str, str]]) -> list[_M]:
    return [model(field=source, salesforce_field=target) for source, target in pairs]


class FieldSettings(_Model):
    contact: list[ContactField] = Field(
        default_factory=lambda: _defaults(ContactField, _PERSON_DEFAULTS)
    )
    lead: list[LeadField] = Field(
        default_factory=lambda: _defaults(
            LeadField, [*_PERSON_DEFAULTS, ("account_name", "Company"), ("stage", "Status")]
        )
    )
    account: list[AccountField] = Field(
        default_factory=lambda: _defaults(
            AccountField,
            [
                ("name", "Name"),
                ("website", "Website"),
                ("phone", "Phone"),
                ("industry", "Industry"),
                ("employees", "NumberOfEmployees"),
            ],
        )
    )
    opportunity: list[OpportunityField] = Field(
        default_factory=lambda: _defaults(
            OpportunityField,
            [
                ("name", "Name"),
                ("amount", "Amount"),
                ("close_date", "CloseDate"),
                ("stage", "StageName"),
            ],
        )
    )

    @field_validator("contact", "lead", "account", "opportunity")
    @classmethod
    def _one_source_per_target(cls, mappings: list[_M]) -> list[_M]:
        seen: dict[str, int] = {}
        for index, mapping in enumerate(mappings):
            target = mapping.salesforce_field.lower()
            if target in seen:
                raise ValueError(
                    f"[{index}] writes {mapping.salesforce_field} again (already written by"
                    f" [{seen[target]}]); map each Salesforce field once"
                )
            seen[target] = index
        return mappings


class StageSettings(_Model):
    """Stage maps; a stage missing here is written under its own name ("same names")."""

    contact: dict[ContactStage, str] = Field(default_factory=dict)  # → Lead Status
    deal: dict[DealStage, str] = Field(default_factory=dict)  # → Opportunity StageName


class LimitSettings(_Model):
    api_budget_percent: int = Field(default=50, ge=1, le=100)


class PushSettings(_Model):
    enabled: bool = False
    contacts: ContactSettings = Field(default_factory=ContactSettings)
    accounts: AccountSettings = Field(default_factory=AccountSettings)
    deals: DealSettings = Field(default_factory=DealSettings)
    activities: ActivitySettings = Field(default_factory=ActivitySettings)
    matching: MatchingSettings = Field(default_factory=MatchingSettings)
    fields: FieldSettings = Field(default_factory=FieldSettings)
    stages: StageSettings = Field(default_factory=StageSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)


# --- validation ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingsContext:
    """What validation knows about the team and its org.

    `stages`: the team's stage names per object (`contact`, `account`, `deal`); None = unchecked.
    `describe`: field API names per Salesforce object from the org's describe; None = unchecked.
    """

    stages: Mapping[str, frozenset[str]] | None = None
    describe: Mapping[str, frozenset[str]] | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SettingsError(ValueError):
    """Every problem of a settings document, each with its path; nothing is saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"the push settings have {len(problems)} problem(s):\n{lines}")


_MESSAGES = {
    "extra_forbidden": "unknown setting (not part of the push settings)",
    "missing": "required but missing",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "list_type": "must be a list",
    "dict_type": "must be an object of names to values",
    "model_type": "must be an object of settings",
}


def validate_settings(document: Mapping[str, object], context: SettingsContext) -> PushSettings:
    """Validate a whole settings document; raise `SettingsError` listing every problem."""
    validation_context = {"stages": context.stages or {}, "describe": context.describe or {}}
    try:
        return PushSettings.model_validate(document, context=validation_context, strict=False)
    except ValidationError as error:
        raise SettingsError([_problem(detail) for detail in error.errors()]) from None


def _problem(detail: ErrorDetails) -> Problem:
    message = _MESSAGES.get(detail["type"], _plain(detail["msg"]))
    if detail["type"] == "literal_error":
        message = _plain(detail["msg"]).replace("Input should be", "must be one of")
    elif detail["type"] in {"greater_than_equal", "less_than_equal", "string_too_long"}:
        message = (
            _plain(detail["msg"]).replace("Input should", "must").replace("String should", "must")
        )
    return Problem(path_of(detail["loc"]), message)


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")


def path_of(loc: tuple[int | str, ...]) -> str:
    """('fields', 'contact', 2, 'salesforce_field') → 'fields.contact[2].salesforce_field'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":
            path += f".{part}" if path else part
    return path or "(document)"


# --- history --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    old: object
    new: object

    def __str__(self) -> str:
        return f"{self.path}: {self.old!r} → {self.new!r}"


def diff(old: PushSettings, new: PushSettings) -> list[Change]:
    """Every leaf setting that differs, by path (lists of scalars compare as one value)."""
    before, after = _flatten(old.model_dump(mode="json")), _flatten(new.model_dump(mode="json"))
    paths = sorted(set(before) | set(after))
    return [Change(p, before.get(p), after.get(p)) for p in paths if before.get(p) != after.get(p)]


def _flatten(value: object, path: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        flat: dict[str, object] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{path}[{index}]"))
        return flat
    return {path: value}
