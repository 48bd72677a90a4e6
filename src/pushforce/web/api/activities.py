"""``/api/v1`` routes for activity: emails, notes, tasks, calls, meetings, conversations."""

from __future__ import annotations

from fastapi import APIRouter

from pushforce.web.api.crud import add_record_routes

ACTIVITY_KINDS = ("email", "note", "task", "call", "meeting", "conversation")

router = APIRouter()
for kind in ACTIVITY_KINDS:
    add_record_routes(router, kind, f"{kind}s")
