"""Least privilege and safe defaults (issue #8) in the synthesized ``dev`` template: the API's
Step Functions grants, alarms that can reach someone, browser security headers, artifact lifecycle,
the account-level logging role outside the stage, reserved concurrency and the per-tenant job caps."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.account import ACCOUNT_STACK_NAME
from infra.constructs.monitoring import LATENCY_P99_MS
from infra.stages import STAGES
from tests.infra.conftest import Synthesized
from tests.infra.test_stack import function_props, logical_id, policy_statements, render

pytestmark = pytest.mark.infra

ONE_YEAR_SECONDS = 365 * 24 * 3600
XRAY_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def actions_of(statement: dict[str, Any]) -> set[str]:
    found = statement["Action"]
    return {found} if isinstance(found, str) else set(found)


def test_the_api_role_grants_only_xray_on_every_resource(synthesized: Synthesized) -> None:
    """The ``Resource::*`` acknowledgement says X-Ray: nothing else may be granted on ``*``."""
    api = synthesized.stack.api.function
    assert api.role is not None
    statements = policy_statements(synthesized, api.role)
    on_everything = [s for s in statements if s["Resource"] == "*"]
    assert on_everything
    for statement in on_everything:
        assert actions_of(statement) <= XRAY_ACTIONS, statement
    granted = set().union(*(actions_of(s) for s in statements))
    states = {action for action in granted if action.startswith("states:")}
    # start and stop executions; describe the machines themselves for GET /health/system
    # SendTask*: a job the API cancels answers the workflow run waiting on it (docs/workflows.md)
    assert states == {
        "states:StartExecution",
        "states:StopExecution",
        "states:DescribeStateMachine",
        "states:SendTaskSuccess",
        "states:SendTaskFailure",
    }


def test_the_api_starts_both_workflows_and_stops_only_job_executions(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    statements = policy_statements(synthesized, stack.api.function.role)  # type: ignore[arg-type]
    jobs = logical_id(synthesized, stack.jobs.state_machine)
    seed = logical_id(synthesized, stack.orchestration.seed_state_machine)
    flows = logical_id(synthesized, stack.workflows.state_machine)
    (start,) = [s for s in statements if "states:StartExecution" in actions_of(s)]
    assert actions_of(start) <= {"states:StartExecution", "states:DescribeStateMachine"}  # the machines only
    assert sorted(start["Resource"], key=str) == sorted(
        [{"Ref": jobs}, {"Ref": seed}, {"Ref": flows}], key=str
    )
    (stop,) = [s for s in statements if actions_of(s) == {"states:StopExecution"}]
    arn = json.dumps(stop["Resource"])  # a cancelled job's execution, a cancelled workflow run's
    assert arn.count(":execution:") == 2
    assert jobs in arn
    assert flows in arn
    assert seed not in arn


def alarm_topic(syn: Synthesized) -> str:
    return logical_id(syn, syn.stack.monitoring.topic)


def test_the_alarm_topic_uses_a_rotated_customer_key_cloudwatch_may_use(synthesized: Synthesized) -> None:
    monitoring = synthesized.stack.monitoring
    key_id = logical_id(synthesized, monitoring.key)
    topic = function_props(synthesized, monitoring.topic)
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    key = function_props(synthesized, monitoring.key)
    assert key["EnableKeyRotation"] is True
    (for_cloudwatch,) = [
        s
        for s in key["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}
    ]
    assert for_cloudwatch["Effect"] == "Allow"
    assert actions_of(for_cloudwatch) == {"kms:Decrypt", "kms:GenerateDataKey*"}


def test_cloudwatch_may_publish_to_the_alarm_topic_from_this_account_only(synthesized: Synthesized) -> None:
    topic_id = alarm_topic(synthesized)
    (policy,) = [
        p["Properties"]
        for p in synthesized.of_type("AWS::SNS::TopicPolicy").values()
        if {"Ref": topic_id} in p["Properties"]["Topics"]
    ]
    statements = policy["PolicyDocument"]["Statement"]
    (publish,) = [s for s in statements if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert publish["Effect"] == "Allow"
    assert actions_of(publish) == {"sns:Publish"}
    assert publish["Resource"] == {"Ref": topic_id}
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    # ... and the TLS-only deny stays.
    assert any(s["Effect"] == "Deny" for s in statements)


def test_every_alarm_notifies_the_topic(synthesized: Synthesized) -> None:
    alarms = synthesized.of_type("AWS::CloudWatch::Alarm").values()
    assert alarms
    for alarm in alarms:
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": alarm_topic(synthesized)}], alarm


def rest_api_alarms(syn: Synthesized) -> dict[str, dict[str, Any]]:
    """The AWS/ApiGateway alarms of the REST API's stage, by metric name."""
    stage_id = logical_id(syn, syn.stack.api.rest_api.deployment_stage)
    found = {}
    for alarm in syn.of_type("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("Namespace") == "AWS/ApiGateway":
            dimensions = {d["Name"]: d["Value"] for d in props["Dimensions"]}
            assert dimensions == {
                "ApiName": f"tradewind-{syn.stack.settings.name}",
                "Stage": {"Ref": stage_id},
            }
            found[props["MetricName"]] = props
    return found


def test_the_rest_api_alarms_on_any_5xx_a_client_received(synthesized: Synthesized) -> None:
    errors = rest_api_alarms(synthesized)["5XXError"]
    assert errors["Statistic"] == "Sum"
    assert errors["Threshold"] == 1
    assert errors["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_the_rest_api_alarms_on_sustained_p99_latency(synthesized: Synthesized) -> None:
    latency = rest_api_alarms(synthesized)["Latency"]
    assert latency["ExtendedStatistic"] == "p99"
    assert latency["Threshold"] == LATENCY_P99_MS
    assert latency["EvaluationPeriods"] >= 2
    assert latency["Threshold"] < 29_000  # below the API's integration timeout


@pytest.fixture(scope="module")
def security_headers(synthesized: Synthesized) -> dict[str, Any]:
    hosting = synthesized.stack.hosting
    behavior = function_props(synthesized, hosting.distribution)["DistributionConfig"]["DefaultCacheBehavior"]
    policy_id = logical_id(synthesized, hosting.response_headers)
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": policy_id}
    config: dict[str, Any] = function_props(synthesized, hosting.response_headers)[
        "ResponseHeadersPolicyConfig"
    ]["SecurityHeadersConfig"]
    return config


def test_the_site_sends_hsts_nosniff_deny_and_a_referrer_policy(security_headers: dict[str, Any]) -> None:
    hsts = security_headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= ONE_YEAR_SECONDS
    assert hsts["IncludeSubdomains"] is True
    assert hsts["Override"] is True
    assert security_headers["ContentTypeOptions"] == {"Override": True}
    assert security_headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert security_headers["ReferrerPolicy"] == {
        "ReferrerPolicy": "strict-origin-when-cross-origin",
        "Override": True,
    }


def test_the_content_security_policy_allows_only_the_app_and_its_apis(
    synthesized: Synthesized, security_headers: dict[str, Any]
) -> None:
    stack = synthesized.stack
    csp = security_headers["ContentSecurityPolicy"]
    assert csp["Override"] is True
    directives = {
        name: sources
        for name, *sources in (part.split() for part in render(csp["ContentSecurityPolicy"]).split("; "))
    }
    rest_api = logical_id(synthesized, stack.api.rest_api)
    ws_api = logical_id(synthesized, stack.realtime.api)
    region = "{AWS::Region}.{AWS::URLSuffix}"
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],  # the Vite build has no inline style or script
        "img-src": ["'self'", "data:"],
        "connect-src": [
            "'self'",
            f"https://{{{rest_api}}}.execute-api.{region}",
            f"wss://{{{ws_api}}}.execute-api.{region}",
            f"https://*.s3.{region}",  # browser uploads: presigned PUTs to the data bucket
            f"https://cognito-idp.{region}",  # sign-in (docs/accounts.md)
        ],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }


