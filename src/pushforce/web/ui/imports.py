"""CSV import from the People and Companies lists, with the row report."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from pushforce.importing.headers import Kind
from pushforce.importing.pipeline import ImportFileError
from pushforce.importing.service import import_csv
from pushforce.web.api.imports import MAX_UPLOAD_BYTES, errors_csv
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import render

router = ui_router()
KINDS: dict[str, tuple[Kind, str]] = {
    "people": ("contacts", "People"),
    "companies": ("accounts", "Companies"),
}


def _page(request: Request, list_name: str, **context: object) -> Response:
    kind, title = KINDS[list_name]
    status = int(str(context.pop("status", 200)))
    full = {
        "section": list_name,
        "title": f"Import {title.lower()}",
        "list_name": list_name,
        "list_title": title,
        "kind": kind,
        "max_mb": MAX_UPLOAD_BYTES // 2**20,
        **context,
    }
    return render(request, "import.html", full, status=status)


@router.get("/import/{list_name}")
def import_form(request: Request, list_name: str, user: UserDep) -> Response:
    if list_name not in KINDS:
        return render(
            request, "error.html", {"title": "Not found", "message": "No such list."}, 404
        )
    return _page(request, list_name)


@router.post("/import/{list_name}")
async def import_file(
    request: Request, list_name: str, engine: EngineDep, user: UserDep
) -> Response:
    if list_name not in KINDS:
        return render(
            request, "error.html", {"title": "Not found", "message": "No such list."}, 404
        )
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, list_name, error="Choose a CSV file to import.", status=422)
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        error = f"The file is over {MAX_UPLOAD_BYTES // 2**20} MB; use `pushforce import`."
        return _page(request, list_name, error=error, status=413)
    try:
        report = import_csv(engine, user.team_id, KINDS[list_name][0], upload.file)
    except ImportFileError as problem:
        return _page(request, list_name, error=str(problem), status=422)
    return _page(request, list_name, report=report, errors_csv=errors_csv(report))
