"""``/services/data/vXX.X/jobs/ingest``: the Bulk API 2.0 ingest endpoints (reference §6.1),
plus ``/__localforce__/bulk/rate`` to switch the processing-rate model on for benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from localforce import responses
from localforce.bulk import BulkIngest, RateModel
from localforce.bulk_jobs import BulkError
from localforce.bulk_query import BulkQuery

INGEST = "/services/data/v{version}/jobs/ingest"
QUERY = "/services/data/v{version}/jobs/query"
RESULT_KINDS = {
    "successfulresults": BulkIngest.successful_results,
    "failedresults": BulkIngest.failed_results,
    "unprocessedrecords": BulkIngest.unprocessed_records,
}


def _error(error: BulkError) -> Response:
    return responses.json_response(error.body(), error.status)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BulkError(400, "JSON_PARSER_ERROR", "The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BulkError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object")
    return body


def bulk_router(
    get_org: Callable[[], Any], ingest: BulkIngest | None = None, query: BulkQuery | None = None
) -> APIRouter:
    ingest = ingest or BulkIngest(get_org)
    query = query or BulkQuery(get_org)
    router = APIRouter()
    _add_job_routes(router, INGEST, ingest)
    _add_ingest_routes(router, ingest)
    _add_job_routes(router, QUERY, query)
    _add_query_results(router, query)
    _add_rate_routes(router, ingest)
    return router


def _add_job_routes(router: APIRouter, base: str, service: Any) -> None:
    """Create, list, get, change state and delete: the same for ingest and query jobs."""

    @router.post(base, include_in_schema=False)
    async def create(request: Request, version: str) -> Response:
        try:
            job = service.create(await _json_body(request), version)
        except BulkError as error:
            return _error(error)
        return responses.json_response(job.info(detailed=False))

    @router.get(base, include_in_schema=False)
    @router.get(base + "/", include_in_schema=False)
    def list_jobs(version: str) -> Response:
        records = [job.info(detailed=False) for job in list(service.jobs.values())]
        return responses.json_response({"done": True, "records": records, "nextRecordsUrl": None})

    @router.get(base + "/{job_id}", include_in_schema=False)
    def get_job(version: str, job_id: str) -> Response:
        try:
            return responses.json_response(service.job(job_id).info())
        except BulkError as error:
            return _error(error)

    @router.patch(base + "/{job_id}", include_in_schema=False)
    async def change_state(request: Request, version: str, job_id: str) -> Response:
        try:
            body = await _json_body(request)
            job = service.set_state(job_id, str(body.get("state")))
        except BulkError as error:
            return _error(error)
        return responses.json_response(job.info(detailed=False))

    @router.delete(base + "/{job_id}", include_in_schema=False)
    def delete_job(version: str, job_id: str) -> Response:
        try:
            service.delete(job_id)
        except BulkError as error:
            return _error(error)
        return Response(status_code=204)


def _add_ingest_routes(router: APIRouter, service: BulkIngest) -> None:
    @router.put(INGEST + "/{job_id}/batches", include_in_schema=False)
    async def upload(request: Request, version: str, job_id: str) -> Response:
        data = (await request.body()).decode("utf-8", errors="replace")
        try:
            service.upload(job_id, data)
        except BulkError as error:
            return _error(error)
        return Response(status_code=201)

    @router.get(INGEST + "/{job_id}/{kind}", include_in_schema=False)
    @router.get(INGEST + "/{job_id}/{kind}/", include_in_schema=False)
    def results(version: str, job_id: str, kind: str) -> Response:
        read = RESULT_KINDS.get(kind.lower())
        if read is None:
            return responses.json_response(
                [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}],
                404,
            )
        try:
            return Response(read(service, job_id), media_type="text/csv")
        except BulkError as error:
            return _error(error)


def _add_query_results(router: APIRouter, service: BulkQuery) -> None:
    @router.get(QUERY + "/{job_id}/results", include_in_schema=False)
    def results(request: Request, version: str, job_id: str) -> Response:
        params = request.query_params
        try:
            page = service.results(job_id, params.get("locator"), _max_records(params))
        except BulkError as error:
            return _error(error)
        headers = {"Sforce-Locator": page.locator, "Sforce-NumberOfRecords": str(page.count)}
        return Response(page.csv, media_type="text/csv", headers=headers)


def _max_records(params: Any) -> int | None:
    raw = params.get("maxRecords")
    if raw is None:
        return None
    if not str(raw).isdigit():
        raise BulkError(400, "INVALIDJOB", f"Invalid maxRecords: {raw}")
    return int(raw)


def _add_rate_routes(router: APIRouter, service: BulkIngest) -> None:
    @router.put("/__localforce__/bulk/rate", include_in_schema=False)
    async def set_rate(request: Request) -> Response:
        body = await request.json()
        service.rate = RateModel(
            records_per_second=body.get("recordsPerSecond"),
            parallel_batches=int(body.get("parallelBatches", 5)),
            batch_size=int(body.get("batchSize", 10_000)),
        )
        return responses.json_response(_rate_body(service.rate))

    @router.get("/__localforce__/bulk/rate", include_in_schema=False)
    def get_rate() -> Response:
        return responses.json_response(_rate_body(service.rate))


def _rate_body(rate: RateModel) -> dict[str, Any]:
    return {
        "recordsPerSecond": rate.records_per_second,
        "parallelBatches": rate.parallel_batches,
        "batchSize": rate.batch_size,
    }
