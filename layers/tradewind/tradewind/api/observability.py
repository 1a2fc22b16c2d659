"""The API's Powertools logger, shared by the app and the Lambda handler (same service, same keys)."""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger

SERVICE_NAME = os.environ.get("POWERTOOLS_SERVICE_NAME", "tradewind-api")

logger = Logger(service=SERVICE_NAME)
