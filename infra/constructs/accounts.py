"""Accounts: the stage's Cognito user pool (people sign in) and the REST API's authorizer Lambda.

The pool signs people in by email and password (MFA optional, TOTP; recovery by email); its ID
tokens are what the web app and the CLI send. The authorizer verifies either credential (an ID token
against the pool's JWKS, an API key by hash) before any request reaches the api Lambda
(docs/accounts.md). Grants and the ``TW_*`` variables are the stack's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Aws, Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.function import python_function
from infra.nag import acknowledge
from infra.stages import StageSettings

IDENTITY_HEADERS = ("Authorization", "X-Api-Key", "X-Org-Id")
"""Headers the authorizer reads (its REQUEST identity; the gateway's result cache is off, see below)."""


class Accounts(Construct):
    """User pool + web and CLI app clients + the REQUEST authorizer."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"tradewind-{settings.name}",
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            self_sign_up_enabled=False,  # admins invite; people are created, then accept (docs/accounts.md)
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(7),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            # AdminCreateUser (an invitation to a new email, tradewind.accounts.invitees) sends this.
            user_invitation=cognito.UserInvitationConfig(
                email_subject="You are invited to Tradewind",
                email_body=(
                    "<p>Hello,</p><p>You have been invited to join an organisation on Tradewind.</p>"
                    "<p>Sign in with the email {username} and this temporary password: <b>{####}</b></p>"
                    "<p>You will choose your own password, then accept the invitation. The temporary "
                    "password expires in 7 days.</p>"
                ),
            ),
            removal_policy=settings.removal_policy,
        )
        self.web_client = self._client("WebClient", "web", srp=True)
        self.cli_client = self._client("CliClient", "cli", srp=False)
        self.function = python_function(
            self,
            "Authorizer",
            code_dir=functions_dir / "authorizer",
            handler="handler.handler",
            service="authorizer",
            layers=layers,
            settings=settings,
            memory_mb=512,
            timeout=Duration.seconds(10),
            description="REST API authorizer (Cognito ID tokens and API keys)",
        )
        # API Gateway caches a REQUEST authorizer's result only when *every* identity source is
        # present, and X-Api-Key / X-Org-Id are optional: with a cache, a request carrying only
        # Authorization would be refused unread. So the gateway cache is off and the authorizer
        # caches in-process (JWKS, key resolutions, memberships; tradewind.accounts).
        self.authorizer = apigw.RequestAuthorizer(
            self,
            "RequestAuthorizer",
            handler=self.function,
            identity_sources=[],
            results_cache_ttl=Duration.seconds(0),
            authorizer_name=f"tradewind-{settings.name}",
        )
        self._acknowledge()

    def _client(self, construct_id: str, name: str, *, srp: bool) -> cognito.UserPoolClient:
        """A public client (no secret: a browser or a CLI cannot keep one)."""
        return self.user_pool.add_client(
            construct_id,
            user_pool_client_name=name,
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_password=True, user_srp=srp),
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
        )

    @property
    def client_ids(self) -> list[str]:
        """The ``aud`` values the API accepts."""
        return [self.web_client.user_pool_client_id, self.cli_client.user_pool_client_id]

    @property
    def cognito_endpoint(self) -> str:
        """Where browsers and the CLI send Cognito's JSON API calls."""
        return f"https://cognito-idp.{Aws.REGION}.{Aws.URL_SUFFIX}"

    @property
    def web_config(self) -> dict[str, str]:
        """The web app's ``config.json`` ``cognito`` object."""
        return {
            "region": Aws.REGION,
            "userPoolId": self.user_pool.user_pool_id,
            "clientId": self.web_client.user_pool_client_id,
            "cliClientId": self.cli_client.user_pool_client_id,
            "endpoint": f"{self.cognito_endpoint}/",
        }

    def _acknowledge(self) -> None:
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional (TOTP) by product decision: small teams enable it per person; programs use "
            "API keys, not the pool.",
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG3",
            "Threat protection (advanced security) is a paid Cognito plan; an organisation that wants it "
            "enables it on its stage. Passwords are 12+ characters with every class.",
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG8",
            "The Plus feature plan (threat protection) is a paid choice per stage, as COG3 above.",
        )
