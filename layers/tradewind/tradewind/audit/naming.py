"""What an audit record calls a request: its action name and its target id, derived from the route.

One rule for every route (no per-route code), so a new route is named as soon as it exists:

- the action is the path template's literal segments joined by dots, plus the method's verb when the
  path ends on a parameter or is a bare collection (``POST /strategies`` -> ``strategies.create``,
  ``PUT /strategies/{strategy_id}`` -> ``strategies.update``, ``DELETE /watchlists/{watchlist_id}/
  symbols/{symbol}`` -> ``watchlists.symbols.delete``); a ``POST`` to a literal sub-path names the
  action by that path (``POST /jobs/{job_id}/cancel`` -> ``jobs.cancel``);
- the target is the id of what a successful ``POST`` created (a ``Location`` header, else the
  answer's ``id`` or first ``*_id`` field, when it is not one of the path's own ids), else the path's
  first parameter (``DELETE /jobs/{job_id}`` -> the job id).

Pure: no AWS, no FastAPI; the middleware (:mod:`tradewind.api.audit`) feeds it the route's template.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
VERBS = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}

READ_ONLY_POSTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/strategies/validate"),
        ("POST", "/optimizations/estimate"),
        ("POST", "/schedules/preview"),
        ("POST", "/realtime/tickets"),
    }
)
"""``POST`` operations that change nothing (they take a body too large or too structured for a query
string): not audited. Every other POST/PUT/PATCH/DELETE is."""


def is_audited(method: str, template: str) -> bool:
    """Whether a call of ``method template`` is recorded."""
    method = method.upper()
    return method in MUTATING_METHODS and (method, template) not in READ_ONLY_POSTS


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def action_name(method: str, template: str) -> str:
    """The stable action name of ``method template`` (a route's OpenAPI path template)."""
    method = method.upper()
    segments = [s for s in template.strip("/").split("/") if s]
    literals = [s for s in segments if not _is_param(s)]
    base = ".".join(literals) or "root"
    ends_on_literal = bool(segments) and not _is_param(segments[-1])
    if method == "POST" and ends_on_literal and len(segments) > 1:
        return base
    return f"{base}.{VERBS.get(method, method.lower())}"


def path_params_of(template: str, params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The path parameters in the order the template names them."""
    names = [s[1:-1].split(":")[0] for s in template.strip("/").split("/") if _is_param(s)]
    return [(n, str(params[n])) for n in names if n in params]


def _document(body: bytes) -> dict[str, Any] | None:
    try:
        document = json.loads(body) if body else None
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def answer_field(body: bytes, name: str) -> str | None:
    """A string field of a JSON object answer (``org_id`` of an accepted invitation)."""
    value = (_document(body) or {}).get(name)
    return value if isinstance(value, str) and value else None


def created_id(body: bytes, location: str | None) -> str | None:
    """The id of a created object: the ``Location`` header's last segment, else the answer's ``id``
    or first ``*_id`` field (bodies are small JSON objects: the created record)."""
    if location:
        return location.rstrip("/").rsplit("/", 1)[-1] or None
    document = _document(body)
    if document is None:
        return None
    if isinstance(document.get("id"), str | int):
        return str(document["id"])
    for key, value in document.items():
        if key.endswith("_id") and isinstance(value, str | int):
            return str(value)
    return None


def target_id(
    method: str, template: str, params: Mapping[str, Any], status: int, body: bytes, location: str | None
) -> str | None:
    """What the call acted on: an object a successful ``POST`` created (an id in its answer that is not
    one of the path's own), else the path's first parameter."""
    ordered = path_params_of(template, params)
    if method.upper() == "POST" and 200 <= status < 300:
        found = created_id(body, location)
        if found is not None and found not in {value for _, value in ordered}:
            return found
    return ordered[0][1] if ordered else None
