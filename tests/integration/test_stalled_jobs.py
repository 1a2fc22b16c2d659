"""Stalled jobs on the local cloud (docs/jobs.md#stalled-jobs): the janitor Lambda, invoked as its
schedule does, flags a running job with no progress for its kind's threshold in the timeline and
notifies once; progress clears the flag (at once in the API, then in the timeline); a later stall
is flagged and notified again; the job still finishes normally. Time passing is played by moving
the job's last progress (``updated_at``) back, never by waiting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.data.jobs import JobRecord
from tradewind.services import apikeys

from infra.local.cloud import LocalCloud

TENANT = "watchful"


@pytest.fixture
def api(clean_cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def h(clean_cloud: LocalCloud) -> dict[str, str]:
    return {"X-Api-Key": apikeys.create_api_key(TENANT, "test").secret}


def _janitor(cloud: LocalCloud) -> dict[str, Any]:
    result, errored = cloud.runtime.invoke(cloud.function_name("Janitor"), {})
    assert not errored, result
    return dict(result)


def _running_command(api: TestClient, h: dict[str, str]) -> JobRecord:
    """A prune-jobs run taken by the runner: ``running`` as the runner leaves it mid-run."""
    from tradewind.commands.runs import start

    record = start(TENANT, "prune-jobs", {"days": 30})
    now = datetime.now(UTC)
    record.update(
        actions=[
            JobRecord.status.set("running"),
            JobRecord.started_at.set(now),
            JobRecord.updated_at.set(now),
        ]
    )
    return record


def _quiet_for(record: JobRecord, seconds: float) -> None:
    """The job's last progress was ``seconds`` ago."""
    record.refresh()
    record.update(actions=[JobRecord.updated_at.set(datetime.now(UTC) - timedelta(seconds=seconds))])


def _moves(record: JobRecord) -> None:
    record.refresh()
    record.update(actions=[JobRecord.combos_done.add(0), JobRecord.updated_at.set(datetime.now(UTC))])


def _events(api: TestClient, h: dict[str, str], job_id: str) -> list[str]:
    entries = api.get(f"/jobs/{job_id}/timeline", headers=h).json()["entries"]
    return [e["status"] for e in entries if e["status"] in ("stalled", "progressing")]


def _stall_notes(api: TestClient, h: dict[str, str]) -> list[dict[str, Any]]:
    return [n for n in api.get("/notifications", headers=h).json()["items"] if n["kind"] == "job.stalled"]


def test_a_quiet_job_is_flagged_and_notified_once_cleared_by_progress_and_flagged_again(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    record = _running_command(api, h)
    job_id = record.job_id
    # a command's threshold: max(10 x the runner's 600 s timeout, 900 s) = 100 minutes
    _quiet_for(record, 99 * 60)
    assert _janitor(clean_cloud)["jobs_stalled"] == 0
    assert api.get(f"/jobs/{job_id}", headers=h).json()["stalled_since"] is None

    _quiet_for(record, 101 * 60)
    assert _janitor(clean_cloud)["jobs_stalled"] == 1
    job = api.get(f"/jobs/{job_id}", headers=h).json()
    assert job["status"] == "running"
    assert job["stalled_since"] is not None
    assert _events(api, h, job_id) == ["stalled"]
    [note] = _stall_notes(api, h)
    assert note["link"] == f"/jobs/{job_id}"
    assert "no progress for 1:41:00" in note["body"]
    assert note["message"]["code"] == "job.stalled"
    assert note["message"]["params"]["quiet_seconds"] == 101 * 60
    listed = api.get("/jobs?kind=command", headers=h).json()["items"]
    assert [j["stalled_since"] for j in listed] == [job["stalled_since"]]

    assert _janitor(clean_cloud)["jobs_stalled"] == 0  # still stalled: never flagged or notified twice
    assert _events(api, h, job_id) == ["stalled"]
    assert len(_stall_notes(api, h)) == 1

    _moves(record)
    assert api.get(f"/jobs/{job_id}", headers=h).json()["stalled_since"] is None  # at once
    assert _janitor(clean_cloud)["jobs_cleared"] == 1
    assert _events(api, h, job_id) == ["stalled", "progressing"]
    assert _janitor(clean_cloud)["jobs_cleared"] == 0

    _quiet_for(record, 2 * 3600)
    assert _janitor(clean_cloud)["jobs_stalled"] == 1
    assert _events(api, h, job_id) == ["stalled", "progressing", "stalled"]
    assert len(_stall_notes(api, h)) == 2
    lines = [x["message"] for x in api.get(f"/jobs/{job_id}/logs", headers=h).json()["items"]]
    assert sum(line.startswith("stalled: no progress for") for line in lines) == 2

    # it may still finish: the command runs (the runner found it running: it fails it, by design)
    from tradewind.jobs.records import finish

    record.refresh()
    now = datetime.now(UTC)
    assert finish(record, "succeeded", ("running",), finished_at=now, updated_at=now)
    done = api.get(f"/jobs/{job_id}", headers=h).json()
    assert (done["status"], done["stalled_since"]) == ("succeeded", None)
    assert _janitor(clean_cloud)["jobs_checked"] == 0


def test_paused_and_final_jobs_are_never_stalled(
    clean_cloud: LocalCloud, api: TestClient, h: dict[str, str]
) -> None:
    paused = _running_command(api, h)
    paused.update(actions=[JobRecord.status.set("paused")])
    _quiet_for(paused, 10 * 3600)
    assert _janitor(clean_cloud)["jobs_stalled"] == 0
    assert _stall_notes(api, h) == []
