"""The settings form: which controls each tab holds, and form data ↔ settings document.

The form posts every control of every tab at once (tabs only hide panels), so an unchecked box
means ``false``. Field maps post one row per mapping (``fields.contact[0].field`` …) and a
blank row to add one. Validation is the store's (``save_settings`` →
``core.settings.validate_settings``); this module only adds the one check a document cannot
express: a stage filter switched on with no stage chosen.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pushforce.core.settings import Problem
from pushforce.web.ui.settings_tabs import ALL_SETTINGS, TABS, Setting

# ---- reading values ---------------------------------------------------------------------------


def value_at(document: Mapping[str, Any], path: str) -> Any:
    found: Any = document
    for part in path.split("."):
        if not isinstance(found, Mapping) or part not in found:
            return None
        found = found[part]
    return found


def _put(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = document
    for part in parents:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[last] = value


# ---- form → document ---------------------------------------------------------------------------


@dataclass
class Submitted:
    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def document_from_form(
    form: Any, current: Mapping[str, Any], stages: Mapping[str, Sequence[str]]
) -> Submitted:
    """The whole settings document the form describes, over ``current`` (for what it lacks)."""
    submitted = Submitted(copy.deepcopy(dict(current)))
    for setting in ALL_SETTINGS:
        _read(setting, form, stages.get(setting.stage_object or "", ()), submitted)
    _put(submitted.document, "enabled", bool(current.get("enabled", False)))
    return submitted


def _read(setting: Setting, form: Any, stages: Sequence[str], submitted: Submitted) -> None:
    path, document = setting.path, submitted.document
    if setting.control == "toggle":
        _put(document, path, form.get(path) == "on")
    elif setting.control in ("choice", "radio", "text", "template", "number"):
        _put(
            document,
            path,
            str(form.get(path, "")).strip()
            if setting.control != "template"
            else str(form.get(path, "")),
        )
    elif setting.control == "checks":
        _put(document, path, [str(v) for v in form.getlist(path)])
    elif setting.control == "stages":
        _read_stage_filter(setting, form, submitted)
    elif setting.control == "stage_map":
        _put(document, path, _stage_map(path, form, stages))
    elif setting.control == "field_map":
        _put(document, path, _field_map(path, form))


def _read_stage_filter(setting: Setting, form: Any, submitted: Submitted) -> None:
    chosen = [str(v) for v in form.getlist(setting.path)]
    switched_on = form.get(f"{setting.path}.on") == "on"
    if switched_on and not chosen:
        submitted.problems.append(
            Problem(setting.path, "choose at least one stage, or switch the filter off")
        )
    _put(submitted.document, setting.path, chosen if switched_on else [])


def _stage_map(path: str, form: Any, stages: Sequence[str]) -> dict[str, str]:
    mapped = {}
    for index, name in enumerate(stages):
        value = str(form.get(f"{path}[{index}]", "")).strip()
        if value:
            mapped[name] = value
    return mapped


def _field_map(path: str, form: Any) -> list[dict[str, str]]:
    rows = []
    index = 0
    while f"{path}[{index}].field" in form:
        row = {name: str(form.get(f"{path}[{index}].{name}", "")).strip()
               for name in ("field", "salesforce_field", "mode")}  # fmt: skip
        if row["field"] or row["salesforce_field"]:
            rows.append(row)
        index += 1
    return rows


# ---- problems → controls ----------------------------------------------------------------------


def errors_by_setting(problems: Sequence[Problem]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems keyed by the control they belong to; the rest (no control) as general lines."""
    by_setting: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        owner = _owner(problem.path)
        if owner is None:
            general.append(str(problem))
        else:
            where = problem.path[len(owner) :].lstrip(".")
            message = f"{where}: {problem.message}" if where else problem.message
            by_setting.setdefault(owner, []).append(message)
    return by_setting, general


def _owner(path: str) -> str | None:
    for setting in ALL_SETTINGS:
        if path == setting.path or path.startswith((f"{setting.path}[", f"{setting.path}.")):
            return setting.path
    return None


def tabs_with_errors(errors: Mapping[str, list[str]]) -> set[str]:
    return {tab.key for tab in TABS for s in tab.all_settings() if s.path in errors}
