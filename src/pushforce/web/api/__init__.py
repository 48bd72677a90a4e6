"""The JSON API under ``/api/v1``.

``api_router()`` includes this package's routers: records (accounts, contacts, deals),
activities, stages, and then every other module of ``pushforce.web.api`` that defines a
module-level ``router`` (``APIRouter``) — so a feature adds its routes by adding a module here
(e.g. ``settings.py``, an import module), without editing this file. Routers use
``deps.current_caller`` for authentication and must scope every query by ``caller.team_id``.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

CORE_MODULES = ("records", "activities", "stages")
NOT_ROUTERS = {"crud", "deps", "outputs"}


def _module_names() -> list[str]:
    found = sorted(info.name for info in pkgutil.iter_modules(__path__))
    extras = [name for name in found if name not in CORE_MODULES and name not in NOT_ROUTERS]
    return [*CORE_MODULES, *extras]


def api_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    for name in _module_names():
        module = importlib.import_module(f"{__name__}.{name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            api.include_router(router)
    return api
