"""Properties of the synthesized ``dev`` template: one test per promise the stack makes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk.assertions import Match
from constructs import IConstruct

from tests.infra.conftest import Synthesized

pytestmark = pytest.mark.infra

CONTRACT_VARIABLES = {
    "TW_STAGE",
    "TW_TABLE_NAME",
    "TW_CONNECTIONS_TABLE_NAME",
    "TW_DATA_BUCKET",
    "TW_ARTIFACTS_BUCKET",
    "TW_IMPORT_QUEUE_URL",
    "TW_WS_MANAGEMENT_ENDPOINT",
    "TW_WS_URL",
    "TW_CORS_ORIGINS",
}


def logical_id(syn: Synthesized, construct: IConstruct) -> str:
    child = construct.node.default_child or construct
    return str(syn.stack.resolve(syn.stack.get_logical_id(child)))  # type: ignore[arg-type]


def function_props(syn: Synthesized, construct: IConstruct) -> dict[str, Any]:
    props: dict[str, Any] = syn.resources[logical_id(syn, construct)]["Properties"]
    return props


def policy_statements(syn: Synthesized, role: IConstruct) -> list[dict[str, Any]]:
    """Every statement of the inline policies attached to ``role``."""
    role_id = logical_id(syn, role)
    return [
        statement
        for policy in syn.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def allowed_actions(statements: list[dict[str, Any]], resource_id: str) -> set[str]:
    """Actions allowed on anything that mentions ``resource_id`` (Ref, GetAtt or Join)."""
    actions: set[str] = set()
    for statement in statements:
        if resource_id in json.dumps(statement["Resource"]):
            found = statement["Action"]
            actions.update([found] if isinstance(found, str) else found)
    return actions


def state_machine_definition(syn: Synthesized, machine: IConstruct) -> dict[str, Any]:
    """The machine's ASL with every ``Fn::GetAtt [Id, Arn]`` replaced by ``arn:Id`` (other tokens,
    such as a bucket's ``Ref``, by ``ref:Id``)."""
    parts = function_props(syn, machine)["DefinitionString"]["Fn::Join"][1]
    text = "".join(
        part
        if isinstance(part, str)
        else f"arn:{part['Fn::GetAtt'][0]}"
        if "Fn::GetAtt" in part
        else f"ref:{part['Ref']}"
        for part in parts
    )
    definition: dict[str, Any] = json.loads(text)
    return definition


def test_synth_passes_cdk_nag(synthesized: Synthesized) -> None:
    assert synthesized.synth_error is None
    report = synthesized.outdir / "validation-report.json"
    if report.exists():
        assert json.loads(report.read_text())["pluginReports"] == []


def test_every_acknowledgment_is_specific_and_explained(synthesized: Synthesized) -> None:
    acknowledged = [
        rule
        for resource in synthesized.resources.values()
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    ]
    assert acknowledged, "acknowledgments should be written to the template for review"
    for rule in acknowledged:
        assert len(rule["reason"]) >= 40, rule
        # Wildcard findings are acknowledged one by one, never the whole rule.
        assert rule["id"] not in {"AwsSolutions-IAM5", "AwsSolutions-IAM4"}, rule


