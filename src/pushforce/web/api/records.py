"""``/api/v1`` routes for people, companies and deals: accounts, contacts, deals."""

from __future__ import annotations

from fastapi import APIRouter

from pushforce.web.api.crud import add_record_routes

router = APIRouter()
for kind, plural in (("account", "accounts"), ("contact", "contacts"), ("deal", "deals")):
    add_record_routes(router, kind, plural)
