"""Property-based fuzz of the whole OpenAPI surface (schemathesis) against the provisioned local cloud.

Every operation of ``/openapi.json`` gets generated requests sent authenticated to the real app: the
same FastAPI app, tables, buckets and state machines as ``make run``. Three kinds of case:

- ``positive``: requests that fit the document;
- ``negative``: requests that break it (operations with any input to get wrong);
- ``existing``: positive requests whose path names objects that exist (a watchlist, a strategy, a
  dataset with bars, a finished backtest and optimization), so handlers past the 404 are fuzzed too.

A case fails on any 5xx, any status the document does not list for the operation, and any response
whose body, content type or headers do not match what the document says. (schemathesis' check that
invalid requests are refused is left out: the key this test sends replaces the invalid Authorization
headers that negative generation makes, so it reports requests that were in fact valid.)
The seed and the budget are fixed (``derandomize``, ``max_examples``) so CI is deterministic and
bounded.

Operations are listed from the app's own document at collection time (building the app touches no
AWS), so each operation is a test of its own and a new route is fuzzed without touching this file.
(schemathesis' pytest plugin is not used: it reads a private pytest attribute that pytest 9 removed.)
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
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
from tests.integration.marketdata_support import publish_sample_dataset

EXAMPLES_PER_CASE = 20
CALL_TIMEOUT = 60
"""Seconds a call may take (requests' default here is 10): moto serializes each DynamoDB item it
answers in ~4 ms, and ``GET /audit/export`` without filters reads every audit record the fuzz made."""
TENANT = "fuzz"
DATASET = "fuzzbars"
EXISTING = "existing"  # the third kind of case: positive, with the path naming real objects
FINAL = {"succeeded", "failed", "cancelled", "stopped"}


def no_unplanned_server_error(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """Any 5xx fails, except a 503 the operation documents: a deliberate "not available here" (the
    yfinance import without its optional package, readiness while a dependency is down)."""
    if response.status_code == 503 and "503" in case.operation.definition.raw.get("responses", {}):
        return True
    return schemathesis.checks.not_a_server_error(ctx, response, case)


CHECKS = [
    no_unplanned_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _cases() -> list[tuple[str, str]]:
    """(operation, kind) pairs: every operation positive; negative when it takes any input; existing
    when its path names an object (not for DELETE, which would take the object from later cases)."""
    from tradewind.api.app import create_app

    document = create_app().openapi()
    cases = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            cases.append((label, GenerationMode.POSITIVE.value))
            if operation.get("parameters") or operation.get("requestBody"):
                cases.append((label, GenerationMode.NEGATIVE.value))
            if "{" in path and method != "delete":
                cases.append((label, EXISTING))
    return cases


def _wait_final(api: TestClient, path: str) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = api.get(path).json()
        if job["status"] in FINAL:
            return job
        time.sleep(0.2)
    raise AssertionError(f"{path} did not finish: {job}")


@pytest.fixture(scope="module")
def app(cloud: LocalCloud) -> Any:
    from tradewind.api.app import create_app

    return create_app()


@pytest.fixture(scope="module")
def api_key(cloud: LocalCloud) -> str:
    """A key of a tenant of its own, so the fuzz never touches another test's data."""
    return apikeys.create_api_key(TENANT, "schemathesis").secret


@pytest.fixture(scope="module")
def existing(cloud: LocalCloud, app: Any, api_key: str) -> Iterator[dict[str, str]]:
    """Path parameter values that name real objects of the fuzz tenant, created through the API."""
    symbols = list(publish_sample_dataset(TENANT, DATASET, 2))
    with TestClient(app, headers={"Authorization": f"Bearer {api_key}"}) as api:
        watchlist = api.post("/watchlists", json={"name": "fuzz", "symbols": symbols}).json()
        strategy = api.post("/strategies", json={"template": "sma_cross", "name": "fuzz"}).json()
        universe = {"strategy_id": strategy["strategy_id"], "dataset_id": DATASET, "symbols": symbols}
        backtest = api.post("/backtests", json={**universe, "params": {"fast": 10, "slow": 40}}).json()
        space = {"fast": {"min": 5, "max": 20, "step": 5}, "slow": {"min": 30, "max": 60, "step": 10}}
        optimization = api.post("/optimizations", json={**universe, "space": space}).json()
        scan = {"template": "sma_cross", "universe": {"kind": "dataset", "dataset_id": DATASET}}
        run = api.post("/pipeline/runs", json=scan).json()
        cloud.drain_queues()
        for job in (backtest, optimization, run):  # one route reads every kind
            assert _wait_final(api, f"/jobs/{job['job_id']}")["status"] == "succeeded"
        notification = api.get("/notifications").json()["items"][0]
        prune = {"kind": "command", "command": "prune-jobs", "params": {"days": 3650}}
        schedule = api.post(
            "/schedules", json={"name": "fuzz", "expression": "rate(1 day)", "target": prune}
        ).json()
        workflow = api.post("/workflows", json={"name": "fuzz", "steps": [{"target": prune}]}).json()
        workflow_run = api.post(f"/workflows/{workflow['workflow_id']}/runs").json()
        key = api.post("/api-keys", json={"name": "fuzz spare"}).json()
        hook = {"url": "https://hooks.example.com/fuzz", "subscriptions": [{"event": "job.failed"}]}
        channel = api.post("/channels", json={"name": "fuzz", "kind": "webhook", **hook}).json()
        invitation = api.post("/org/invitations", json={"email": "fuzz@example.com", "role": "viewer"}).json()
        # Members join by accepting with an ID token; a person is made a member directly here.
        from tradewind.accounts.members import add_member
        from tradewind.accounts.principal import Role

        member = add_member(TENANT, "fuzz-person-1", "person@example.com", Role.RESEARCHER)
        yield {
            "watchlist_id": watchlist["watchlist_id"],
            "strategy_id": strategy["strategy_id"],
            "version": "1",
            "dataset_id": DATASET,
            "symbol": symbols[0],
            "name": "sma_cross",
            "notification_id": notification["notification_id"],
            "key_id": key["key_id"],
            "schedule_id": schedule["schedule_id"],
            "workflow_id": workflow["workflow_id"],
            "/workflows/runs/": workflow_run["job_id"],
            "channel_id": channel["channel_id"],
            "invitation_id": invitation["invitation_id"],
            "member_id": member.user_id,
            "n": "0",
            "/backtests/": backtest["job_id"],
            "/optimizations/": optimization["job_id"],
            "/pipeline/runs/": run["job_id"],
            "/jobs/": optimization["job_id"],  # timeline, progress, logs; cancel answers 409 (final)
            "universe": run["universe"],
        }


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _path_parameters(path: str, existing: dict[str, str]) -> dict[str, str]:
    values = {}
    for name in re.findall(r"{(\w+)}", path):
        if name == "job_id":
            values[name] = next(v for prefix, v in existing.items() if path.startswith(prefix))
        else:
            values[name] = existing[name]
    return values


@pytest.mark.parametrize(("label", "kind"), _cases(), ids=lambda value: str(value))
def test_operation_answers_as_documented(
    request: pytest.FixtureRequest, api_schema: Any, api_key: str, label: str, kind: str
) -> None:
    operation = api_schema.find_operation_by_label(label)
    headers = {"Authorization": f"Bearer {api_key}"}
    if kind == EXISTING:
        known = _path_parameters(operation.path, request.getfixturevalue("existing"))
        strategy = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known)
    else:
        strategy = operation.as_strategy(GenerationMode(kind))

    @settings(
        max_examples=EXAMPLES_PER_CASE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=CALL_TIMEOUT)

    fuzz()