def test_main_table_keys_gsi_ttl_on_demand_pitr(synthesized: Synthesized) -> None:
    props = function_props(synthesized, synthesized.stack.data.table)
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    (index,) = props["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "gsi1"
    assert index["KeySchema"] == [
        {"AttributeName": "gsi1pk", "KeyType": "HASH"},
        {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
    ]


def test_connections_table_keys_ttl_pitr(synthesized: Synthesized) -> None:
    props = function_props(synthesized, synthesized.stack.realtime.connections_table)
    assert [key["AttributeName"] for key in props["KeySchema"]] == ["pk", "sk"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_every_bucket_encrypted_private_and_tls_only(synthesized: Synthesized) -> None:
    buckets = synthesized.of_type("AWS::S3::Bucket")
    assert len(buckets) == 4  # data, artifacts, site, access logs
    policies = {
        policy["Properties"]["Bucket"]["Ref"]: policy["Properties"]["PolicyDocument"]["Statement"]
        for policy in synthesized.of_type("AWS::S3::BucketPolicy").values()
    }
    for bucket_id, bucket in buckets.items():
        props = bucket["Properties"]
        rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        denies_plain_http = [
            s
            for s in policies[bucket_id]
            if s["Effect"] == "Deny"
            and s.get("Condition", {}).get("Bool") == {"aws:SecureTransport": "false"}
        ]
        assert denies_plain_http, bucket_id


def test_data_buckets_log_access_and_artifacts_are_versioned(synthesized: Synthesized) -> None:
    data = synthesized.stack.data
    logs_id = logical_id(synthesized, data.access_logs)
    for bucket in (data.data_bucket, data.artifacts_bucket):
        logging = function_props(synthesized, bucket)["LoggingConfiguration"]
        assert logging["DestinationBucketName"] == {"Ref": logs_id}
    artifacts = function_props(synthesized, data.artifacts_bucket)
    assert artifacts["VersioningConfiguration"] == {"Status": "Enabled"}


def test_data_bucket_accepts_browser_uploads_from_the_site(synthesized: Synthesized) -> None:
    (rule,) = function_props(synthesized, synthesized.stack.data.data_bucket)["CorsConfiguration"][
        "CorsRules"
    ]
    assert "PUT" in rule["AllowedMethods"]
    origins = json.dumps(rule["AllowedOrigins"])
    assert logical_id(synthesized, synthesized.stack.hosting.distribution) in origins
    assert "http://localhost:5173" in origins


def test_import_queue_has_dlq_after_three_receives_sse_and_tls(synthesized: Synthesized) -> None:
    work = synthesized.stack.orchestration
    queue = function_props(synthesized, work.import_queue)
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [logical_id(synthesized, work.dead_letters), "Arn"]},
        "maxReceiveCount": 3,
    }
    for props in (queue, function_props(synthesized, work.dead_letters)):
        assert props["SqsManagedSseEnabled"] is True
    for policy in synthesized.of_type("AWS::SQS::QueuePolicy").values():
        (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
        assert statement["Effect"] == "Deny"
        assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_import_worker_consumes_queue_with_partial_batch_failures(synthesized: Synthesized) -> None:
    work = synthesized.stack.orchestration
    synthesized.template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": [logical_id(synthesized, work.import_queue), "Arn"]},
            "FunctionName": {"Ref": logical_id(synthesized, work.import_worker)},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
        },
    )
    timeout = function_props(synthesized, work.import_worker)["Timeout"]
    assert function_props(synthesized, work.import_queue)["VisibilityTimeout"] >= 6 * timeout


def test_seed_state_machine_plans_maps_generate_then_finalizes(synthesized: Synthesized) -> None:
    work = synthesized.stack.orchestration
    definition = state_machine_definition(synthesized, work.seed_state_machine)
    states = definition["States"]
    assert definition["StartAt"] == "Plan"
    assert states["Plan"]["Resource"] == f"arn:{logical_id(synthesized, work.plan)}"
    assert states["Plan"]["Next"] == "GenerateBatches"
    mapped = states["GenerateBatches"]
    assert mapped["Type"] == "Map"
    assert mapped["ItemsPath"] == "$.batches"
    assert mapped["MaxConcurrency"] == synthesized.stack.settings.seed_map_concurrency
    assert mapped["ResultPath"] == "$.generated"
    inner = mapped["ItemProcessor"]["States"]["Generate"]
    assert inner["Resource"] == f"arn:{logical_id(synthesized, work.generate)}"
    assert mapped["Next"] == "Finalize"
    assert states["Finalize"]["Resource"] == f"arn:{logical_id(synthesized, work.finalize)}"
    assert states["Finalize"]["End"] is True
    for task in (states["Plan"], inner, states["Finalize"]):
        retried = {error for retry in task["Retry"] for error in retry["ErrorEquals"]}
        assert {"Lambda.ServiceException", "Lambda.TooManyRequestsException"} <= retried
        assert all(retry["BackoffRate"] > 1 for retry in task["Retry"])


def test_seed_state_machine_is_standard_logged_and_traced(synthesized: Synthesized) -> None:
    props = function_props(synthesized, synthesized.stack.orchestration.seed_state_machine)
    assert props["StateMachineType"] == "STANDARD"
    assert props["TracingConfiguration"] == {"Enabled": True}
    assert props["LoggingConfiguration"]["Level"] == "ALL"


