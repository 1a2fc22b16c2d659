"""cdk-nag (3.x) wiring: run the AwsSolutions pack and acknowledge findings one by one with a reason."""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, App, Stack, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def add_checks(app: App) -> None:
    """Validate every stack of ``app`` against AwsSolutions during synth (an error fails synth).

    Acknowledgments are also written into each resource's template Metadata (``cdk_nag``) so the
    reasons travel with the template for reviewers and for the infra tests.
    """
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Accept one finding (``AwsSolutions-IAM5[Resource::...]`` for one wildcard) on ``scope`` only."""
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))


def logical_ref(construct: IConstruct) -> str:
    """The logical id cdk-nag prints for a resource (``<Id.Arn>``) in granular finding ids."""
    resource = construct.node.default_child or construct
    return Stack.of(construct).get_logical_id(resource)  # type: ignore[arg-type]


def execution_arn_pattern(machine: IConstruct) -> str:
    """How cdk-nag prints the ARN prefix of ``machine``'s executions (the state machine's name is
    the seventh ``:`` field of its ARN); append ``:*`` for executions, ``/*:*`` for Map runs' children.
    """
    name = json.dumps(
        {"Fn::Select": [6, {"Fn::Split": [":", {"Ref": logical_ref(machine)}]}]}, separators=(",", ":")
    )
    return f"arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{name}"
