"""How ``make run`` serves the built frontend: page loads on any app URL, compression, caching, no maps."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from infra.local.gateway import WebSocketGateway
from infra.local.web import LocalApp
from tests.unit.local.test_local_exposure import CONFIG, CREDENTIALS

PAGE = {"Accept": "text/html,application/xhtml+xml"}
SCRIPT = "const answer = 42;\n" * 200  # over the gzip threshold


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Tradewind</title>")
    (tmp_path / "assets" / "index-Ab12Cd34.js").write_text(SCRIPT)
    (tmp_path / "assets" / "index-Ab12Cd34.js.map").write_text("{}")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    from tradewind.api.app import create_app

    gateway = WebSocketGateway(runtime=None, routes={}, credentials=CREDENTIALS)  # type: ignore[arg-type]
    return TestClient(LocalApp(create_app(), gateway, CONFIG, tmp_path))


def test_a_page_load_of_a_path_the_api_also_serves_gets_the_app(client: TestClient) -> None:
    """Reloading /health in the browser shows the Health page; a program still gets the API."""
    page = client.get("/health", headers=PAGE)
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Tradewind</title>" in page.text
    for program in ({"Accept": "application/json"}, {}):
        assert client.get("/health", headers=program).headers["content-type"] == "application/json"


def test_the_api_docs_pages_stay_the_apis(client: TestClient) -> None:
    for path in ("/docs", "/openapi.json", "/docs-assets/swagger-ui-bundle.js"):
        assert "<title>Tradewind</title>" not in client.get(path, headers=PAGE).text, path


def test_hashed_assets_are_compressed_and_cached_for_a_year(client: TestClient) -> None:
    r = client.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.text == SCRIPT


def test_unhashed_files_are_revalidated(client: TestClient) -> None:
    assert client.get("/favicon.svg").headers["cache-control"] == "no-cache"
    assert client.get("/", headers=PAGE).headers["cache-control"] == "no-cache"


def test_source_maps_are_not_served(client: TestClient) -> None:
    assert client.get("/assets/index-Ab12Cd34.js.map").status_code == 404
