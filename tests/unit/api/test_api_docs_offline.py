"""/docs and /redoc work without the internet: every script and stylesheet comes from the app."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_only_assets_the_app_serves(api: TestClient, page: str) -> None:
    html = api.get(page)
    assert html.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
    assets += re.findall(r"""(?:url|spec-url)\s*[:=]\s*['"]([^'"]+)['"]""", html.text)
    assert assets, html.text
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), f"{page} loads {asset} from elsewhere"
        assert api.get(asset).status_code == 200, asset
