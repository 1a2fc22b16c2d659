"""Schedule fire → job started, on ``make run``'s stack (docs/schedules.md).

Starts the local stack (fresh data directory, no sample seed), creates one-off command schedules
(``at(...)`` a few seconds ahead, target ``prune-jobs`` with nothing to prune) through the API, and
reads each fire's job: ``created`` is the job's creation minus the scheduled time (the ticker's
1-second tick, the fire Lambda's claim and submit), ``started`` its start (the command runner took
it from the queue). Locally the ticker ticks once a second, so up to ~1 s of each figure is the
tick; in AWS EventBridge Scheduler's own delivery (seconds, within its flexible window OFF) applies.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from infra.local.launcher import LocalStack

SCHEDULES = 5
LEAD_S = 8  # seconds ahead: more than the ticker's 5 s refresh, so each fires on time
TARGET = {"kind": "command", "command": "prune-jobs", "params": {"days": 3650}}


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def measure(base: str, key: str) -> list[tuple[float, float]]:
    import httpx

    headers = {"X-Api-Key": key}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=LEAD_S)
        ids = []
        for n in range(SCHEDULES):
            body = {
                "name": f"bench {n}",
                "expression": f"at({_when(start + timedelta(seconds=n))})",
                "target": TARGET,
            }
            answer = http.post("/schedules", json=body)
            answer.raise_for_status()
            ids.append(answer.json()["schedule_id"])
        deadline = time.monotonic() + LEAD_S + SCHEDULES + 60
        results: dict[str, tuple[float, float]] = {}
        while len(results) < len(ids) and time.monotonic() < deadline:
            for schedule_id in ids:
                if schedule_id in results:
                    continue
                fires: list[dict[str, Any]] = http.get(f"/schedules/{schedule_id}/fires").json()["items"]
                if not fires or not fires[0].get("job_id"):
                    continue
                job = http.get(f"/jobs/{fires[0]['job_id']}").json()
                if not job.get("started_at"):
                    continue
                scheduled = _parse(fires[0]["scheduled_time"])
                results[schedule_id] = (
                    (_parse(job["created_at"]) - scheduled).total_seconds(),
                    (_parse(job["started_at"]) - scheduled).total_seconds(),
                )
            time.sleep(0.2)
        return list(results.values())


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tw-bench-schedules-") as tmp:
        local = LocalStack(data_dir=Path(tmp) / "data", seed=False)
        try:
            local.start()
            samples = measure(local.url, local.api_key)
        finally:
            local.stop()
    if not samples:
        print("no schedule fired: is the ticker running?")
        return
    created = sorted(s[0] for s in samples)
    started = sorted(s[1] for s in samples)
    print(f"schedule fire → job, {len(samples)} one-off command schedules on make run's stack:")
    print(f"  scheduled time → job created : p50 {statistics.median(created):.2f} s, max {created[-1]:.2f} s")
    print(f"  scheduled time → job started : p50 {statistics.median(started):.2f} s, max {started[-1]:.2f} s")
    print("  (target: started within 2 s of the scheduled time locally; the ticker ticks every 1 s)")


if __name__ == "__main__":
    main()
