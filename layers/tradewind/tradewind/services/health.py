"""Health use cases: identity of the running build and readiness of the resources the API needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from tradewind.aws import client
from tradewind.settings import Settings, get_settings
from tradewind.version import __version__, build_commit


@dataclass(frozen=True)
class Check:
    """One dependency probe: its name, whether it answered, and why not."""

    name: str
    ok: bool
    detail: str


def build_info() -> dict[str, str]:
    """What is running where: version, commit, stage, region."""
    settings = get_settings()
    return {
        "version": __version__,
        "commit": build_commit(),
        "stage": settings.stage,
        "region": settings.region,
    }


def _probe(service: str, target: str, call: str, **kwargs: str) -> Check:
    """Call ``client(service).<call>(**kwargs)``; any AWS error marks ``service`` not ready."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        getattr(client(service), call)(**kwargs)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        return Check(service, False, f"{target}: {code}")
    except BotoCoreError as exc:
        return Check(service, False, f"{target}: {type(exc).__name__}")
    return Check(service, True, target)


def readiness() -> list[Check]:
    """Probe DynamoDB (describe the main table) and S3 (head the data bucket) for real."""
    settings = get_settings()
    return [
        _probe("dynamodb", settings.table_name, "describe_table", TableName=settings.table_name),
        _probe("s3", settings.data_bucket, "head_bucket", Bucket=settings.data_bucket),
    ]


ComponentKind = Literal["table", "bucket", "queue", "dead_letter_queue", "state_machine"]


@dataclass(frozen=True)
class Component:
    """One resource of the platform as the system page shows it: answering, and its backlog."""

    kind: ComponentKind
    role: str  # what it is for: "main", "connections", "import", "pipeline", "jobs", "seed", ...
    resource: str
    ok: bool
    detail: str
    depth: int | None = None  # a queue's messages waiting or in flight; a dead-letter queue's waiting


def _queue_depth(url: str, in_flight: bool) -> int:
    names = ["ApproximateNumberOfMessages", *(["ApproximateNumberOfMessagesNotVisible"] if in_flight else [])]
    attributes = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attributes.get(name, 0)) for name in names)


def _component(
    kind: ComponentKind, role: str, resource: str, probe: Callable[[], tuple[str, int | None]]
) -> Component:
    """Run ``probe`` (its detail and depth); an AWS error, or no resource configured, is not ok."""
    from botocore.exceptions import BotoCoreError, ClientError

    if not resource:
        return Component(kind, role, resource, False, "not configured")
    try:
        detail, depth = probe()
    except ClientError as exc:
        return Component(kind, role, resource, False, exc.response.get("Error", {}).get("Code", "error"))
    except BotoCoreError as exc:
        return Component(kind, role, resource, False, type(exc).__name__)
    ok = not (kind == "dead_letter_queue" and depth)
    return Component(kind, role, resource, ok, detail, depth)


def _table(name: str) -> Callable[[], tuple[str, int | None]]:
    return lambda: (str(client("dynamodb").describe_table(TableName=name)["Table"]["TableStatus"]), None)


def _bucket(name: str) -> Callable[[], tuple[str, int | None]]:
    def probe() -> tuple[str, int | None]:
        client("s3").head_bucket(Bucket=name)
        return "reachable", None

    return probe


def _queue(url: str, *, dead_letters: bool = False) -> Callable[[], tuple[str, int | None]]:
    def probe() -> tuple[str, int | None]:
        depth = _queue_depth(url, in_flight=not dead_letters)
        if dead_letters:
            return ("empty" if depth == 0 else f"{depth} failed message(s) waiting for a redrive"), depth
        return f"{depth} message(s) waiting or in flight", depth

    return probe


def _machine(arn: str) -> Callable[[], tuple[str, int | None]]:
    def probe() -> tuple[str, int | None]:
        answer: dict[str, Any] = client("stepfunctions").describe_state_machine(stateMachineArn=arn)
        return str(answer.get("status", "ACTIVE")), None

    return probe


def system_status(settings: Settings | None = None) -> list[Component]:
    """Every resource the platform runs on, probed for real: tables, buckets, the import and pipeline
    queues with their depth, their dead-letter queues (not ok while a failed message waits), and the
    job and seed state machines."""
    from tradewind.pipeline.config import pipeline_config

    s = settings or get_settings()
    return [
        _component("table", "main", s.table_name, _table(s.table_name)),
        _component("table", "connections", s.connections_table_name, _table(s.connections_table_name)),
        _component("bucket", "data", s.data_bucket, _bucket(s.data_bucket)),
        _component("bucket", "artifacts", s.artifacts_bucket, _bucket(s.artifacts_bucket)),
        _component("queue", "import", s.import_queue_url, _queue(s.import_queue_url)),
        _component("queue", "pipeline", pipeline_config().queue_url, _queue(pipeline_config().queue_url)),
        _component(
            "dead_letter_queue",
            "import",
            s.import_dead_letter_url,
            _queue(s.import_dead_letter_url, dead_letters=True),
        ),
        _component(
            "dead_letter_queue",
            "pipeline",
            s.pipeline_dead_letter_url,
            _queue(s.pipeline_dead_letter_url, dead_letters=True),
        ),
        _component("state_machine", "jobs", s.job_state_machine_arn, _machine(s.job_state_machine_arn)),
        _component("state_machine", "seed", s.seed_state_machine_arn, _machine(s.seed_state_machine_arn)),
    ]
