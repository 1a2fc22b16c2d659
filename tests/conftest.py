"""Safe defaults for every test: fake AWS credentials in us-east-1, and nothing that could reach AWS.

Set at import time, before any test module creates a boto3 session. Tests that need moto start it
themselves (``mock_aws``) or use the ``cloud`` fixture in ``tests/integration``.
"""

from __future__ import annotations

import os

for _name in (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
):
    os.environ.pop(_name, None)
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        # A stray real config file must not add a profile, SSO or endpoint.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
)