def test_janitor_runs_every_ten_minutes_through_scheduler(synthesized: Synthesized) -> None:
    janitor_id = logical_id(synthesized, synthesized.stack.realtime.janitor)
    (props,) = [
        s["Properties"]
        for s in synthesized.of_type("AWS::Scheduler::Schedule").values()
        if s["Properties"]["Target"]["Arn"] == {"Fn::GetAtt": [janitor_id, "Arn"]}
    ]
    role_id = logical_id(synthesized, synthesized.stack.schedules.role)
    assert props["ScheduleExpression"] == "rate(10 minutes)"
    assert props["State"] == "ENABLED"
    assert props["Target"]["Arn"] == {"Fn::GetAtt": [janitor_id, "Arn"]}
    assert props["Target"]["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    trust = synthesized.resources[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust[0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    statements = policy_statements(synthesized, synthesized.stack.schedules.role)
    assert allowed_actions(statements, janitor_id) == {"lambda:InvokeFunction"}


def test_rest_api_is_throttled_access_logged_and_traced(synthesized: Synthesized) -> None:
    settings = synthesized.stack.settings
    (stage,) = synthesized.of_type("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["StageName"] == settings.name
    assert props["TracingEnabled"] is True
    assert "DestinationArn" in props["AccessLogSetting"]
    assert "$context.requestId" in props["AccessLogSetting"]["Format"]
    (method_settings,) = props["MethodSettings"]
    assert method_settings["ThrottlingRateLimit"] == settings.api_rate_limit
    assert method_settings["ThrottlingBurstLimit"] == settings.api_burst_limit
    assert method_settings["LoggingLevel"] == "ERROR"


def test_rest_api_proxies_everything_to_the_api_function(synthesized: Synthesized) -> None:
    api_id = logical_id(synthesized, synthesized.stack.api.function)
    methods = synthesized.of_type("AWS::ApiGateway::Method").values()
    # ANY behind the authorizer; GET for anonymous probes and docs, OPTIONS for CORS preflights
    # (tests/infra/test_accounts_construct.py checks which is which).
    assert {method["Properties"]["HttpMethod"] for method in methods} == {"ANY", "GET", "OPTIONS"}
    for method in methods:
        integration = method["Properties"]["Integration"]
        assert integration["Type"] == "AWS_PROXY"
        assert api_id in json.dumps(integration["Uri"])
    synthesized.template.has_resource_properties("AWS::ApiGateway::Resource", {"PathPart": "{proxy+}"})


def test_websocket_routes_reach_their_handlers(synthesized: Synthesized) -> None:
    realtime = synthesized.stack.realtime
    integrations = synthesized.of_type("AWS::ApiGatewayV2::Integration")
    routes = {
        route["Properties"]["RouteKey"]: route["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
        for route in synthesized.of_type("AWS::ApiGatewayV2::Route").values()
    }
    expected = {
        "$connect": realtime.connect,
        "$disconnect": realtime.disconnect,
        "$default": realtime.default,
    }
    assert set(routes) == set(expected)
    for key, function in expected.items():
        uri = json.dumps(integrations[routes[key]]["Properties"]["IntegrationUri"])
        assert logical_id(synthesized, function) in uri, key
    (stage,) = synthesized.of_type("AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert props["AutoDeploy"] is True
    assert "DestinationArn" in props["AccessLogSettings"]
    assert props["DefaultRouteSettings"]["ThrottlingRateLimit"] == synthesized.stack.settings.api_rate_limit


def test_realtime_publishers_may_post_to_connections(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    api_id = logical_id(synthesized, stack.realtime.api)
    publishers = (stack.api.function, stack.realtime.default, stack.orchestration.import_worker)
    for function in (*publishers, *stack.jobs.functions):
        assert function.role is not None
        actions = allowed_actions(policy_statements(synthesized, function.role), api_id)
        assert "execute-api:ManageConnections" in actions, function.node.path


def test_the_seed_steps_touch_only_the_dataset_rows_and_bars(synthesized: Synthesized) -> None:
    """They publish nothing: no connections table, no ManageConnections; exact item actions."""
    stack = synthesized.stack
    work = stack.orchestration
    table = logical_id(synthesized, stack.data.table)
    bars = logical_id(synthesized, stack.data.data_bucket)
    expected = {
        work.plan: ({"GetItem", "PutItem", "UpdateItem"}, set()),
        work.generate: (set(), {"s3:PutObject"}),
        work.finalize: ({"GetItem", "UpdateItem", "BatchWriteItem"}, {"s3:ListBucket"}),
    }
    for function, (items, objects) in expected.items():
        assert function.role is not None
        statements = policy_statements(synthesized, function.role)
        assert allowed_actions(statements, table) == {f"dynamodb:{a}" for a in items}, function.node.path
        assert allowed_actions(statements, bars) == objects, function.node.path
        text = json.dumps(statements)
        for absent in (
            logical_id(synthesized, stack.realtime.connections_table),
            logical_id(synthesized, stack.realtime.api),
            logical_id(synthesized, stack.data.artifacts_bucket),
            "/index/",
        ):
            assert absent not in text, (function.node.path, absent)


def test_grants_follow_least_privilege(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    table_id = logical_id(synthesized, stack.data.table)
    connect, api = stack.realtime.connect, stack.api.function
    assert connect.role is not None
    assert api.role is not None
    connect_actions = allowed_actions(policy_statements(synthesized, connect.role), table_id)
    assert "dynamodb:GetItem" in connect_actions
    assert "dynamodb:PutItem" not in connect_actions
    api_statements = policy_statements(synthesized, api.role)
    machine_id = logical_id(synthesized, stack.orchestration.seed_state_machine)
    assert "states:StartExecution" in allowed_actions(api_statements, machine_id)
    assert "sqs:SendMessage" in allowed_actions(
        api_statements, logical_id(synthesized, stack.orchestration.import_queue)
    )
    # GET /health/system reads each queue's depth, dead letters included, and never receives.
    for queue in (
        stack.orchestration.import_queue,
        stack.orchestration.dead_letters,
        stack.pipeline.queue,
        stack.pipeline.dead_letters,
    ):
        actions = allowed_actions(api_statements, logical_id(synthesized, queue))
        assert "sqs:GetQueueAttributes" in actions, queue.node.path
        assert "sqs:ReceiveMessage" not in actions, queue.node.path
    data_actions = allowed_actions(api_statements, logical_id(synthesized, stack.data.data_bucket))
    assert data_actions == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"}
    artifacts_actions = allowed_actions(api_statements, logical_id(synthesized, stack.data.artifacts_bucket))
    # spec.json at submit, presigned result downloads, a deleted job's objects, versions included
    # (docs/jobs.md)
    assert artifacts_actions == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:ListBucket",
        "s3:ListBucketVersions",
    }


def test_site_served_by_cloudfront_with_oac_and_spa_fallback(synthesized: Synthesized) -> None:
    hosting = synthesized.stack.hosting
    (oac,) = synthesized.of_type("AWS::CloudFront::OriginAccessControl").values()
    oac_config = oac["Properties"]["OriginAccessControlConfig"]
    assert oac_config["OriginAccessControlOriginType"] == "s3"
    assert oac_config["SigningBehavior"] == "always"
    config = function_props(synthesized, hosting.distribution)["DistributionConfig"]
    (origin,) = config["Origins"]
    assert "OriginAccessControlId" in origin
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert config["DefaultRootObject"] == "index.html"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert sorted(config["CustomErrorResponses"], key=lambda r: r["ErrorCode"]) == [
        {"ErrorCode": code, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 0}
        for code in (403, 404)
    ]
    assert "Logging" in config
    site_id = logical_id(synthesized, hosting.site_bucket)
    synthesized.template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": site_id},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Principal": {"Service": "cloudfront.amazonaws.com"}})]
                )
            },
        },
    )


