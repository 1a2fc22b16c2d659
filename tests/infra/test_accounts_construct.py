"""Accounts infra: the stage's user pool, its two public clients, and the REST API's authorizer."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk.assertions import Match
from tradewind.accounts.route_roles import PUBLIC_ROUTES

from tests.infra.conftest import Synthesized


def only(synthesized: Synthesized, cfn_type: str) -> dict[str, Any]:
    (resource,) = synthesized.of_type(cfn_type).values()
    return resource["Properties"]


def test_the_pool_signs_in_by_email_with_a_strong_password_optional_totp_and_email_recovery(
    synthesized: Synthesized,
) -> None:
    pool = only(synthesized, "AWS::Cognito::UserPool")
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 12,
        "RequireLowercase": True,
        "RequireUppercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["AccountRecoverySetting"] == {
        "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
    }


def test_web_and_cli_clients_are_public_with_refresh_tokens(synthesized: Synthesized) -> None:
    clients = {
        c["Properties"]["ClientName"]: c["Properties"]
        for c in synthesized.of_type("AWS::Cognito::UserPoolClient").values()
    }
    assert set(clients) == {"web", "cli"}
    assert set(clients["web"]["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert set(clients["cli"]["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    for client in clients.values():
        assert client["GenerateSecret"] is False
        assert client["PreventUserExistenceErrors"] == "ENABLED"
        assert (client["RefreshTokenValidity"], client["IdTokenValidity"]) == (43200, 60)


def test_one_request_authorizer_without_the_gateway_cache(synthesized: Synthesized) -> None:
    authorizer = only(synthesized, "AWS::ApiGateway::Authorizer")
    assert authorizer["Type"] == "REQUEST"
    assert authorizer["AuthorizerResultTtlInSeconds"] == 0
    assert "IdentitySource" not in authorizer or not authorizer["IdentitySource"]


def _paths(synthesized: Synthesized) -> dict[str, str]:
    """Logical id of each API resource -> its full path."""
    resources = synthesized.of_type("AWS::ApiGateway::Resource")
    paths: dict[str, str] = {}

    def path_of(logical_id: str) -> str:
        if logical_id not in paths:
            props = resources[logical_id]["Properties"]
            parent = props["ParentId"]
            prefix = path_of(parent["Ref"]) if "Ref" in parent else ""
            paths[logical_id] = f"{prefix}/{props['PathPart']}"
        return paths[logical_id]

    for logical_id in resources:
        path_of(logical_id)
    return paths


def test_only_probes_docs_and_preflights_skip_the_authorizer(synthesized: Synthesized) -> None:
    paths = _paths(synthesized)
    anonymous, authorized = set(), set()
    for method in synthesized.of_type("AWS::ApiGateway::Method").values():
        props = method["Properties"]
        resource = props["ResourceId"]
        path = paths[resource["Ref"]] if "Ref" in resource else "/"
        entry = (props["HttpMethod"], path)
        (authorized if props["AuthorizationType"] == "CUSTOM" else anonymous).add(entry)
        if props["AuthorizationType"] == "CUSTOM":
            assert "AuthorizerId" in props
    assert {("ANY", "/"), ("ANY", "/{proxy+}"), ("ANY", "/health/{proxy+}")} <= authorized
    assert {(m, p) for m, p in PUBLIC_ROUTES} <= anonymous
    assert {m for m, _ in anonymous} == {"GET", "OPTIONS"}
    public_paths = {p for _, p in PUBLIC_ROUTES} | {"/", "/{proxy+}"}
    docs = ("/docs", "/redoc", "/openapi.json", "/docs-assets")
    assert {p for m, p in anonymous if m == "GET"} - public_paths <= {
        *docs,
        *(f"{d}/{{proxy+}}" for d in docs),
    }


def test_the_authorizer_reads_keys_and_memberships_only(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "handler.handler",
            "Description": Match.string_like_regexp("authorizer"),
            "Environment": {
                "Variables": Match.object_like(
                    {"TW_COGNITO_USER_POOL_ID": Match.any_value(), "TW_COGNITO_CLIENT_IDS": Match.any_value()}
                )
            },
        },
    )
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for key, p in synthesized.of_type("AWS::IAM::Policy").items()
        if key.startswith("AccountsAuthorizerRole")
    ]
    actions = {
        a
        for statements in policies
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {"dynamodb:GetItem", "dynamodb:Query"} <= actions
    assert not {
        a for a in actions if a.startswith("dynamodb:") and a not in ("dynamodb:GetItem", "dynamodb:Query")
    }


def test_the_invitation_mail_is_worded_for_tradewind(synthesized: Synthesized) -> None:
    config = only(synthesized, "AWS::Cognito::UserPool")["AdminCreateUserConfig"]
    template = config["InviteMessageTemplate"]
    assert template["EmailSubject"] == "You are invited to Tradewind"
    assert "{username}" in template["EmailMessage"]
    assert "{####}" in template["EmailMessage"]


def test_only_the_api_manages_users_with_exactly_create_get_delete_on_the_pool(
    synthesized: Synthesized,
) -> None:
    (pool_id,) = synthesized.of_type("AWS::Cognito::UserPool")
    cognito_statements = [
        (key, statement)
        for key, p in synthesized.of_type("AWS::IAM::Policy").items()
        for statement in p["Properties"]["PolicyDocument"]["Statement"]
        if any(
            a.startswith("cognito-idp:")
            for a in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        )
    ]
    assert len(cognito_statements) == 1, cognito_statements
    ((key, statement),) = cognito_statements
    api_role = synthesized.template.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Description": "Tradewind HTTP API (FastAPI behind Mangum)"}}
    )
    roles = {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in api_role.values()}
    assert synthesized.of_type("AWS::IAM::Policy")[key]["Properties"]["Roles"] == [{"Ref": r} for r in roles]
    assert sorted(statement["Action"]) == [
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminGetUser",
    ]
    assert statement["Resource"] == {"Fn::GetAtt": [pool_id, "Arn"]}


def test_the_site_config_names_the_pool_and_the_web_client(synthesized: Synthesized) -> None:
    (config_file,) = synthesized.outdir.glob("asset.*/config.json")
    text = config_file.read_text()  # deploy-time values are markers: tests/infra/test_stack.py renders them
    assert all(
        f'"{key}"' in text
        for key in ("cognito", "region", "userPoolId", "clientId", "cliClientId", "endpoint")
    )
    (deployment,) = synthesized.of_type("Custom::CDKBucketDeployment").values()
    markers = json.dumps(deployment["Properties"]["SourceMarkers"])
    pool = next(iter(synthesized.of_type("AWS::Cognito::UserPool")))
    web = next(
        k
        for k, c in synthesized.of_type("AWS::Cognito::UserPoolClient").items()
        if c["Properties"]["ClientName"] == "web"
    )
    assert pool in markers
    assert web in markers
    assert "cognito-idp." in markers


def test_cdk_nag_passes_for_accounts(synthesized: Synthesized) -> None:
    assert synthesized.synth_error is None or "Accounts" not in synthesized.synth_error, (
        synthesized.synth_error
    )
