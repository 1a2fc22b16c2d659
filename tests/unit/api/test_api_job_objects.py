"""A job's objects in the artifacts bucket under moto: the intermediates (manifest, shards) are tagged
for expiry when written, nothing reads them once the job is final, and deleting a job deletes every
version and delete marker under its prefix (the bucket is versioned)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client
from tradewind.data import objects
from tradewind.jobs import store
from tradewind.jobs.artifacts import INTERMEDIATE_TAGGING, job_prefix, manifest_key, spec_key

from tests.unit.api.job_workflow import run_workflow
from tests.unit.api.jobs_support import ARTIFACTS, SYMBOLS, provision, ready_dataset, sma_cross

INTERMEDIATE = [{"Key": "tw-retention", "Value": "intermediate"}]


@pytest.fixture
def machine(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    arn = provision(monkeypatch)
    s3 = client("s3")
    s3.put_bucket_versioning(Bucket=ARTIFACTS, VersioningConfiguration={"Status": "Enabled"})
    return arn


@pytest.fixture
def data(machine: str) -> tuple[str, Any]:
    return ready_dataset("acme", SYMBOLS[:2])


def _backtest(dataset_id: str, **extra: Any) -> dict[str, Any]:
    return {"strategy": sma_cross(), "dataset_id": dataset_id, "symbols": SYMBOLS[:2], **extra}


def _optimization(dataset_id: str, **extra: Any) -> dict[str, Any]:
    space = {"fast": {"min": 5, "max": 15, "step": 5}, "slow": [20, 40]}
    return {**_backtest(dataset_id), "space": space, **extra}


def _submit(api: TestClient, h: dict[str, str], route: str, body: dict[str, Any]) -> str:
    r = api.post(route, json=body, headers=h)
    assert r.status_code == 202, r.text
    return str(r.json()["job_id"])


def _tags(key: str) -> list[dict[str, str]]:
    return list(client("s3").get_object_tagging(Bucket=ARTIFACTS, Key=key)["TagSet"])


def _keys(prefix: str) -> list[str]:
    return objects.list_keys(ARTIFACTS, prefix)


def _versions(prefix: str) -> list[tuple[str, str]]:
    """Every version and delete marker under ``prefix``, as ``(key, kind)``."""
    listed = client("s3").list_object_versions(Bucket=ARTIFACTS, Prefix=prefix)
    return sorted(
        [(v["Key"], "version") for v in listed.get("Versions", [])]
        + [(m["Key"], "marker") for m in listed.get("DeleteMarkers", [])]
    )


def _expire_intermediates(tenant_id: str, job_id: str) -> None:
    """What the lifecycle rule does to the tagged objects, sooner: they are gone, every version."""
    for key in _keys(job_prefix(tenant_id, job_id)):
        if _tags(key) == INTERMEDIATE:
            objects.purge_prefix(ARTIFACTS, key)


def test_the_manifest_and_shards_are_tagged_intermediate_and_nothing_else_is(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    assert INTERMEDIATE_TAGGING == "tw-retention=intermediate"
    for route, body in (("/backtests", _backtest(data[0])), ("/optimizations", _optimization(data[0]))):
        job_id = _submit(api, h, route, body)
        assert run_workflow("acme", job_id)["status"] == "succeeded"
        prefix = job_prefix("acme", job_id)
        keys = _keys(prefix)
        shards = [k for k in keys if k.startswith(f"{prefix}shards/")]
        results = [k for k in keys if k.startswith(f"{prefix}results/")]
        assert len(shards) == 2  # one per symbol (the optimization's 6 combinations fit one shard)
        assert results
        assert sorted(keys) == sorted(
            [spec_key("acme", job_id), manifest_key("acme", job_id), *shards, *results]
        )
        for key in [manifest_key("acme", job_id), *shards]:
            assert _tags(key) == INTERMEDIATE, key
        for key in [spec_key("acme", job_id), *results]:
            assert _tags(key) == [], key


def test_a_job_cancelled_before_its_plan_writes_a_tagged_empty_manifest(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    job_id = _submit(api, h, "/backtests", _backtest(data[0]))
    assert api.post(f"/jobs/{job_id}/cancel", headers=h).status_code == 200
    assert run_workflow("acme", job_id)["status"] == "cancelled"
    assert _tags(manifest_key("acme", job_id)) == INTERMEDIATE


def test_nothing_reads_the_intermediates_of_a_final_backtest(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    job_id = _submit(api, h, "/backtests", _backtest(data[0]))
    assert run_workflow("acme", job_id)["status"] == "succeeded"
    url = f"/backtests/{job_id}"
    paths = ("/results", "/trades", "/curves")
    before = {
        path: api.get(url + path if path else f"/jobs/{job_id}", headers=h).json() for path in ("", *paths)
    }
    _expire_intermediates("acme", job_id)
    assert not any("/shards/" in k or k.endswith("manifest.json") for k in _keys(job_prefix("acme", job_id)))

    for path, answer in before.items():
        r = api.get(url + path if path else f"/jobs/{job_id}", headers=h)
        assert (r.status_code, r.json()) == (200, answer), path
    assert api.get("/backtests/compare", params={"ids": job_id}, headers=h).status_code == 200
    cached = api.post("/backtests", json=_backtest(data[0]), headers=h)  # a cached copy of its results
    assert (cached.status_code, cached.json()["cached"]) == (200, True)
    assert api.get(f"/backtests/{cached.json()['job_id']}/results", headers=h).status_code == 200
    assert api.delete(f"/jobs/{job_id}", headers=h).status_code == 204


def test_nothing_reads_the_intermediates_of_a_final_optimization(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    body = _optimization(data[0], walk_forward={"train_bars": 200, "test_bars": 100})
    job_id = _submit(api, h, "/optimizations", body)
    assert run_workflow("acme", job_id)["status"] == "succeeded"
    url = f"/optimizations/{job_id}"
    reads = ["/leaderboard", "/table?limit=5", "/heatmap?x=fast&y=slow", "/walk-forward"]
    reads.append("/download?format=csv")
    before = {path: api.get(url + path, headers=h) for path in reads}
    assert all(r.status_code == 200 for r in before.values()), {p: r.text for p, r in before.items()}
    _expire_intermediates("acme", job_id)

    for path in reads:
        r = api.get(url + path, headers=h)
        assert r.status_code == 200, (path, r.text)
        if path != "/download?format=csv":  # a fresh presigned URL each time
            assert r.json() == before[path].json(), path
    drilled = api.post(f"{url}/combinations/3/backtest", headers=h)
    assert drilled.status_code == 202, drilled.text
    assert run_workflow("acme", drilled.json()["job_id"])["status"] == "succeeded"
    assert api.delete(f"/jobs/{job_id}", headers=h).status_code == 204


def test_deleting_a_job_deletes_every_version_and_delete_marker(
    api: TestClient, h: dict[str, str], data: tuple[str, Any]
) -> None:
    job_id = _submit(api, h, "/backtests", _backtest(data[0]))
    assert run_workflow("acme", job_id)["status"] == "succeeded"
    other = _submit(api, h, "/backtests", _backtest(data[0], force=True))
    prefix = job_prefix("acme", job_id)
    s3 = client("s3")
    summary = f"{prefix}results/summary.json"
    s3.put_object(Bucket=ARTIFACTS, Key=summary, Body=b"{}")  # a second version
    s3.delete_object(Bucket=ARTIFACTS, Key=f"{prefix}shards/00000.json")  # a delete marker
    kinds = {kind for _, kind in _versions(prefix)}
    assert kinds == {"version", "marker"}
    others = _versions(job_prefix("acme", other))
    assert others

    assert api.delete(f"/jobs/{job_id}", headers=h).status_code == 204
    assert _versions(prefix) == []
    assert _versions(job_prefix("acme", other)) == others  # another job's objects stay


def test_a_delete_that_s3_refuses_fails_and_keeps_the_record(
    api: TestClient, h: dict[str, str], data: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """S3 answers per-key failures of DeleteObjects with a 200: they must fail the delete (which can
    be repeated: the record goes last), not leave objects behind silently."""
    job_id = _submit(api, h, "/backtests", _backtest(data[0]))
    real = client("s3")

    class Refusing:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def delete_objects(self, **kwargs: Any) -> dict[str, Any]:
            key = kwargs["Delete"]["Objects"][0]["Key"]
            return {"Errors": [{"Key": key, "Code": "AccessDenied", "Message": "Access Denied"}]}

    monkeypatch.setattr(objects.aws, "client", lambda name: Refusing() if name == "s3" else client(name))
    with pytest.raises(RuntimeError, match="could not delete 1 object"):
        store.delete_job_objects("acme", job_id)
    assert api.delete(f"/jobs/{job_id}", headers=h).status_code == 500
    monkeypatch.setattr(objects.aws, "client", client)
    assert api.get(f"/jobs/{job_id}", headers=h).status_code == 200
    assert api.delete(f"/jobs/{job_id}", headers=h).status_code == 204
    assert _versions(job_prefix("acme", job_id)) == []
