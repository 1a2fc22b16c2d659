"""An empty moto account with the main table (API keys) and the connections table, per test.

The tables are created from the pynamodb models until the shared ``cloud`` fixture (provisioned from
the synthesized CDK template) exists.
"""

from collections.abc import Iterator

import pytest
from moto import mock_aws
from tradewind.aws import reset_clients
from tradewind.data.models import ApiKeyRecord
from tradewind.realtime.connections import ConnectionRecord
from tradewind.services import apikeys


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "TW_WS_MANAGEMENT_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    reset_clients()
    apikeys.clear_cache()
    with mock_aws():
        ApiKeyRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        ConnectionRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        yield
    reset_clients()
    apikeys.clear_cache()
