"""``next_token`` checks shared by every list: a token decodes only where it was issued."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.api.pagination import decode_token, encode_token
from tradewind.errors import InvalidInput

TENANT = {"pk": {"S": "TENANT#acme"}}
ISSUED = {**TENANT, "sk": {"S": "THING#2"}}


def test_a_token_round_trips_to_its_key() -> None:
    assert decode_token(encode_token(ISSUED), partition="TENANT#acme", sort_prefix="THING#") == ISSUED
    assert decode_token(None, partition="TENANT#acme", sort_prefix="THING#") is None


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ({**TENANT, "sk": {"N": "2"}}, "not a token this API issued"),
        ({**TENANT, "sk": {"S": 2}}, "not a token this API issued"),
        ({**TENANT, "sk": {"S": "THING#2", "N": "2"}}, "not a token this API issued"),
        ({"pk": {"S": "TENANT#globex"}, "sk": {"S": "THING#2"}}, "token belongs to another list"),
        (TENANT, "token belongs to another list"),
        ({**TENANT, "sk": {"S": "OTHER#2"}}, "token belongs to another list"),
        ({**ISSUED, "gsi1pk": {"S": "TENANT#acme"}}, "token belongs to another list"),
    ],
)
def test_a_forged_key_is_422_naming_next_token(key: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_token(encode_token(key), partition="TENANT#acme", sort_prefix="THING#")
    [problem] = caught.value.problems
    assert (problem.loc, problem.msg) == (["query", "next_token"], reason)


def test_an_index_list_checks_the_index_keys() -> None:
    key = {**ISSUED, "gsi1pk": {"S": "TENANT#acme"}, "gsi1sk": {"S": "INDEXED#2"}}
    index = {"partition_attr": "gsi1pk", "sort_attr": "gsi1sk"}
    token = encode_token(key)
    assert decode_token(token, partition="TENANT#acme", sort_prefix="INDEXED#", **index) == key
    with pytest.raises(InvalidInput):
        decode_token(token, partition="TENANT#acme", sort_prefix="THING#", **index)
    with pytest.raises(InvalidInput):
        decode_token(encode_token(ISSUED), partition="TENANT#acme", sort_prefix="THING#", **index)


@pytest.mark.parametrize("url", ["/backtests", "/optimizations"])
@pytest.mark.parametrize(
    "forged",
    [
        {"sk": {"S": "JOB#1"}, "gsi1pk": {"S": "TENANT#acme"}, "gsi1sk": {"N": "1"}},
        {"sk": {"S": "JOB#1"}, "gsi1pk": {"S": "TENANT#acme"}},
        {"sk": {"S": "JOB#1"}, "gsi1pk": {"S": "TENANT#acme"}, "gsi1sk": {"S": "NOTIF#1"}},
        {"sk": {"S": "JOB#1"}, "gsi1pk": {"S": "TENANT#globex"}, "gsi1sk": {"S": "JOBS#backtest#1"}},
    ],
)
def test_a_forged_job_list_token_is_422(api: TestClient, key: str, url: str, forged: dict[str, Any]) -> None:
    token = encode_token({**TENANT, **forged})
    r = api.get(url, params={"next_token": token}, headers={"X-Api-Key": key})
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])
