"""Hosting: the built frontend in a private bucket behind CloudFront (OAC), plus ``/config.json``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.constructs.data import private_bucket
from infra.nag import acknowledge, logical_ref
from infra.stages import StageSettings

# HSTS for a year (the minimum browsers' preload lists accept), subdomains included.
HSTS_MAX_AGE = Duration.days(365)


def content_security_policy(connect_origins: Sequence[str]) -> str:
    """The web app's CSP: its own scripts and styles only (the Vite build has no inline script or
    style, and React sets styles through the DOM), data: images, connections to itself and to
    ``connect_origins``; never framed, no plugins, forms and <base> only to itself."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", *connect_origins],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _spa_fallback(status: int) -> cloudfront.ErrorResponse:
    """Unknown paths are client-side routes: answer with the app shell, never cache the miss."""
    return cloudfront.ErrorResponse(
        http_status=status,
        response_http_status=200,
        response_page_path="/index.html",
        ttl=Duration.seconds(0),
    )


class Hosting(Construct):
    """S3 (private, OAC-only) + CloudFront with SPA fallback; the app reads its URLs from config.json."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        dist_dir: Path,
        api_url: str,
        ws_url: str,
        connect_origins: Sequence[str],
        access_logs: s3.IBucket,
        settings: StageSettings,
        cognito: Mapping[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.site_bucket = private_bucket(self, "SiteBucket", settings, access_logs=access_logs)
        self.response_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment=f"Tradewind {settings.name}: CSP, HSTS and the usual browser hardening headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(connect_origins), override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Tradewind {settings.name} web app",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.site_bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.response_headers,
                compress=True,
            ),
            # The private bucket answers 403 for a missing key; both mean "let the router decide".
            error_responses=[_spa_fallback(403), _spa_fallback(404)],
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix="cloudfront/",
        )
        self.deployment = s3deploy.BucketDeployment(
            self,
            "Deploy",
            destination_bucket=self.site_bucket,
            sources=[
                s3deploy.Source.asset(str(dist_dir)),
                s3deploy.Source.json_data(
                    "config.json",
                    # cognito: {region, userPoolId, clientId, endpoint}, see docs/accounts.md
                    {"apiUrl": api_url, "wsUrl": ws_url, "stage": settings.name, "cognito": dict(cognito)},
                ),
            ],
            distribution=self.distribution,
            distribution_paths=["/*"],
            memory_limit=512,
        )
        self._acknowledge()

    def _acknowledge(self) -> None:
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR4",
            "The default *.cloudfront.net certificate cannot pin TLS 1.2; a custom domain with an ACM "
            "certificate (and TLSv1.2_2021) is a deployment choice, not part of the product.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "A research tool for any location: no country is excluded.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR2",
            "Static files only; the API has its own throttling. A WAF web ACL is an account-level choice.",
        )
        # BucketDeployment's provider is a CDK-managed singleton at stack level, outside this construct.
        provider = next(
            child
            for child in Stack.of(self).node.children
            if child.node.id.startswith("Custom::CDKBucketDeployment")
        )
        cdk_managed = "CDK's BucketDeployment provider (managed by aws-cdk-lib, runs only during deploys)"
        acknowledge(provider, "AwsSolutions-L1", f"{cdk_managed} pins its own runtime.")
        acknowledge(
            provider,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole]",
            f"{cdk_managed} uses the basic execution role for its logs.",
        )
        for finding in (
            "Action::s3:GetObject*",
            "Action::s3:GetBucket*",
            "Action::s3:List*",
            "Action::s3:DeleteObject*",
            "Action::s3:Abort*",
            "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
            f"Resource::<{logical_ref(self.site_bucket)}.Arn>/*",
        ):
            acknowledge(
                provider,
                f"AwsSolutions-IAM5[{finding}]",
                f"{cdk_managed} copies the site from the CDK asset bucket into the site bucket and prunes "
                "stale files; its grants are CDK's, limited to those two buckets.",
            )
        acknowledge(
            provider,
            "AwsSolutions-IAM5[Resource::*]",
            f"{cdk_managed} invalidates the distribution after a deploy; cloudfront:CreateInvalidation "
            "and GetInvalidation take no resource scope in CDK's policy.",
        )

    @property
    def url(self) -> str:
        """``https://{distribution}.cloudfront.net``: the web app (and a CORS origin of the API)."""
        return f"https://{self.distribution.distribution_domain_name}"
