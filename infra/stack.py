"""The Tradewind stack: composes one construct per capability and owns the wiring between them.

Environment variables (the contract in docs/architecture.md) and IAM grants live here, in one place,
so what each Lambda may touch is readable at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aws_cdk import Aws, CfnOutput, Fn, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.assets import StackAssets
from infra.constructs.accounts import Accounts
from infra.constructs.alerts import Alerts
from infra.constructs.api import Api
from infra.constructs.audit import EXPORT_SCHEDULE, AuditExport
from infra.constructs.commands import Commands
from infra.constructs.data import Data
from infra.constructs.execution_events import ExecutionEvents
from infra.constructs.hosting import Hosting
from infra.constructs.jobs import WORKER_MEMORY_MB, Jobs
from infra.constructs.layers import Layers
from infra.constructs.monitoring import Monitoring
from infra.constructs.orchestration import Orchestration
from infra.constructs.pipeline import BATCH_SYMBOLS, Pipeline
from infra.constructs.realtime import Realtime
from infra.constructs.schedules import Schedules, UserSchedules
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge, execution_arn_pattern, logical_ref
from infra.stages import StageSettings

JANITOR_SCHEDULE = "rate(10 minutes)"

# DynamoDB item actions of the workflow tasks, read off the code each one runs. pynamodb: get/refresh
# -> GetItem, save -> PutItem, update -> UpdateItem, batch_get -> BatchGetItem, batch_write ->
# BatchWriteItem; a TransactWrite needs the actions of its parts (no DescribeTable: pynamodb 6 takes
# the schema from the model).
JOB_ITEM_ACTIONS: dict[str, tuple[str, ...]] = {
    # the job record; the dataset's symbol rows (their bars' object keys); a resumed job's shard
    # markers (jobs.pause: the shards left to run)
    "plan": ("GetItem", "UpdateItem", "BatchGetItem", "Query"),
    # the job record (status, error, progress counters); the shard marker, put in the counting transaction
    "worker": ("GetItem", "UpdateItem", "PutItem"),
    # the job record and, in the same transaction, the tenant's running-jobs counter (jobs.caps);
    # the idempotency hash record and the outcome notification
    "reduce": ("GetItem", "UpdateItem", "PutItem"),
    # the job record and the tenant's running-jobs counter (one transaction); the outcome notification
    "mark_failed": ("GetItem", "UpdateItem", "PutItem"),
    # an execution that ended outside the workflow (jobs.recovery.execution_ended): as mark_failed, and
    # its log line (PutItem)
    "execution_ended": ("GetItem", "UpdateItem", "PutItem"),
}
# The pipeline worker (tradewind.pipeline.worker/aggregate/history): the run record (read, counters,
# the aggregation claim, the final transition with the tenant's running-jobs counter), the batch
# marker (put in the counting transaction) and the markers' query at aggregation, the universe's
# breadth history record (get, conditional put), the outcome notification (put).
PIPELINE_ITEM_ACTIONS = ("GetItem", "UpdateItem", "PutItem", "Query")
SEED_ITEM_ACTIONS: dict[str, tuple[str, ...]] = {
    # the dataset record (created when the execution was started directly)
    "plan": ("GetItem", "PutItem", "UpdateItem"),
    # the dataset record; the symbol rows, written in one batch
    "finalize": ("GetItem", "UpdateItem", "BatchWriteItem"),
}
# tradewind.realtime.publish on the connections table: the topic's subscribers (Query), and pruning a
# gone connection (its META row, then its topic and key index rows).
PUBLISH_ITEM_ACTIONS = ("Query", "GetItem", "DeleteItem", "BatchWriteItem")
JANITOR_ITEM_ACTIONS = ("Scan", "GetItem", "UpdateItem", "PutItem")
"""The janitor's stalled-job check (tradewind.jobs.stall): a filtered scan of the job records, each
optimization's dataset, the timeline entry, the job's log line, the notification (and org settings)."""
DATA_WRITE = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
# A job's intermediates are written with the tw-retention=intermediate object tag (PutObject with
# Tagging needs PutObjectTagging too).
INTERMEDIATE_WRITE = ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"]


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
        self.pipeline = Pipeline(
            self, "Pipeline", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        self.workflows = Workflows(
            self, "Workflows", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        # Issue #13: an execution that ends outside the workflow fails its job with the cause.
        self.execution_events = ExecutionEvents(
            self,
            "ExecutionEvents",
            functions_dir=assets.functions_dir,
            layers=self.layers.all,
            settings=settings,
            state_machines=[self.jobs.state_machine, self.workflows.state_machine],
        )
        self.accounts = Accounts(
            self, "Accounts", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        self.api = Api(
            self,
            "Api",
            code_dir=assets.function("api"),
            layers=self.layers.all,
            settings=settings,
            authorizer=self.accounts.authorizer,
        )
        self.commands = Commands(
            self, "Commands", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        self.alerts = Alerts(
            self, "Alerts", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        self.user_schedules = UserSchedules(
            self,
            "UserSchedules",
            functions_dir=assets.functions_dir,
            layers=self.layers.all,
            settings=settings,
        )
        self.schedules = Schedules(self, "Schedules")
        self.schedules.invoke_on_schedule(
            "Janitor", self.realtime.janitor, JANITOR_SCHEDULE, "Prune stale WebSocket connections"
        )
        self.audit = AuditExport(
            self, "Audit", functions_dir=assets.functions_dir, layers=self.layers.all, settings=settings
        )
        self.schedules.invoke_on_schedule(
            "AuditExport", self.audit.function, EXPORT_SCHEDULE, "Export yesterday's audit trail to S3"
        )
        self.hosting = Hosting(
            self,
            "Hosting",
            dist_dir=assets.frontend_dist,
            api_url=self.api.url,
            ws_url=self.realtime.url,
            connect_origins=self.browser_connect_origins,
            access_logs=self.data.access_logs,
            settings=settings,
            cognito=self.accounts.web_config,
        )
        self.monitoring = Monitoring(self, "Monitoring", settings=settings)
        self.monitoring.dead_letters("ImportDeadLetters", self.orchestration.dead_letters)
        self.monitoring.dead_letters("PipelineDeadLetters", self.pipeline.dead_letters)
        self.monitoring.dead_letters("CommandDeadLetters", self.commands.dead_letters)
        self.monitoring.dead_letters("AlertDeadLetters", self.alerts.dead_letters)
        self.monitoring.failed_executions("SampleSeedFailed", self.orchestration.seed_state_machine)
        self.monitoring.failed_executions("JobWorkflowFailed", self.jobs.state_machine)
        self.monitoring.function_errors("ApiErrors", self.api.function)
        # What clients see, FastAPI's own 5xx answers included (the Lambda's Errors metric misses them).
        self.monitoring.api_server_errors("ApiServerErrors", self.api.rest_api.deployment_stage)
        self.monitoring.api_latency("ApiLatency", self.api.rest_api.deployment_stage)
        self.monitoring.audit_write_failures("AuditWriteFailed")
        self._wire_environment()
        self._grant()
        self._wire_alerts()
        self._allow_browser_uploads(self.data.data_bucket)
        self._outputs()

    @property
    def functions(self) -> list[lambda_.Function]:
        """Every Tradewind Lambda (not CDK's own deployment helpers)."""
        return [
            self.api.function,
            self.accounts.function,
            *self.realtime.functions,
            *self.orchestration.functions,
            *self.jobs.functions,
            *self.pipeline.functions,
            *self.commands.functions,
            self.user_schedules.fire,
            *self.execution_events.functions,
            *self.workflows.functions,
            *self.audit.functions,
            *self.alerts.functions,
        ]

    @property
    def cors_origins(self) -> str:
        """Configured origins plus the CloudFront site, comma-separated as ``TW_CORS_ORIGINS`` wants."""
        return Fn.join(",", [*self.settings.cors_origins, self.hosting.url])

    @property
    def browser_connect_origins(self) -> list[str]:
        """Where the web app may connect besides itself: the REST API and the WebSocket API (origins,
        from their ids: the URLs carry a stage path), and the region's S3 virtual-hosted origins, where
        the browser PUTs an upload through its presigned URL (``https://<bucket>.s3.<region>...``, the
        form ``tradewind.data.objects`` signs). A wildcard, not the data bucket's own name: that would
        form a cycle with the bucket's CORS rule, which names the site (``_allow_browser_uploads``). And
        Cognito's endpoint, where the web app signs in (docs/accounts.md)."""
        return [
            f"https://{self.api.rest_api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}",
            f"wss://{self.realtime.api.api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}",
            f"https://*.s3.{Aws.REGION}.{Aws.URL_SUFFIX}",
            self.accounts.cognito_endpoint,
        ]

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
            # Per-tenant job caps (429 + Retry-After above them), read through tradewind.settings.
            "TW_MAX_CONCURRENT_JOBS": str(self.settings.max_concurrent_jobs_per_tenant),
            "TW_MAX_JOB_RUNS_PER_DAY": str(self.settings.max_runs_per_day_per_tenant),
            # POST /pipeline/runs sends one message per batch of this many symbols.
            "TW_PIPELINE_QUEUE_URL": self.pipeline.queue.queue_url,
            "TW_PIPELINE_BATCH_SYMBOLS": str(BATCH_SYMBOLS),
            # GET /health/system reports the dead-letter queues' depth.
            "TW_IMPORT_DEAD_LETTER_URL": self.orchestration.dead_letters.queue_url,
            "TW_PIPELINE_DEAD_LETTER_URL": self.pipeline.dead_letters.queue_url,
            # Audit records expire (TTL) this many days after the call (docs/audit.md).
            "TW_AUDIT_RETENTION_DAYS": str(self.settings.audit_retention_days),
        }
        for name, value in api_environment.items():
            self.api.function.add_environment(name, value)
        self._wire_accounts()
        self._wire_schedules_and_commands(api_environment)
        self._wire_workflows(api_environment)

    def _wire_accounts(self) -> None:
        """The authorizer and the API verify ID tokens of this stage's pool (docs/accounts.md); the
        authorizer reads API keys (by hash) and memberships (the person index) from the main table."""
        accounts = self.accounts
        for function in (self.api.function, accounts.function):
            function.add_environment("TW_COGNITO_USER_POOL_ID", accounts.user_pool.user_pool_id)
            function.add_environment("TW_COGNITO_CLIENT_IDS", Fn.join(",", accounts.client_ids))
        _grant_items(self.data.table, accounts.function, ["GetItem"])
        # An invitation to a new email creates the person's user; withdrawing it deletes a user
        # who never signed in (tradewind.accounts.invitees).
        self.api.function.add_to_role_policy(
            iam.PolicyStatement(
                actions=[f"cognito-idp:{a}" for a in ("AdminCreateUser", "AdminGetUser", "AdminDeleteUser")],
                resources=[accounts.user_pool.user_pool_arn],
            )
        )
        person_index = f"{self.data.table.table_arn}/index/gsi1"
        accounts.function.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:Query"], resources=[person_index])
        )

    def _wire_schedules_and_commands(self, api_environment: dict[str, str]) -> None:
        """A schedule's fire submits any job as the API would (docs/schedules.md): the fire Lambda gets
        the API's submit variables; the API (and the fire) queue command runs; only the API manages
        schedules. The command runner gets what its commands touch (docs/commands.md)."""
        commands, schedules = self.commands, self.user_schedules
        for name in (
            "TW_JOB_STATE_MACHINE_ARN",
            "TW_JOB_MAP_CONCURRENCY",
            "TW_WORKER_MEMORY_MB",
            "TW_MAX_CONCURRENT_JOBS",
            "TW_MAX_JOB_RUNS_PER_DAY",
            "TW_PIPELINE_QUEUE_URL",
            "TW_PIPELINE_BATCH_SYMBOLS",
        ):
            schedules.fire.add_environment(name, api_environment[name])
        for function in (self.api.function, schedules.fire):
            function.add_environment("TW_COMMAND_QUEUE_URL", commands.queue.queue_url)
        for name, value in {
            "TW_SCHEDULE_GROUP": schedules.group_name,
            "TW_SCHEDULE_FIRE_ARN": schedules.fire.function_arn,
            "TW_SCHEDULE_ROLE_ARN": schedules.role.role_arn,
        }.items():
            self.api.function.add_environment(name, value)
        for name in (
            "TW_SEED_STATE_MACHINE_ARN",
            "TW_PIPELINE_QUEUE_URL",
            "TW_IMPORT_DEAD_LETTER_URL",
            "TW_PIPELINE_DEAD_LETTER_URL",
        ):
            commands.runner.add_environment(name, api_environment[name])

    def _wire_workflows(self, api_environment: dict[str, str]) -> None:
        """The API starts and stops workflow runs, a schedule's fire starts them (docs/workflows.md);
        the step task submits any job as the API would: the fire's submit variables."""
        arn = self.workflows.state_machine_arn
        for function in (self.api.function, self.user_schedules.fire):
            function.add_environment("TW_WORKFLOW_STATE_MACHINE_ARN", arn)
        step = self.workflows.step
        for name in (
            "TW_JOB_STATE_MACHINE_ARN",
            "TW_JOB_MAP_CONCURRENCY",
            "TW_WORKER_MEMORY_MB",
            "TW_MAX_CONCURRENT_JOBS",
            "TW_MAX_JOB_RUNS_PER_DAY",
            "TW_PIPELINE_QUEUE_URL",
            "TW_PIPELINE_BATCH_SYMBOLS",
        ):
            step.add_environment(name, api_environment[name])
        step.add_environment("TW_COMMAND_QUEUE_URL", self.commands.queue.queue_url)

    def _grant_workflows(self) -> None:
        """The step task submits jobs as the schedule fire does (items, bars, a job's spec and cached
        copy, the job workflow's start, the pipeline and command queues); begin/succeed/fail move the
        run's record as MarkFailed moves a job's. Every function that makes a job final answers the
        run waiting on it (``states:SendTaskSuccess``/``SendTaskFailure`` on the workflow machine)."""
        data, realtime, flows = self.data, self.realtime, self.workflows
        step, api, fire = flows.step, self.api.function, self.user_schedules.fire
        data.table.grant_read_write_data(step)
        self._acknowledge_indexes(step)
        for function in (flows.begin, flows.succeed, flows.fail):
            _grant_items(data.table, function, JOB_ITEM_ACTIONS["mark_failed"])
        for function in flows.functions:
            _grant_items(realtime.connections_table, function, PUBLISH_ITEM_ACTIONS)
            realtime.api.grant_manage_connections(function)
            acknowledge(
                _role(function),
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:"
                f"<AWS::AccountId>:<{logical_ref(realtime.api)}>/*/*/@connections/*]",
                "Connection ids exist only at run time; scoped to this WebSocket API's @connections.",
            )
        _grant_objects(data.data_bucket, step, ["s3:GetObject"])
        _grant_objects(data.artifacts_bucket, step, DATA_WRITE)
        self.jobs.state_machine.grant_start_execution(step)
        self.pipeline.queue.grant_send_messages(step)
        self.commands.queue.grant_send_messages(step)
        for function in (
            api,
            self.jobs.reduce,
            self.jobs.mark_failed,
            self.pipeline.worker,
            self.commands.runner,
            self.execution_events.function,
            step,
        ):
            flows.grant_task_response(function)
        machine = flows.state_machine
        for function in (api, fire):
            machine.grant_start_execution(function)
        machine.grant_execution(api, "states:StopExecution")
        acknowledge(
            _role(api),
            f"AwsSolutions-IAM5[Resource::{execution_arn_pattern(machine)}:*]",
            "Stopping a cancelled workflow run's execution, named after the run at its start; limited to "
            "the workflow state machine's executions.",
        )

    def _grant(self) -> None:
        """Least privilege per Lambda: what each one reads, writes, sends and starts.

        The API, the realtime handlers and the import worker keep whole-table item access (they create,
        query and delete most record kinds). The workflow tasks get the exact actions of the code they
        run (``tradewind.jobs.*``, ``tradewind.services.sample``), listed in ``JOB_ITEM_ACTIONS`` and
        ``SEED_ITEM_ACTIONS``.
        """
        data, realtime, work, jobs = self.data, self.realtime, self.orchestration, self.jobs
        api = self.api.function
        # realtime.publish: the topic's fan-out query, and pruning a gone connection (its META row and
        # index rows). Job tasks publish progress and outcomes; the seed steps publish nothing.
        for function in (api, realtime.default, realtime.janitor, work.import_worker):
            realtime.connections_table.grant_read_write_data(function)
        pipeline = self.pipeline.worker
        ended = self.execution_events.function
        for function in (*jobs.functions, pipeline, ended):
            _grant_items(realtime.connections_table, function, PUBLISH_ITEM_ACTIONS)
        for function in (
            api,
            realtime.default,
            realtime.janitor,
            work.import_worker,
            *jobs.functions,
            pipeline,
            ended,
        ):
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
        for function in (api, work.import_worker):
            data.table.grant_read_write_data(function)
            self._acknowledge_indexes(function)
            _grant_objects(data.data_bucket, function, DATA_WRITE)
        _grant_items(data.table, realtime.janitor, JANITOR_ITEM_ACTIONS)
        for function, actions in self._workflow_item_actions().items():
            _grant_items(data.table, function, actions)
        # The seed writes bars (generate) and checks they are all there (finalize lists the dataset).
        _grant_objects(data.data_bucket, work.generate, ["s3:PutObject"], list_bucket=False)
        _grant_objects(data.data_bucket, work.finalize, [], list_bucket=True)
        # Job steps read bars; plan and the worker write the manifest and shards, tagged
        # tw-retention=intermediate for the lifecycle rule; reduce reads them and writes the results
        # (and deletes them again when the job was cancelled meanwhile). mark_failed touches no object.
        # ListBucket: a missing spec, manifest or shard reads as "no such key" rather than access denied.
        for function in (jobs.plan, jobs.worker, jobs.reduce):
            _grant_objects(data.data_bucket, function, ["s3:GetObject"], list_bucket=False)
        for function in (jobs.plan, jobs.worker):
            _grant_objects(data.artifacts_bucket, function, INTERMEDIATE_WRITE)
        _grant_objects(data.artifacts_bucket, jobs.reduce, DATA_WRITE)
        # The API writes spec.json at submit, copies a cached job's results, signs downloads and
        # deletes a job's objects with the job, every version of them (the bucket is versioned).
        _grant_objects(data.artifacts_bucket, api, [*DATA_WRITE, "s3:DeleteObjectVersion"])
        api.add_to_role_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucketVersions"], resources=[data.artifacts_bucket.bucket_arn]
            )
        )
        # The pipeline worker reads bars; writes its batches (intermediates, tagged), the run's results
        # and the breadth history; deletes results a failed run must not show and old history objects.
        _grant_objects(data.data_bucket, pipeline, ["s3:GetObject"], list_bucket=False)
        _grant_objects(data.artifacts_bucket, pipeline, [*INTERMEDIATE_WRITE, "s3:DeleteObject"])
        work.import_queue.grant_send_messages(api)
        self.pipeline.queue.grant_send_messages(api)
        # The API only starts executions (and stops a cancelled job's); it never reads them: a job's
        # record in DynamoDB is its status, and the execution ARN is derived from the job id.
        jobs.state_machine.grant_start_execution(api)
        work.seed_state_machine.grant_start_execution(api)
        # GET /health/system: each queue's depth and each state machine's status (read-only).
        for queue in (work.import_queue, work.dead_letters, self.pipeline.queue, self.pipeline.dead_letters):
            queue.grant(api, "sqs:GetQueueAttributes")
        for machine in (jobs.state_machine, work.seed_state_machine):
            machine.grant(api, "states:DescribeStateMachine")
        jobs.state_machine.grant_execution(api, "states:StopExecution")
        acknowledge(
            _role(api),
            f"AwsSolutions-IAM5[Resource::{execution_arn_pattern(jobs.state_machine)}:*]",
            "Stopping a cancelled job's execution, whose name is made at submit; limited to the job state "
            "machine's executions.",
        )
        self._grant_schedules_and_commands()
        self._grant_workflows()
        self._grant_audit_export()

    def _grant_schedules_and_commands(self) -> None:
        """The schedule-fire Lambda submits jobs as the API does: items of the main table, the bars it
        checks, a job's spec and cached copy, the job workflow's start, the pipeline and command
        queues, publish. The command runner: what its commands do (re-seed, prune jobs with their
        objects and versions, redrive the import and pipeline dead-letter queues, export links, fetch
        bars into a dataset). The API manages schedules in the stage's group and queues command runs."""
        data, realtime, work = self.data, self.realtime, self.orchestration
        fire, runner, api = self.user_schedules.fire, self.commands.runner, self.api.function
        for function in (fire, runner):
            data.table.grant_read_write_data(function)
            self._acknowledge_indexes(function)
            _grant_items(realtime.connections_table, function, PUBLISH_ITEM_ACTIONS)
            realtime.api.grant_manage_connections(function)
            acknowledge(
                _role(function),
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:"
                f"<AWS::AccountId>:<{logical_ref(realtime.api)}>/*/*/@connections/*]",
                "Connection ids exist only at run time; scoped to this WebSocket API's @connections.",
            )
            self.commands.queue.grant_send_messages(function)
        _grant_objects(data.data_bucket, fire, ["s3:GetObject"])
        _grant_objects(data.artifacts_bucket, fire, DATA_WRITE)
        self.jobs.state_machine.grant_start_execution(fire)
        self.pipeline.queue.grant_send_messages(fire)
        _grant_objects(data.data_bucket, runner, DATA_WRITE)
        _grant_objects(data.artifacts_bucket, runner, [*DATA_WRITE, "s3:DeleteObjectVersion"])
        runner.add_to_role_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucketVersions"], resources=[data.artifacts_bucket.bucket_arn]
            )
        )
        work.seed_state_machine.grant_start_execution(runner)
        for queue, dead in (
            (work.import_queue, work.dead_letters),
            (self.pipeline.queue, self.pipeline.dead_letters),
        ):
            queue.grant_send_messages(runner)
            dead.grant(runner, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility")
        self.user_schedules.grant_manage(api)
        self.commands.queue.grant_send_messages(api)

    def _wire_alerts(self) -> None:
        """Alert channels (docs/alerts.md). Every function that may produce an alert event (a job's or
        run's end, a failed fire or import, a test send) reads the organisation's channels (``Query``
        on the main table) and sends one message per channel to the delivery queue. The delivery
        reads the channel, writes its delivery log, pauses a failing channel and notifies in the app
        (publish*); its links point at the site."""
        alerts, data, realtime, jobs = self.alerts, self.data, self.realtime, self.jobs
        delivery = alerts.delivery
        for function in self.functions:
            function.add_environment("TW_ALERTS_QUEUE_URL", alerts.queue.queue_url)
        delivery.add_environment("TW_SITE_URL", self.hosting.url)
        ended = self.execution_events.function
        producers = (
            self.api.function,
            self.orchestration.import_worker,
            jobs.reduce,
            jobs.mark_failed,
            ended,
            self.pipeline.worker,
            self.user_schedules.fire,
            self.commands.runner,
        )
        for function in producers:
            alerts.queue.grant_send_messages(function)
        # The others query the main table already (whole-table item access, or PIPELINE_ITEM_ACTIONS).
        for function in (jobs.reduce, jobs.mark_failed, ended):
            _grant_items(data.table, function, ["Query"])
        _grant_items(data.table, delivery, ("GetItem", "PutItem", "UpdateItem", "Query"))
        _grant_items(realtime.connections_table, delivery, PUBLISH_ITEM_ACTIONS)
        realtime.api.grant_manage_connections(delivery)
        acknowledge(
            _role(delivery),
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:"
            f"<AWS::AccountId>:<{logical_ref(realtime.api)}>/*/*/@connections/*]",
            "Connection ids exist only at run time; scoped to this WebSocket API's @connections.",
        )

    def _grant_audit_export(self) -> None:
        """The export reads one day of every organisation's records from ``gsi1`` and writes
        ``audit/<org>/<day>.jsonl``: a ``Query`` on that index, ``PutObject`` under ``audit/``."""
        export, data = self.audit.function, self.data
        export.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:Query"], resources=[f"{data.table.table_arn}/index/gsi1"])
        )
        export.add_to_role_policy(
            iam.PolicyStatement(
                actions=["s3:PutObject"], resources=[data.artifacts_bucket.arn_for_objects("audit/*")]
            )
        )
        acknowledge(
            _role(export),
            f"AwsSolutions-IAM5[Resource::<{logical_ref(data.artifacts_bucket)}.Arn>/audit/*]",
            "One object per organisation and day, named at run time; only under audit/ of this bucket.",
        )

    def _workflow_item_actions(self) -> dict[lambda_.Function, tuple[str, ...]]:
        jobs, work = self.jobs, self.orchestration
        return {
            jobs.plan: JOB_ITEM_ACTIONS["plan"],
            jobs.worker: JOB_ITEM_ACTIONS["worker"],
            jobs.reduce: JOB_ITEM_ACTIONS["reduce"],
            jobs.mark_failed: JOB_ITEM_ACTIONS["mark_failed"],
            self.execution_events.function: JOB_ITEM_ACTIONS["execution_ended"],
            self.pipeline.worker: PIPELINE_ITEM_ACTIONS,
            work.plan: SEED_ITEM_ACTIONS["plan"],
            work.finalize: SEED_ITEM_ACTIONS["finalize"],
        }

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


def _grant_items(table: dynamodb.ITable, function: lambda_.Function, actions: Iterable[str]) -> None:
    """Exactly ``actions`` (``GetItem``...) on the table's items, not on its indexes."""
    function.add_to_role_policy(
        iam.PolicyStatement(actions=[f"dynamodb:{action}" for action in actions], resources=[table.table_arn])
    )


def _grant_objects(
    bucket: s3.IBucket, function: lambda_.Function, actions: Sequence[str], *, list_bucket: bool = True
) -> None:
    """Exact object actions (CDK's grant_read_write adds wildcard action groups and multipart aborts);
    ``list_bucket`` makes a missing key answer 404 (not 403) to ``head``/``get``, and lists prefixes."""
    if actions:
        function.add_to_role_policy(
            iam.PolicyStatement(actions=list(actions), resources=[bucket.arn_for_objects("*")])
        )
        acknowledge(
            _role(function),
            f"AwsSolutions-IAM5[Resource::<{logical_ref(bucket)}.Arn>/*]",
            "Object keys are per tenant and dataset or job, created at run time; limited to this one bucket.",
        )
    if list_bucket:
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
        )
