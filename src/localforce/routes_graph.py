"""Composite Graph (v50+): each graph is all-or-nothing on its own (reference §4.2)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import responses
from localforce.errors import fail
from localforce.httputil import json_object
from localforce.routes_composite import run_subrequests

router = APIRouter(prefix="/services/data/v{version}/composite/graph")
MAX_GRAPHS = 75
MAX_NODES = 500


def _graphs(body: dict[str, Any]) -> list[dict[str, Any]]:
    graphs = body.get("graphs")
    if not isinstance(graphs, list) or not graphs:
        raise fail("INVALID_FIELD", "graphs: a non-empty list is required", None)
    if len(graphs) > MAX_GRAPHS:
        raise fail(
            "LIMIT_EXCEEDED", f"A payload cannot contain more than {MAX_GRAPHS} graphs", None
        )
    nodes = 0
    for i, graph in enumerate(graphs):
        requests = graph.get("compositeRequest")
        if not graph.get("graphId") or not isinstance(requests, list) or not requests:
            raise fail(
                "INVALID_FIELD", f"graphs[{i}]: graphId and compositeRequest are required", None
            )
        missing = [
            k for sub in requests for k in ("method", "url", "referenceId") if not sub.get(k)
        ]
        if missing:
            raise fail("INVALID_FIELD", f"graphs[{i}]: {missing[0]} required in every node", None)
        nodes += len(requests)
    if nodes > MAX_NODES:
        raise fail("LIMIT_EXCEEDED", f"A payload cannot contain more than {MAX_NODES} nodes", None)
    return graphs


@router.post("")
async def graph(request: Request, version: str) -> Response:
    out = []
    for spec in _graphs(await json_object(request)):
        entries = await run_subrequests(request, version, spec["compositeRequest"], True)
        out.append(
            {
                "graphId": spec["graphId"],
                "graphResponse": {"compositeResponse": entries},
                "isSuccessful": all(e["httpStatusCode"] < 400 for e in entries),
            }
        )
    return responses.json_response({"graphs": out})
