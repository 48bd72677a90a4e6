"""Security headers on every UI response (not the JSON API): no framing, no sniffing, a
same-origin referrer, a Content-Security-Policy that allows only our own scripts and styles
(htmx's ``hx-on`` handlers need ``unsafe-eval``; the progress bars set inline widths), and HSTS
when served over HTTPS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
NOT_UI = ("/api/", "/docs", "/openapi.json", "/redoc")


def install_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if not request.url.path.startswith(NOT_UI):
            for name, value in HEADERS.items():
                response.headers.setdefault(name, value)
            if request.url.scheme == "https":
                response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
