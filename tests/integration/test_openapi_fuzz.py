"""Property-based fuzz of the whole OpenAPI surface (schemathesis) against the provisioned local cloud.

Every operation of ``/openapi.json`` gets generated requests, valid (positive) and invalid (negative),
sent authenticated to the real app: the same FastAPI app, tables, buckets and state machines as
``make run``. A case fails on any 5xx, any status the document does not list for the operation, and
any response whose body, content type or headers do not match what the document says. The seed and
the budget are fixed (``derandomize``, ``max_examples``) so CI is deterministic and bounded.

Operations are listed from the app's own document at collection time (building the app touches no
AWS), so each operation is a test of its own; a new route is fuzzed without touching this file.
(schemathesis' pytest plugin is not used: it reads a private pytest attribute that pytest 9 removed.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tradewind.services import apikeys

from infra.local.cloud import LocalCloud

EXAMPLES_PER_CASE = 20

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _cases() -> list[tuple[str, GenerationMode]]:
    """Every operation in positive mode, and in negative mode when it takes any input to get wrong."""
    from tradewind.api.app import create_app

    document = create_app().openapi()
    return [
        (f"{method.upper()} {path}", mode)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for mode in GenerationMode
        if mode is GenerationMode.POSITIVE or operation.get("parameters") or operation.get("requestBody")
    ]


@pytest.fixture(scope="module")
def api_key(cloud: LocalCloud) -> str:
    """A key of a tenant of its own, so the fuzz never touches another test's data."""
    return apikeys.create_api_key("fuzz", "schemathesis").secret


@pytest.fixture(scope="module")
def api_schema(cloud: LocalCloud) -> Any:
    from tradewind.api.app import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app())


@pytest.mark.parametrize(("label", "mode"), _cases(), ids=lambda value: str(value))
def test_operation_answers_as_documented(
    api_schema: Any, api_key: str, label: str, mode: GenerationMode
) -> None:
    operation = api_schema.find_operation_by_label(label)
    headers = {"Authorization": f"Bearer {api_key}"}

    @settings(
        max_examples=EXAMPLES_PER_CASE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
