"""The API's Powertools logger, shared by the app and the Lambda handler (same service, same keys), and
the X-Ray patching that the handler's Tracer defers to first use."""

from __future__ import annotations

import os
from functools import partial
from types import ModuleType

from aws_lambda_powertools import Logger, Tracer
from wrapt import when_imported

SERVICE_NAME = os.environ.get("POWERTOOLS_SERVICE_NAME", "tradewind-api")

logger = Logger(service=SERVICE_NAME)

TRACED_ON_IMPORT = {"botocore": "botocore.session", "pynamodb": "pynamodb", "requests": "requests"}
"""X-Ray patch name -> the module whose first import applies it.

X-Ray's ``patch_all`` (``Tracer(auto_patch=True)``) patches these, but imports them to do so: ~200 ms
of every cold start in Lambda, though ``GET /health`` never uses them. Each trigger loads after the
module its patch wraps is complete (every botocore client, boto3's and pynamodb's, starts from
``botocore.session``); ``requests`` is what the optional yfinance provider calls through. The other
libraries ``patch_all`` would patch (``sqlite3``, ``httpx``, database drivers) are not used by the API.
"""


def patch_when_imported(tracer: Tracer) -> None:
    """Trace AWS SDK, pynamodb and requests calls as ``auto_patch`` does, patching each library as it loads.

    Create the tracer with ``auto_patch=False``. A library already imported is patched at once.
    """
    if tracer.disabled:
        return
    for patch_name, module in TRACED_ON_IMPORT.items():
        when_imported(module)(partial(_patch, tracer, patch_name))


def _patch(tracer: Tracer, patch_name: str, _module: ModuleType) -> None:
    tracer.patch([patch_name])