def render(value: Any) -> str:
    """A CloudFormation string expression with every reference shown as ``{LogicalId}``."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        return "".join(render(part) for part in value["Fn::Join"][1])
    return "{" + str(value.get("Ref", value)) + "}"


def test_site_deployment_ships_dist_and_config_json(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    (deployment,) = synthesized.of_type("Custom::CDKBucketDeployment").values()
    props = deployment["Properties"]
    assert len(props["SourceObjectKeys"]) == 2
    (config_file,) = synthesized.outdir.glob("asset.*/config.json")
    text = config_file.read_text()
    # Deploy-time URLs are markers the deployment replaces with quoted JSON strings.
    for markers in props["SourceMarkers"]:
        for marker, value in markers.items():
            text = text.replace(marker, render(value))
    config = json.loads(text)
    assert set(config) == {"apiUrl", "wsUrl", "stage", "cognito"}
    assert set(config["cognito"]) == {"region", "userPoolId", "clientId", "cliClientId", "endpoint"}
    assert config["stage"] == stack.settings.name
    assert config["apiUrl"].startswith("https://{" + logical_id(synthesized, stack.api.rest_api) + "}")
    assert config["wsUrl"].startswith("wss://{" + logical_id(synthesized, stack.realtime.api) + "}")
    assert config["wsUrl"].endswith("/" + stack.settings.name)


def test_every_function_runs_python312_with_both_layers_tracing_and_contract_env(
    synthesized: Synthesized,
) -> None:
    stack = synthesized.stack
    layer_refs = [{"Ref": logical_id(synthesized, layer)} for layer in stack.layers.all]
    # 14 + job_execution_ended (docs/jobs.md) + schedule_fire and command_runner (docs/schedules.md)
    # + alert_delivery (docs/alerts.md) + audit_export (docs/audit.md)
    # + the REST API's authorizer (docs/accounts.md)
    # + the workflow's begin, step, succeed, fail (docs/workflows.md)
    assert len(stack.functions) == 14 + 1 + 2 + 1 + 1 + 1 + 4
    for function in stack.functions:
        props = function_props(synthesized, function)
        assert props["Runtime"] == "python3.12"
        assert sorted(props["Layers"], key=str) == sorted(layer_refs, key=str)
        assert props["TracingConfig"] == {"Mode": "Active"}
        variables = props["Environment"]["Variables"]
        assert set(variables) >= CONTRACT_VARIABLES, function.node.path
        assert variables["TW_STAGE"] == stack.settings.name
        assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "Tradewind"
        assert variables["POWERTOOLS_SERVICE_NAME"]
        assert variables["LOG_LEVEL"] == stack.settings.log_level
        assert variables["TW_TABLE_NAME"] == {"Ref": logical_id(synthesized, stack.data.table)}
        assert variables["TW_IMPORT_QUEUE_URL"] == {
            "Ref": logical_id(synthesized, stack.orchestration.import_queue)
        }
        assert "wss://" in json.dumps(variables["TW_WS_URL"])


def test_only_the_api_knows_the_seed_machine(synthesized: Synthesized) -> None:
    """And the command runner (refresh-sample starts the seed, docs/commands.md)."""
    stack = synthesized.stack
    api = function_props(synthesized, stack.api.function)["Environment"]["Variables"]
    machine_id = logical_id(synthesized, stack.orchestration.seed_state_machine)
    assert api["TW_SEED_STATE_MACHINE_ARN"] == {"Ref": machine_id}
    for function in stack.functions:
        if function not in (stack.api.function, stack.commands.runner):
            variables = function_props(synthesized, function)["Environment"]["Variables"]
            assert "TW_SEED_STATE_MACHINE_ARN" not in variables, function.node.path


def test_function_entry_points_follow_the_contract(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    handlers = {
        stack.api.function: "handler.handler",
        stack.realtime.connect: "handler.handler",
        stack.orchestration.import_worker: "handler.handler",
        stack.orchestration.plan: "handler.plan",
        stack.orchestration.generate: "handler.generate",
        stack.orchestration.finalize: "handler.finalize",
        stack.realtime.janitor: "handler.handler",
    }
    for function, handler in handlers.items():
        assert function_props(synthesized, function)["Handler"] == handler
    assert function_props(synthesized, stack.api.function)["MemorySize"] == 1024
    assert function_props(synthesized, stack.orchestration.import_worker)["MemorySize"] == 1769


def test_throwaway_stage_destroys_and_real_stage_retains(synthesized: Synthesized) -> None:
    assert synthesized.stack.settings.removal_policy is RemovalPolicy.DESTROY
    table = synthesized.resources[logical_id(synthesized, synthesized.stack.data.table)]
    assert table["DeletionPolicy"] == "Delete"


# cfn-lint noise from CDK itself, not from this stack:
# W3005: CDK adds an explicit DependsOn on a function's role (and on the role's policy) although a
#        GetAtt already orders them; it is how aws-cdk-lib guarantees the policy exists first.
CFN_LINT_IGNORED = ["W3005"]


def test_cfn_lint_passes(synthesized: Synthesized) -> None:
    from cfnlint.api import ManualArgs, lint

    text = (synthesized.outdir / f"{synthesized.stack.stack_name}.template.json").read_text()
    matches = lint(text, config=ManualArgs(regions=["us-east-1"], ignore_checks=CFN_LINT_IGNORED))
    assert [f"{match.rule.id}: {match.message}" for match in matches] == []
