"""Create the resources of a synthesized CloudFormation template in the embedded moto.

Works the same against the moto server (``AWS_ENDPOINT_URL`` set) and under ``mock_aws`` in tests:
it only uses boto3. Resources are created in dependency order (``Ref``/``Fn::GetAtt``/``DependsOn``).
Physical names are deterministic (``{stack}-{logicalId}`` unless the template names the resource),
so a restart finds the same tables and buckets and the saved state maps back onto them.

Lambda functions get a placeholder zip; which project handler runs for each is found from its code
asset (see :func:`locate_handler`) and recorded in :class:`FunctionSpec` for the in-process runtime.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import boto3

from infra.local.intrinsics import ACCOUNT_ID, URL_SUFFIX, Physical, Resolver, UnresolvableError, references
from infra.local.template import SynthesizedStack

log = logging.getLogger("tradewind.local")

# Types with no local meaning: the API is served by uvicorn, the WebSocket API by the local gateway,
# hosting by the same server, IAM/KMS/logging are not enforced by moto, and alarms (CloudWatch, their
# SNS topic) have nothing to watch locally. They get placeholders.
IGNORED_TYPES = {
    "AWS::CDK::Metadata",
    "AWS::CloudFormation::CustomResource",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::Lambda::LayerVersion",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Url",
    "AWS::Logs::LogGroup",
    "AWS::S3::BucketPolicy",
    "AWS::SNS::Topic",
    "AWS::SNS::TopicPolicy",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
}
IGNORED_PREFIXES = (
    "AWS::ApiGateway::",
    "AWS::ApiGatewayV2::",
    "AWS::CloudFront::",
    "AWS::CloudWatch::",
    "AWS::WAFv2::",
    "Custom::",
)
_PLACEHOLDER_ZIP: bytes | None = None
# CloudFormation's CorsRule property names -> the S3 API's.
_CORS_KEYS = {
    "AllowedHeaders": "AllowedHeaders",
    "AllowedMethods": "AllowedMethods",
    "AllowedOrigins": "AllowedOrigins",
    "ExposedHeaders": "ExposeHeaders",
    "Id": "ID",
    "MaxAge": "MaxAgeSeconds",
}


@dataclass
class FunctionSpec:
    """A Lambda function and the project handler that runs it in-process."""

    logical_id: str
    name: str
    arn: str
    timeout: int
    memory: int
    environment: dict[str, str]
    handler_file: Path | None
    entry: str
    folder: str | None


@dataclass
class EventSourceSpec:
    """An SQS event-source mapping, polled by the local poller."""

    uuid: str
    function_name: str
    queue_url: str
    batch_size: int
    report_batch_item_failures: bool
    enabled: bool


@dataclass
class RuleSpec:
    """An EventBridge rule with its pattern (resolved to moto's ARNs) and its Lambda targets; moto
    stores rules but never fires them, so the local cloud matches what it can observe against them
    (``infra/local/execution_events.py``)."""

    logical_id: str
    pattern: dict[str, Any]
    function_names: list[str]


@dataclass
class Provisioned:
    """What was created, by logical id, plus the merged environment of the functions."""

    stack_name: str
    tables: dict[str, str] = field(default_factory=dict)
    buckets: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    state_machines: dict[str, str] = field(default_factory=dict)
    schedules: dict[str, str] = field(default_factory=dict)
    event_sources: list[EventSourceSpec] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)
    websocket_routes: dict[str, str] = field(default_factory=dict)
    user_pools: dict[str, str] = field(default_factory=dict)  # logical id -> pool id
    user_pool_clients: dict[str, str] = field(default_factory=dict)  # client name (web, cli) -> id
    environment: dict[str, str] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)


def is_ignored(resource_type: str) -> bool:
    """True for resource types the local cloud deliberately does not create."""
    return resource_type in IGNORED_TYPES or resource_type.startswith(IGNORED_PREFIXES)


def placeholder_zip() -> bytes:
    """A tiny valid zip: moto stores it, the in-process runtime never reads it."""
    global _PLACEHOLDER_ZIP
    if _PLACEHOLDER_ZIP is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("README.txt", "Runs in-process from functions/ (see docs/local-cloud.md).\n")
        _PLACEHOLDER_ZIP = buffer.getvalue()
    return _PLACEHOLDER_ZIP


def _name(props: dict[str, Any], key: str, resolver: Resolver, logical_id: str, limit: int) -> str:
    if key in props:
        return resolver.resolve_str(props[key])
    return f"{resolver.stack_name}-{logical_id}"[:limit]


def creation_order(resources: dict[str, Any]) -> list[str]:
    """Logical ids sorted so that every resource comes after the ones it refers to."""
    graph: dict[str, set[str]] = {}
    for logical_id, resource in resources.items():
        depends = resource.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        deps = references(resource.get("Properties", {})) | set(depends)
        graph[logical_id] = {dep for dep in deps if dep in resources}
    return list(TopologicalSorter(graph).static_order())


def locate_handler(
    logical_id: str, resource: dict[str, Any], stack: SynthesizedStack, functions_root: Path
) -> tuple[Path | None, str, str | None]:
    """Find ``functions/<folder>/<module>.py`` and the entry name for a function resource.

    The code asset is found from ``Metadata["aws:asset:path"]`` or, without asset metadata, from the
    assets manifest entry whose object key is ``Code.S3Key``. If the asset path lies inside
    ``functions/`` the folder is read from it; if it is a staged copy (``cdk.out/asset.<hash>``), the
    folder is the one whose handler module has the same bytes. Functions whose code is not a project
    folder (CDK's own helpers) get no handler: invoking them reports an error.
    """
    props = resource.get("Properties", {})
    module, _, entry = str(props.get("Handler", "handler.handler")).rpartition(".")
    module_rel = Path(*module.split(".")).with_suffix(".py")
    asset = _asset_path(resource, stack)
    if asset is None:
        return None, entry, None
    asset = asset if asset.is_absolute() else stack.cdk_out / asset
    root = functions_root.resolve()
    if asset.resolve().is_relative_to(root) and asset.resolve() != root:
        folder = asset.resolve().relative_to(root).parts[0]
        return root / folder / module_rel, entry, folder
    staged = asset / module_rel
    if staged.is_file():
        content = staged.read_bytes()
        matches = [path for path in sorted(root.glob(f"*/{module_rel}")) if path.read_bytes() == content]
        if len(matches) != 1:
            # The staged copy is older than the folder (edited since the synth): fall back to the
            # one folder whose module defines this entry point, if exactly one does.
            defines = re.compile(rf"^def {re.escape(entry)}\(", re.MULTILINE)
            matches = [
                path for path in sorted(root.glob(f"*/{module_rel}")) if defines.search(path.read_text())
            ]
            if len(matches) == 1:
                log.warning("function %s: staged code differs from %s (stale synth?)", logical_id, matches[0])
        if len(matches) == 1:
            folder = matches[0].relative_to(root).parts[0]
            return matches[0], entry, folder
    log.info("function %s: code asset %s is not a folder of %s; no local handler", logical_id, asset, root)
    return None, entry, None


def _asset_path(resource: dict[str, Any], stack: SynthesizedStack) -> Path | None:
    metadata_path = resource.get("Metadata", {}).get("aws:asset:path")
    if metadata_path:
        return Path(metadata_path)
    key = resource.get("Properties", {}).get("Code", {}).get("S3Key")
    if not isinstance(key, str):
        return None
    manifest = stack.cdk_out / f"{stack.stack_name}.assets.json"
    if not manifest.exists():
        return None
    files = json.loads(manifest.read_text()).get("files", {})
    entry = files.get(key.removesuffix(".zip"))
    return Path(entry["source"]["path"]) if entry else None


class Provisioner:
    """Creates each supported resource type with boto3 and records its physical identity."""

    def __init__(self, stack: SynthesizedStack, functions_root: Path, region: str = "us-east-1") -> None:
        self.stack = stack
        self.functions_root = functions_root
        self.region = region
        self.resolver = Resolver(stack.template, stack.stack_name, region)
        self.result = Provisioned(stack_name=stack.stack_name)
        session = boto3.session.Session(region_name=region)
        self._clients = {
            name: session.client(name)
            for name in (
                "iam",
                "dynamodb",
                "s3",
                "sqs",
                "lambda",
                "stepfunctions",
                "scheduler",
                "cognito-idp",
            )
        }
        self._handlers = {
            "AWS::IAM::Role": self._role,
            "AWS::DynamoDB::Table": self._table,
            "AWS::DynamoDB::GlobalTable": self._table,
            "AWS::S3::Bucket": self._bucket,
            "AWS::SQS::Queue": self._queue,
            "AWS::Lambda::Function": self._function,
            "AWS::Lambda::EventSourceMapping": self._event_source,
            "AWS::StepFunctions::StateMachine": self._state_machine,
            "AWS::Scheduler::ScheduleGroup": self._schedule_group,
            "AWS::Scheduler::Schedule": self._schedule,
            "AWS::Events::Rule": self._rule,
            "AWS::Cognito::UserPool": self._user_pool,
            "AWS::Cognito::UserPoolClient": self._user_pool_client,
        }

    def run(self) -> Provisioned:
        """Create everything; placeholders stand in for ignored and unknown types."""
        resources = self.stack.template.get("Resources", {})
        for logical_id in creation_order(resources):
            resource = resources[logical_id]
            kind = resource["Type"]
            handler = self._handlers.get(kind)
            if handler is None:
                if not is_ignored(kind):
                    log.warning("resource %s of type %s is not emulated locally", logical_id, kind)
                self.result.ignored[logical_id] = kind
                self.resolver.physical[logical_id] = Physical(ref=logical_id, placeholder=True)
                continue
            self.resolver.physical[logical_id] = handler(logical_id, resource.get("Properties", {}))
        self.result.websocket_routes = self._websocket_routes(resources)
        return self.result

    def _client(self, name: str) -> Any:
        return self._clients[name]

    def _role(self, logical_id: str, props: dict[str, Any]) -> Physical:
        name = _name(props, "RoleName", self.resolver, logical_id, 64)
        document = json.dumps(self.resolver.resolve(props.get("AssumeRolePolicyDocument", {})))
        try:
            role = self._client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]
        except self._client("iam").exceptions.EntityAlreadyExistsException:
            role = self._client("iam").get_role(RoleName=name)["Role"]
        return Physical(ref=name, attrs={"Arn": role["Arn"], "RoleId": role["RoleId"]})

    def _table(self, logical_id: str, props: dict[str, Any]) -> Physical:
        props = self.resolver.resolve(props)
        name = props.get("TableName") or f"{self.stack.stack_name}-{logical_id}"
        billing = props.get(
            "BillingMode", "PAY_PER_REQUEST" if "ProvisionedThroughput" not in props else "PROVISIONED"
        )
        args: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": billing,
        }
        throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        if billing == "PROVISIONED":
            args["ProvisionedThroughput"] = props.get("ProvisionedThroughput", throughput)
        indexes = []
        for index in props.get("GlobalSecondaryIndexes", []):
            spec = {k: index[k] for k in ("IndexName", "KeySchema", "Projection")}
            if billing == "PROVISIONED":
                spec["ProvisionedThroughput"] = index.get("ProvisionedThroughput", throughput)
            indexes.append(spec)
        if indexes:
            args["GlobalSecondaryIndexes"] = indexes
        if props.get("LocalSecondaryIndexes"):
            args["LocalSecondaryIndexes"] = props["LocalSecondaryIndexes"]
        if "StreamSpecification" in props:
            args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        ddb = self._client("dynamodb")
        table = ddb.create_table(**args)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            ddb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )
        self.result.tables[logical_id] = name
        attrs = {"Arn": table["TableArn"], "TableId": table.get("TableId", name)}
        if "LatestStreamArn" in table:
            attrs["StreamArn"] = table["LatestStreamArn"]
        return Physical(ref=name, attrs=attrs)

    def _bucket(self, logical_id: str, props: dict[str, Any]) -> Physical:
        name = _name(props, "BucketName", self.resolver, logical_id, 63).lower()
        s3 = self._client("s3")
        s3.create_bucket(Bucket=name)
        cors = props.get("CorsConfiguration")
        if cors:
            rules = self.resolver.resolve(cors)["CorsRules"]
            renamed = [
                {_CORS_KEYS[key]: value for key, value in rule.items() if key in _CORS_KEYS} for rule in rules
            ]
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": renamed})
        self.result.buckets[logical_id] = name
        domain = f"{name}.s3.{URL_SUFFIX}"
        return Physical(
            ref=name,
            attrs={
                "Arn": f"arn:aws:s3:::{name}",
                "DomainName": domain,
                "RegionalDomainName": domain,
                "DualStackDomainName": domain,
                "WebsiteURL": f"http://{name}.s3-website.{URL_SUFFIX}",
            },
        )

    def _queue(self, logical_id: str, props: dict[str, Any]) -> Physical:
        props = self.resolver.resolve(props)
        fifo = bool(props.get("FifoQueue"))
        default = f"{self.stack.stack_name}-{logical_id}"[: 75 if fifo else 80] + (".fifo" if fifo else "")
        name = props.get("QueueName") or default
        attributes: dict[str, str] = {
            key: str(props[key]).lower() if isinstance(props[key], bool) else str(props[key])
            for key in (
                "VisibilityTimeout",
                "MessageRetentionPeriod",
                "DelaySeconds",
                "ReceiveMessageWaitTimeSeconds",
                "MaximumMessageSize",
                "FifoQueue",
                "ContentBasedDeduplication",
            )
            if key in props
        }
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
        sqs = self._client("sqs")
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.result.queues[logical_id] = url
        return Physical(ref=url, attrs={"Arn": arn, "QueueName": name, "QueueUrl": url})

    def _function(self, logical_id: str, props: dict[str, Any]) -> Physical:
        name = _name(props, "FunctionName", self.resolver, logical_id, 64)
        environment: dict[str, str] = {}
        for key, value in props.get("Environment", {}).get("Variables", {}).items():
            try:
                environment[key] = self.resolver.resolve_str(value)
            except UnresolvableError as error:
                log.warning("function %s: environment %s left out: %s", logical_id, key, error)
        resource = self.stack.template["Resources"][logical_id]
        handler_file, entry, folder = locate_handler(logical_id, resource, self.stack, self.functions_root)
        created = self._client("lambda").create_function(
            FunctionName=name,
            Runtime=props.get("Runtime", "python3.12"),
            Role=self.resolver.resolve_str(props["Role"]),
            Handler=str(props.get("Handler", "handler.handler")),
            Code={"ZipFile": placeholder_zip()},
            Timeout=int(props.get("Timeout", 3)),
            MemorySize=int(props.get("MemorySize", 128)),
            Environment={"Variables": environment},
        )
        spec = FunctionSpec(
            logical_id=logical_id,
            name=name,
            arn=created["FunctionArn"],
            timeout=int(props.get("Timeout", 3)),
            memory=int(props.get("MemorySize", 128)),
            environment=environment,
            handler_file=handler_file,
            entry=entry,
            folder=folder,
        )
        self.result.functions[logical_id] = spec
        if folder is not None:
            for key, value in environment.items():
                self.result.environment.setdefault(key, value)
        return Physical(ref=name, attrs={"Arn": spec.arn})

    def _user_pool(self, logical_id: str, props: dict[str, Any]) -> Physical:
        """moto's Cognito issues RS256 tokens and serves the pool's JWKS (docs/accounts.md)."""
        props = self.resolver.resolve(props)
        name = props.get("UserPoolName") or f"{self.stack.stack_name}-{logical_id}"
        args: dict[str, Any] = {
            key: props[key]
            for key in ("UsernameAttributes", "AutoVerifiedAttributes", "Policies", "UsernameConfiguration")
            if key in props
        }
        pool = self._client("cognito-idp").create_user_pool(PoolName=name, **args)["UserPool"]
        self.result.user_pools[logical_id] = pool["Id"]
        return Physical(ref=pool["Id"], attrs={"Arn": pool["Arn"], "ProviderName": pool["Id"]})

    def _user_pool_client(self, logical_id: str, props: dict[str, Any]) -> Physical:
        props = self.resolver.resolve(props)
        client = self._client("cognito-idp").create_user_pool_client(
            UserPoolId=props["UserPoolId"],
            ClientName=props.get("ClientName", logical_id),
            GenerateSecret=bool(props.get("GenerateSecret", False)),
            ExplicitAuthFlows=props.get("ExplicitAuthFlows", []),
        )["UserPoolClient"]
        self.result.user_pool_clients[str(props.get("ClientName", logical_id))] = client["ClientId"]
        return Physical(ref=client["ClientId"])

    def _event_source(self, logical_id: str, props: dict[str, Any]) -> Physical:
        props = self.resolver.resolve(props)
        source_arn = props["EventSourceArn"]
        queue_url = next(
            (url for lid, url in self.result.queues.items() if self._arn_of(lid) == source_arn), None
        )
        if queue_url is None:
            log.warning("event source %s: only SQS sources are emulated (%s)", logical_id, source_arn)
            return Physical(ref=logical_id, placeholder=True)
        batch_size = int(props.get("BatchSize", 10))
        enabled = bool(props.get("Enabled", True))
        mapping = self._client("lambda").create_event_source_mapping(
            EventSourceArn=source_arn,
            FunctionName=props["FunctionName"],
            BatchSize=batch_size,
            Enabled=enabled,
            FunctionResponseTypes=props.get("FunctionResponseTypes", []),
        )
        self.result.event_sources.append(
            EventSourceSpec(
                uuid=mapping["UUID"],
                function_name=mapping["FunctionArn"].rsplit(":", 1)[-1],
                queue_url=queue_url,
                batch_size=batch_size,
                report_batch_item_failures="ReportBatchItemFailures"
                in props.get("FunctionResponseTypes", []),
                enabled=enabled,
            )
        )
        return Physical(ref=mapping["UUID"], attrs={"EventSourceMappingId": mapping["UUID"]})

    def _arn_of(self, logical_id: str) -> str:
        return self.resolver.physical[logical_id].attrs.get("Arn", "")

    def _state_machine(self, logical_id: str, props: dict[str, Any]) -> Physical:
        name = _name(props, "StateMachineName", self.resolver, logical_id, 80)
        if "DefinitionString" in props:
            definition = self.resolver.resolve_str(props["DefinitionString"])
        else:
            definition = json.dumps(self.resolver.resolve(props["Definition"]))
        for key, value in props.get("DefinitionSubstitutions", {}).items():
            definition = definition.replace("${" + key + "}", self.resolver.resolve_str(value))
        arn = self._client("stepfunctions").create_state_machine(
            name=name,
            definition=definition,
            roleArn=self.resolver.resolve_str(props["RoleArn"]),
            type=props.get("StateMachineType", "STANDARD"),
        )["stateMachineArn"]
        self.result.state_machines[logical_id] = arn
        return Physical(ref=arn, attrs={"Arn": arn, "Name": name})

    def _schedule_group(self, logical_id: str, props: dict[str, Any]) -> Physical:
        name = _name(props, "Name", self.resolver, logical_id, 64)
        arn = self._client("scheduler").create_schedule_group(Name=name)["ScheduleGroupArn"]
        return Physical(ref=name, attrs={"Arn": arn})

    def _schedule(self, logical_id: str, props: dict[str, Any]) -> Physical:
        props = self.resolver.resolve(props)
        name = props.get("Name") or f"{self.stack.stack_name}-{logical_id}"[:64]
        target = props["Target"]
        args: dict[str, Any] = {
            "Name": name,
            "ScheduleExpression": props["ScheduleExpression"],
            "FlexibleTimeWindow": props.get("FlexibleTimeWindow", {"Mode": "OFF"}),
            "Target": {k: target[k] for k in ("Arn", "RoleArn", "Input") if k in target},
            "State": props.get("State", "ENABLED"),
        }
        for key in ("GroupName", "ScheduleExpressionTimezone", "Description"):
            if key in props:
                args[key] = props[key]
        arn = self._client("scheduler").create_schedule(**args)["ScheduleArn"]
        self.result.schedules[logical_id] = name
        return Physical(ref=name, attrs={"Arn": arn})

    def _rule(self, logical_id: str, props: dict[str, Any]) -> Physical:
        """Recorded, not created: moto never fires rules (the local cloud emulates the ones it can)."""
        props = self.resolver.resolve(props)
        by_arn = {spec.arn: spec.name for spec in self.result.functions.values()}
        names = [by_arn[t["Arn"]] for t in props.get("Targets", []) if t.get("Arn") in by_arn]
        pattern = props.get("EventPattern") or {}
        if isinstance(pattern, str):
            pattern = json.loads(pattern)
        self.result.rules.append(RuleSpec(logical_id, pattern, names))
        name = props.get("Name") or f"{self.stack.stack_name}-{logical_id}"[:64]
        arn = f"arn:aws:events:{self.region}:{ACCOUNT_ID}:rule/{name}"
        return Physical(ref=name, attrs={"Arn": arn})

    def _websocket_routes(self, resources: dict[str, Any]) -> dict[str, str]:
        """Route key -> function name, read from API Gateway V2 routes and their integrations."""
        routes: dict[str, str] = {}
        by_logical = {spec.logical_id: spec.name for spec in self.result.functions.values()}
        for resource in resources.values():
            if resource["Type"] != "AWS::ApiGatewayV2::Route":
                continue
            props = resource.get("Properties", {})
            for integration_id in references(props.get("Target", "")):
                integration = resources.get(integration_id, {})
                uri = integration.get("Properties", {}).get("IntegrationUri", "")
                functions = [lid for lid in references(uri) if lid in by_logical]
                if functions:
                    routes[str(props.get("RouteKey"))] = by_logical[functions[0]]
        return routes


def provision(stack: SynthesizedStack, functions_root: Path, region: str = "us-east-1") -> Provisioned:
    """Create every supported resource of ``stack`` in the current (moto) AWS."""
    return Provisioner(stack, functions_root, region).run()
