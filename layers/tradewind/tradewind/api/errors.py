"""One error model for the whole API: RFC 9457 ``application/problem+json`` bodies.

Every failure — request validation, a :class:`tradewind.errors.TradewindError` raised by a service,
an ``HTTPException`` (404 route, 405 method) and any unexpected exception (see ``middleware``) — is
answered with a :class:`Problem`, so clients parse one shape and find every bad field by its ``loc``.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import Match

from tradewind.errors import TooManyRequests, TradewindError, Unauthorized

PROBLEM_JSON = "application/problem+json"
WWW_AUTHENTICATE = 'Bearer realm="tradewind", ApiKey header="X-Api-Key"'
TOO_LARGE = "Content too large"
MALFORMED = "Malformed body"


class ProblemDetail(BaseModel):
    """One thing wrong with the request, located by its path (``["body", "symbols", 2]``)."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """The body of every error response."""

    type: str = Field(
        description="URI naming the kind of problem", examples=["urn:tradewind:problem:not-found"]
    )
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["watchlist 'abc' not found"])
    instance: str | None = Field(default=None, description="the request path", examples=["/watchlists/abc"])
    request_id: str | None = Field(default=None, description="also in the X-Request-Id header")
    errors: list[ProblemDetail] = Field(default_factory=list, description="one entry per bad field")


def _problem_type(title: str) -> str:
    return "urn:tradewind:problem:" + "-".join(title.lower().split())


def problem_body(
    *,
    status: int,
    title: str,
    detail: str | None,
    instance: str | None,
    request_id: str | None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A problem as a JSON-ready dict (used by the exception handlers and the request middleware)."""
    return {
        "type": _problem_type(title),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": request_id,
        "errors": errors or [],
    }


def problem_response(
    request: Request,
    status: int,
    detail: str | None,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = problem_body(
        status=status,
        title=title or HTTPStatus(status).phrase,
        detail=detail,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        errors=errors,
    )
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _malformed(request: Request, msg: str) -> Response:
    """400: the body is not JSON at all (422 is for JSON whose content is wrong)."""
    errors = [{"loc": ["body"], "msg": msg, "type": "json_invalid"}]
    return problem_response(request, 400, f"the request body is {msg}", title=MALFORMED, errors=errors)


def _unreadable(cause: BaseException) -> str:
    """Why FastAPI could not read a body as JSON (it answers its own generic 400 for these)."""
    if isinstance(cause, RecursionError):
        return "JSON nested too deeply"
    if isinstance(cause, UnicodeDecodeError):
        return "not UTF-8"
    return "not JSON"


HTTP_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """Every method some route of the path takes (Starlette's 405 names only the first route's).

    Asks each route whether it fully matches the path with each method: the public ``matches`` works
    the same through FastAPI's included routers, whatever their internals.
    """
    routes = request.app.router.routes
    allowed = [
        method
        for method in HTTP_METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    return ", ".join(allowed)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = jsonable_encoder(exc.errors())
    for e in raw:
        if e.get("type") == "json_invalid":
            reason = (e.get("ctx") or {}).get("error", "invalid")
            return _malformed(request, f"not JSON: {reason} (at character {e['loc'][-1]})")
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "value_error")}
        for e in raw
    ]
    fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in errors)
    return problem_response(request, 422, f"invalid request: {fields}", title="Invalid input", errors=errors)


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TradewindError)
    errors = [{"loc": p.loc, "msg": p.msg, "type": p.type} for p in exc.problems]
    headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if isinstance(exc, Unauthorized) else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem_response(request, exc.status, exc.detail, title=exc.title, errors=errors, headers=headers)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI could not read the body
        return _malformed(request, _unreadable(exc.__cause__))
    headers = exc.headers
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(request, exc.status_code, detail, headers=headers)


class BodyTooLarge(HTTPException):
    """A request body longer than the limit, found while it streams in.

    An ``HTTPException`` because FastAPI re-raises those when reading a body fails; it turns any other
    error met there into its generic 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes, the limit")


def too_large_errors(detail: str) -> list[dict[str, Any]]:
    return [{"loc": ["body"], "msg": detail, "type": "too_large"}]


async def _too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTooLarge)
    detail = str(exc.detail)
    return problem_response(request, 413, detail, title=TOO_LARGE, errors=too_large_errors(detail))


def install_error_handlers(app: FastAPI) -> None:
    """Route every handled error through :func:`problem_response`."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(TradewindError, _domain)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(BodyTooLarge, _too_large)


def _documented(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {}}}


PROBLEM_DESCRIPTIONS: dict[int, str] = {
    404: "Not found (another tenant's records are never visible)",
    409: "Conflict with the current state (a limit reached, a concurrent edit, not ready or not finished)",
    503: "A dependency or provider is unavailable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that answers these problem statuses, and only of such a route.

    400 and 413 (operations with a body), 401 (with security), 422 (with parameters) and 500 are
    added where they apply by :mod:`tradewind.api.openapi`, which also fills in the schema.
    """
    return {status: _documented(PROBLEM_DESCRIPTIONS[status]) for status in statuses}
