"""The OpenAPI document, with the error model documented where it applies.

FastAPI documents validation errors with its own ``HTTPValidationError`` shape; this API answers
problem+json instead. :func:`install_openapi` rewrites every operation's 422 to the ``Problem``
schema, adds 400 (malformed JSON) and 413 (body too large) to every operation that takes a body, 401
and 403 to every operation that has a security requirement and 500 to all, so the document (and the /docs
page) says what the API really returns. Routes declare only their own statuses
(``tradewind.api.errors.problems``): a schemathesis fuzz holds each operation to exactly its list.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from tradewind.api.errors import PROBLEM_JSON, Problem

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_STANDARD = {
    "400": 'Malformed body: not JSON, not UTF-8 or nested too deeply (`errors[0].loc` is `["body"]`)',
    "401": "Missing, invalid, expired or revoked credential",
    "403": "The caller's role does not allow this operation (`detail` names the role needed)",
    "413": "Body larger than the limit (`TW_MAX_REQUEST_BODY_BYTES`, 1 MiB by default), refused unread",
    "422": "Invalid input: `errors[].loc` names every bad field",
    "500": "Unexpected error: quote `request_id`",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}}}


def _document_errors(schema: dict[str, Any]) -> None:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in _STANDARD.items():
                applies = (
                    code == "500"
                    or (code in ("400", "413") and "requestBody" in operation)
                    or (code in ("401", "403") and operation.get("security"))
                    or (code == "422" and code in responses)
                )
                if applies:
                    responses[code] = _problem(description)
            for response in responses.values():
                content = response.get("content", {})
                if PROBLEM_JSON in content and not content[PROBLEM_JSON]:
                    content[PROBLEM_JSON] = {"schema": _PROBLEM_REF}


def install_openapi(app: FastAPI) -> None:
    """Replace ``app.openapi`` with a cached generator that documents the problem+json model."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                servers=app.servers or None,  # FastAPI adds the root path (API Gateway stage) here
            )
            _document_errors(schema)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas["Problem"] = problem
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
