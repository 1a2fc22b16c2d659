"""The Tradewind stack: composes one construct per capability and owns the wiring between them.

Environment variables (the contract in docs/architecture.md) and IAM grants live here, in one place,
so what each Lambda may touch is readable at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import CfnOutput, Fn, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.assets import StackAssets
from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.hosting import Hosting
from infra.constructs.jobs import WORKER_MEMORY_MB, Jobs
from infra.constructs.layers import Layers
from infra.constructs.monitoring import Monitoring
from infra.constructs.orchestration import Orchestration
from infra.constructs.realtime import Realtime
from infra.constructs.schedules import Schedules
from infra.nag import acknowledge, execution_arn_pattern, logical_ref
from infra.stages import StageSettings

JANITOR_SCHEDULE = "rate(10 minutes)"


class TradewindStack(Stack):
    """Everything one stage of Tradewind runs on."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        assets: StackAssets,
    ) -> None:
        super().__init__(scope, construct_id, description=f"Tradewind ({settings.name})")
        self.settings = settings
        self.data = Data(self, "Data", settings=settings)
        self.layers = Layers(self, "Layers", tradewind_dir=assets.tradewind_layer, deps_dir=assets.deps_layer)
        self.realtime = Realtime(
            self, "Realtime", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        self.orchestration = Orchestration(
            self,
            "Orchestration",
            functions_dir=assets.functions_dir,
            layers=self.layers.all,
            settings=settings,
        )
        self.jobs = Jobs(
            self,
            "Jobs",
            functions_dir=assets.functions_dir,
            layers=self.layers.all,
            settings=settings,
            artifacts=self.data.artifacts_bucket,
        )
        self.api = Api(
            self, "Api", code_dir=assets.function("api"), layers=self.layers.all, settings=settings
        )
        # API Gateway refuses a logged WebSocket stage until the account's logging role is set.
        self.realtime.stage.node.add_dependency(self.api.logging_account)
        self.schedules = Schedules(self, "Schedules")
        self.schedules.invoke_on_schedule(
            "Janitor", self.realtime.janitor, JANITOR_SCHEDULE, "Prune stale WebSocket connections"
        )
        self.hosting = Hosting(
            self,
            "Hosting",
            dist_dir=assets.frontend_dist,
            api_url=self.api.url,
            ws_url=self.realtime.url,
            access_logs=self.data.access_logs,
            settings=settings,
        )
        self.monitoring = Monitoring(self, "Monitoring", settings=settings)
        self.monitoring.dead_letters("ImportDeadLetters", self.orchestration.dead_letters)
        self.monitoring.failed_executions("SampleSeedFailed", self.orchestration.seed_state_machine)
        self.monitoring.failed_executions("JobWorkflowFailed", self.jobs.state_machine)
        self.monitoring.function_errors("ApiErrors", self.api.function)
        self._wire_environment()
        self._grant()
        self._allow_browser_uploads(self.data.data_bucket)
        self._outputs()

    @property
    def functions(self) -> list[lambda_.Function]:
        """Every Tradewind Lambda (not CDK's own deployment helpers)."""
        return [
            self.api.function,
            *self.realtime.functions,
            *self.orchestration.functions,
            *self.jobs.functions,
        ]

    @property
    def cors_origins(self) -> str:
        """Configured origins plus the CloudFront site, comma-separated as ``TW_CORS_ORIGINS`` wants."""
        return Fn.join(",", [*self.settings.cors_origins, self.hosting.url])

    def _wire_environment(self) -> None:
        """Give every Lambda the contract's ``TW_*`` variables, resolved to this stack's resources."""
        environment = {
            "TW_TABLE_NAME": self.data.table.table_name,
            "TW_CONNECTIONS_TABLE_NAME": self.realtime.connections_table.table_name,
            "TW_DATA_BUCKET": self.data.data_bucket.bucket_name,
            "TW_ARTIFACTS_BUCKET": self.data.artifacts_bucket.bucket_name,
            "TW_IMPORT_QUEUE_URL": self.orchestration.import_queue.queue_url,
            "TW_WS_MANAGEMENT_ENDPOINT": self.realtime.management_endpoint,
            "TW_WS_URL": self.realtime.url,
            "TW_CORS_ORIGINS": self.cors_origins,
        }
        for function in self.functions:
            for name, value in environment.items():
                function.add_environment(name, value)
        # Only the API starts the sample seed and jobs (a workflow's own tasks would form a cycle with
        # its ARN); the concurrency and worker memory feed the API's estimate of a sweep's duration and cost.
        api_environment = {
            "TW_SEED_STATE_MACHINE_ARN": self.orchestration.seed_state_machine.state_machine_arn,
            "TW_JOB_STATE_MACHINE_ARN": self.jobs.state_machine.state_machine_arn,
            "TW_JOB_MAP_CONCURRENCY": str(self.settings.job_map_concurrency),
            "TW_WORKER_MEMORY_MB": str(WORKER_MEMORY_MB),
        }
        for name, value in api_environment.items():
            self.api.function.add_environment(name, value)

    def _grant(self) -> None:
        """Least privilege per Lambda: what each one reads, writes, sends and starts."""
        data, realtime, work = self.data, self.realtime, self.orchestration
        api = self.api.function
        # Everything that publishes realtime messages reads the fan-out index and prunes gone connections.
        for function in (api, realtime.default, realtime.janitor, *work.functions, *self.jobs.functions):
            realtime.connections_table.grant_read_write_data(function)
            realtime.api.grant_manage_connections(function)
            acknowledge(
                _role(function),
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:"
                f"<AWS::AccountId>:<{logical_ref(realtime.api)}>/*/*/@connections/*]",
                "Connection ids exist only at run time; scoped to this WebSocket API's @connections.",
            )
        for function in (realtime.connect, realtime.disconnect):
            realtime.connections_table.grant_read_write_data(function)
        # $connect resolves the API key (hashed) in the main table.
        data.table.grant_read_data(realtime.connect)
        self._acknowledge_indexes(realtime.connect)
        for function in (api, *work.functions, *self.jobs.functions):
            data.table.grant_read_write_data(function)
            self._acknowledge_indexes(function)
        for function in (api, *work.functions):
            _grant_objects(data.data_bucket, function, write=True)
        # Job steps read bars and write the job's objects; the API writes spec.json at submit, signs
        # downloads and deletes a job's objects with the job.
        for function in self.jobs.functions:
            _grant_objects(data.data_bucket, function, write=False)
            _grant_objects(data.artifacts_bucket, function, write=True)
        _grant_objects(data.artifacts_bucket, api, write=True)
        _start_executions(
            api,
            self.jobs.state_machine,
            stop=True,  # cancelling a job
            reason="Describing and stopping the job executions it started; limited to the job state machine.",
        )
        work.import_queue.grant_send_messages(api)
        _start_executions(
            api,
            work.seed_state_machine,
            stop=False,
            reason="Reading the status of the sample-seed executions it started; limited to that state "
            "machine.",
        )

    def _acknowledge_indexes(self, function: lambda_.Function) -> None:
        acknowledge(
            _role(function),
            f"AwsSolutions-IAM5[Resource::<{logical_ref(self.data.table)}.Arn>/index/*]",
            "Queries use the main table's GSI gsi1; the grant is limited to this table's indexes.",
        )

    def _allow_browser_uploads(self, bucket: s3.Bucket) -> None:
        """The web app PUTs uploads straight to S3 through presigned URLs: allow its origins."""
        bucket.add_cors_rule(
            allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
            allowed_origins=[*self.settings.cors_origins, self.hosting.url],
            allowed_headers=["*"],
            exposed_headers=["ETag"],
            max_age=3000,
        )

    def _outputs(self) -> None:
        """What a deployer needs next: the URLs to open and the names to inspect."""
        outputs: Iterable[tuple[str, str]] = (
            ("ApiUrl", self.api.url),
            ("WebSocketUrl", self.realtime.url),
            ("SiteUrl", self.hosting.url),
            ("DataBucketName", self.data.data_bucket.bucket_name),
            ("TableName", self.data.table.table_name),
        )
        for name, value in outputs:
            CfnOutput(self, name, value=value)


def _role(function: lambda_.Function) -> iam.IRole:
    """Every Tradewind function has a role (python_function creates it)."""
    assert function.role is not None
    return function.role


def _start_executions(
    function: lambda_.Function, machine: sfn.StateMachine, *, stop: bool, reason: str
) -> None:
    """``function`` starts ``machine``'s executions and reads them; with ``stop`` it may also stop them."""
    machine.grant_start_execution(function)
    machine.grant_read(function)
    if stop:
        machine.grant_execution(function, "states:StopExecution")
    acknowledge(_role(function), f"AwsSolutions-IAM5[Resource::{execution_arn_pattern(machine)}:*]", reason)


def _grant_objects(bucket: s3.IBucket, function: lambda_.Function, *, write: bool) -> None:
    """Exact object actions (CDK's grant_read_write adds wildcard action groups and multipart aborts)."""
    actions = ["s3:GetObject", *(["s3:PutObject", "s3:DeleteObject"] if write else [])]
    function.add_to_role_policy(iam.PolicyStatement(actions=actions, resources=[bucket.arn_for_objects("*")]))
    function.add_to_role_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn]))
    acknowledge(
        _role(function),
        f"AwsSolutions-IAM5[Resource::<{logical_ref(bucket)}.Arn>/*]",
        "Object keys are per tenant and dataset, created at run time; limited to this one bucket.",
    )
