"""REST API authorizer (REQUEST type): verify the credential, hand the caller to the api Lambda.

An ID token or an API key, checked by ``tradewind.accounts.authorizer`` (the code the app runs
itself where no gateway is in front: locally, in tests). Allowed: an IAM policy for the whole stage
(the role of each route is the api Lambda's check, it knows the route templates) and the caller as
context. Refused: ``Unauthorized`` (API Gateway answers 401) or an explicit deny (403).
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from tradewind.accounts.authorizer import authenticate, to_context
from tradewind.errors import Forbidden, Unauthorized

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


def _stage_arn(method_arn: str) -> str:
    """``arn:...:execute-api:region:account:api/stage/METHOD/path`` -> every method and path of the stage."""
    api_and_stage = method_arn.split("/", 2)[:2]
    return "/".join([*api_and_stage, "*"])


def _policy(
    principal_id: str, effect: str, resource: str, context: dict[str, str] | None = None
) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "principalId": principal_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
    if context is not None:
        answer["context"] = context
    return answer


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    resource = _stage_arn(event["methodArn"])
    try:
        caller = authenticate(event.get("headers") or {})
    except Unauthorized as exc:
        logger.info("refused", reason=exc.detail)
        raise Exception("Unauthorized") from None  # API Gateway's signal for 401
    except Forbidden as exc:
        logger.info("forbidden", reason=exc.detail)
        return _policy("forbidden", "Deny", resource)
    return _policy(caller.actor, "Allow", resource, to_context(caller))
