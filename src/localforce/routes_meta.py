"""Versions, the resource list, global and per-object describe, and `/limits` (§2.4, §7)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import responses
from localforce.httputil import object_or_404, org_of, state_of
from localforce.render import child_relationships, describe_object, object_summary
from localforce.state import LATEST_VERSION, OLDEST_VERSION

router = APIRouter()
SEASONS = ("Spring", "Summer", "Winter")


def release_label(major: int) -> str:
    """60 → "Spring '24"; three releases a year, Winter named after the following year."""
    offset = major - 60
    season = SEASONS[offset % 3]
    year = 24 + offset // 3 + (1 if season == "Winter" else 0)
    return f"{season} '{year:02d}"


def versions() -> list[dict[str, str]]:
    return [
        {
            "label": release_label(major),
            "url": f"/services/data/v{major}.0",
            "version": f"{major}.0",
        }
        for major in range(int(OLDEST_VERSION), int(LATEST_VERSION) + 1)
    ]


@router.get("/services/data")
@router.get("/services/data/")
async def list_versions() -> Response:
    return responses.json_response(versions())


@router.get("/services/data/v{version}")
@router.get("/services/data/v{version}/")
async def resources(version: str) -> Response:
    base = f"/services/data/v{version}"
    names = ["sobjects", "query", "queryAll", "composite", "limits", "jobs"]
    return responses.json_response({name: f"{base}/{name}" for name in names})


@router.get("/services/data/v{version}/sobjects")
@router.get("/services/data/v{version}/sobjects/")
async def global_describe(request: Request, version: str) -> Response:
    objects = org_of(request).schema.objects.values()
    return responses.json_response(
        {
            "encoding": "UTF-8",
            "maxBatchSize": 200,
            "sobjects": [object_summary(obj, version) for obj in objects],
        }
    )


@router.get("/services/data/v{version}/sobjects/{sobject}")
async def basic_info(request: Request, version: str, sobject: str) -> Response:
    obj = object_or_404(org_of(request), sobject)
    return responses.json_response(
        {"objectDescribe": object_summary(obj, version), "recentItems": []}
    )


@router.get("/services/data/v{version}/sobjects/{sobject}/describe")
async def describe(request: Request, version: str, sobject: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    children = child_relationships(list(org.schema.objects.values()), obj.name)
    return responses.json_response(describe_object(obj, version, children))


@router.get("/services/data/v{version}/limits")
async def limits(request: Request, version: str) -> Response:
    usage = state_of(request).usage
    daily = {"Max": usage.daily_max, "Remaining": usage.remaining()}
    return responses.json_response(
        {
            "DailyApiRequests": daily,
            "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
            "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000},
            "DailyBulkV2QueryFileStorageMB": {"Max": 1048576, "Remaining": 1048576},
            "DataStorageMB": {"Max": 1024, "Remaining": 1024},
            "FileStorageMB": {"Max": 1024, "Remaining": 1024},
            "ConcurrentAsyncGetReportInstances": {"Max": 200, "Remaining": 200},
            "HourlyODataCallout": {"Max": 10000, "Remaining": 10000},
        }
    )
