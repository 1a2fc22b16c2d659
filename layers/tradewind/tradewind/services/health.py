"""Health use cases: identity of the running build and readiness of the resources the API needs."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.aws import client
from tradewind.settings import get_settings
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
