"""CloudFormation intrinsics resolved against local resources."""

from __future__ import annotations

import pytest

from infra.local.intrinsics import Physical, Resolver, UnresolvableError, references

TEMPLATE = {"Parameters": {"BootstrapVersion": {"Type": "String", "Default": "/cdk-bootstrap/version"}}}


@pytest.fixture
def resolver() -> Resolver:
    r = Resolver(TEMPLATE, "Stack-local", "us-east-1")
    r.physical["Queue"] = Physical("https://sqs/123/q", {"Arn": "arn:aws:sqs:us-east-1:123:q"})
    r.physical["Api"] = Physical("Api", placeholder=True)
    return r


def test_ref_getatt_join_sub(resolver: Resolver) -> None:
    assert resolver.resolve({"Ref": "Queue"}) == "https://sqs/123/q"
    assert resolver.resolve({"Fn::GetAtt": ["Queue", "Arn"]}) == "arn:aws:sqs:us-east-1:123:q"
    assert resolver.resolve({"Fn::GetAtt": "Queue.Arn"}) == "arn:aws:sqs:us-east-1:123:q"
    joined = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":x:", {"Ref": "AWS::Region"}]]}
    assert resolver.resolve(joined) == "arn:aws:x:us-east-1"
    assert resolver.resolve({"Fn::Sub": "${AWS::StackName}/${Queue.Arn}/${!Literal}"}) == (
        "Stack-local/arn:aws:sqs:us-east-1:123:q/${Literal}"
    )
    assert resolver.resolve({"Fn::Sub": ["${A}-${AWS::AccountId}", {"A": {"Ref": "Queue"}}]}) == (
        "https://sqs/123/q-123456789012"
    )


def test_select_split_no_value_and_parameters(resolver: Resolver) -> None:
    assert resolver.resolve({"Fn::Select": [4, {"Fn::Split": ["/", {"Ref": "Queue"}]}]}) == "q"
    assert resolver.resolve({"A": 1, "B": {"Ref": "AWS::NoValue"}}) == {"A": 1}
    assert resolver.resolve({"Ref": "BootstrapVersion"}) == "/cdk-bootstrap/version"


def test_placeholders_and_unknowns(resolver: Resolver) -> None:
    assert resolver.resolve({"Fn::GetAtt": ["Api", "ApiEndpoint"]}) == "local-Api-ApiEndpoint"
    with pytest.raises(UnresolvableError, match="Missing"):
        resolver.resolve({"Ref": "Missing"})
    with pytest.raises(UnresolvableError, match="Fn::ImportValue"):
        resolver.resolve({"Fn::ImportValue": "x"})


def test_references_find_every_dependency() -> None:
    value = {"A": [{"Ref": "X"}, {"Fn::GetAtt": ["Y", "Arn"]}], "B": {"Fn::Sub": "${Z.Arn}${AWS::Region}"}}
    assert references(value) == {"X", "Y", "Z"}
