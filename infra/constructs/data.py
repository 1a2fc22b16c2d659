"""Where Tradewind keeps state: the main DynamoDB table and the data and artifacts buckets."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct
from tradewind.jobs.artifacts import INTERMEDIATE, RETENTION_TAG

from infra.nag import acknowledge
from infra.stages import StageSettings


def pk_sk_table(scope: Construct, construct_id: str, settings: StageSettings) -> dynamodb.Table:
    """An on-demand ``pk``/``sk`` table with PITR and the ``expires_at`` TTL (contract's key design)."""
    return dynamodb.Table(
        scope,
        construct_id,
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        time_to_live_attribute="expires_at",
        removal_policy=settings.removal_policy,
    )


def private_bucket(
    scope: Construct,
    construct_id: str,
    settings: StageSettings,
    *,
    access_logs: s3.IBucket | None,
    versioned: bool = False,
) -> s3.Bucket:
    """An S3-encrypted, TLS-only (1.2+), non-public bucket that logs access to ``access_logs``."""
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned=versioned,
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix=f"{construct_id.lower()}/" if access_logs else None,
        lifecycle_rules=[s3.LifecycleRule(abort_incomplete_multipart_upload_after=Duration.days(1))],
        removal_policy=settings.removal_policy,
        auto_delete_objects=settings.throwaway,
    )


class Data(Construct):
    """Main table (``pk``/``sk``, GSI ``gsi1``, TTL), data and artifacts buckets, and their access log."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self.table = pk_sk_table(self, "MainTable", settings)
        self.table.add_global_secondary_index(
            index_name="gsi1",
            partition_key=dynamodb.Attribute(name="gsi1pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="gsi1sk", type=dynamodb.AttributeType.STRING),
            projection_type=dynamodb.ProjectionType.ALL,
        )
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # CloudFront standard logging writes through ACLs, so this one bucket keeps them enabled.
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
            removal_policy=settings.removal_policy,
            auto_delete_objects=settings.throwaway,
        )
        acknowledge(
            self.access_logs,
            "AwsSolutions-S1",
            "This bucket is the access-log destination of every other bucket and of CloudFront; "
            "logging it into itself would loop.",
        )
        self.data_bucket = private_bucket(self, "DataBucket", settings, access_logs=self.access_logs)
        self.artifacts_bucket = private_bucket(
            self, "ArtifactsBucket", settings, access_logs=self.access_logs, versioned=True
        )
        self._expire_artifacts(settings)

    def _expire_artifacts(self, settings: StageSettings) -> None:
        """Nothing stays by accident: old versions go after ``noncurrent_version_days`` (a deleted
        job's objects included), then their delete markers; intermediates go after
        ``intermediate_retention_days`` (longer than any job runs, so reduce always finds them)."""
        self.artifacts_bucket.add_lifecycle_rule(
            id="ExpireNoncurrentVersions",
            noncurrent_version_expiration=Duration.days(settings.noncurrent_version_days),
            expired_object_delete_marker=True,
        )
        self.artifacts_bucket.add_lifecycle_rule(
            id="ExpireJobIntermediates",
            tag_filters={RETENTION_TAG: INTERMEDIATE},  # the tag the job workflow writes on them
            expiration=Duration.days(settings.intermediate_retention_days),
        )