def test_artifacts_expire_old_versions_delete_markers_and_tagged_intermediates(
    synthesized: Synthesized,
) -> None:
    settings = synthesized.stack.settings
    rules = function_props(synthesized, synthesized.stack.data.artifacts_bucket)["LifecycleConfiguration"][
        "Rules"
    ]
    by_id = {rule.get("Id"): rule for rule in rules}
    versions = by_id["ExpireNoncurrentVersions"]
    assert versions["Status"] == "Enabled"
    assert versions["NoncurrentVersionExpiration"] == {"NoncurrentDays": settings.noncurrent_version_days}
    assert versions["ExpiredObjectDeleteMarker"] is True
    assert "Prefix" not in versions  # the whole bucket
    assert "TagFilters" not in versions
    intermediates = by_id["ExpireJobIntermediates"]
    assert intermediates["Status"] == "Enabled"
    # the tag the workflow writes (tradewind.jobs.artifacts, which the construct imports)
    assert intermediates["TagFilters"] == [{"Key": "tw-retention", "Value": "intermediate"}]
    assert intermediates["ExpirationInDays"] == settings.intermediate_retention_days
    assert any("AbortIncompleteMultipartUpload" in rule for rule in rules)


def test_retention_settings_outlive_a_job_and_prod_keeps_versions_longest() -> None:
    for settings in STAGES.values():
        assert settings.intermediate_retention_days >= 1  # a job runs at most 6 hours
        assert settings.noncurrent_version_days >= 1
    assert STAGES["prod"].noncurrent_version_days >= STAGES["dev"].noncurrent_version_days


def test_the_stage_does_not_own_the_account_logging_role(synthesized: Synthesized) -> None:
    assert synthesized.of_type("AWS::ApiGateway::Account") == {}
    trusts = [
        statement["Principal"]
        for role in synthesized.of_type("AWS::IAM::Role").values()
        for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    ]
    assert {"Service": "apigateway.amazonaws.com"} not in trusts
    account = synthesized.stack.node.scope.node.find_child(ACCOUNT_STACK_NAME)  # type: ignore[union-attr]
    assert account in synthesized.stack.dependencies  # deployed first, never destroyed with a stage


def test_the_account_stack_sets_the_logging_role_once_and_retains_it(synthesized: Synthesized) -> None:
    template = json.loads((synthesized.outdir / f"{ACCOUNT_STACK_NAME}.template.json").read_text())
    resources = template["Resources"]
    (account,) = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Account"]
    (role_id,) = [key for key, r in resources.items() if r["Type"] == "AWS::IAM::Role"]
    role = resources[role_id]
    assert account["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    for resource in (account, role):
        assert resource["DeletionPolicy"] == "Retain"
        assert resource["UpdateReplacePolicy"] == "Retain"
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "apigateway.amazonaws.com"}
    (managed,) = role["Properties"]["ManagedPolicyArns"]
    assert "AmazonAPIGatewayPushToCloudWatchLogs" in json.dumps(managed)


def test_only_the_api_has_reserved_concurrency(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    for function in stack.functions:
        reserved = function_props(synthesized, function).get("ReservedConcurrentExecutions")
        expected = stack.settings.api_reserved_concurrency if function is stack.api.function else None
        assert reserved == expected, function.node.path
    assert [STAGES[name].api_reserved_concurrency for name in ("local", "dev", "prod")] == [10, 10, 100]


def test_the_api_gets_the_stage_job_caps(synthesized: Synthesized) -> None:
    stack = synthesized.stack
    settings = stack.settings
    variables = function_props(synthesized, stack.api.function)["Environment"]["Variables"]
    assert variables["TW_MAX_CONCURRENT_JOBS"] == str(settings.max_concurrent_jobs_per_tenant)
    assert variables["TW_MAX_JOB_RUNS_PER_DAY"] == str(settings.max_runs_per_day_per_tenant)
    fire = function_props(synthesized, stack.user_schedules.fire)["Environment"]["Variables"]
    assert fire["TW_MAX_CONCURRENT_JOBS"] == variables["TW_MAX_CONCURRENT_JOBS"]  # a fire submits as the API
    step = function_props(synthesized, stack.workflows.step)["Environment"]["Variables"]
    assert step["TW_MAX_CONCURRENT_JOBS"] == variables["TW_MAX_CONCURRENT_JOBS"]  # so does a workflow's step
    for function in stack.functions:
        if function not in (stack.api.function, stack.user_schedules.fire, stack.workflows.step):
            others = function_props(synthesized, function)["Environment"]["Variables"]
            assert "TW_MAX_CONCURRENT_JOBS" not in others, function.node.path
    for stage in STAGES.values():
        assert 1 <= stage.max_concurrent_jobs_per_tenant <= stage.max_runs_per_day_per_tenant
