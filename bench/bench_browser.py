"""The web app's budgets (issue #9), measured in real Chromium against ``make run``'s stack.

The stack is started as the e2e tests start it (:class:`infra.local.launcher.LocalStack`, sample
universe seeded) and driven by Debian's headless chromium through playwright, with the e2e tests'
flags. The data the pages show is made through the public API, as a user or the CLI would:

- a 10,000-bar daily series (one synthetic symbol, 1987-2025) uploaded as CSV through the presigned
  URL and imported, then a backtest on it: its result page draws a 10,000-point equity curve;
- an optimization of the built-in MACD trend template over its own ranges on one sample symbol
  (20,628 combinations after ``fast < slow``, screening metrics), run by the real workflow: its
  leaderboard has 20,628 rows.

Figures, each beside its budget:

(a) initial JavaScript: what ``npm run build`` computes (entry + statically imported chunks,
    gzipped; vite.config.ts writes it to node_modules/.vite/initial-js.json), the signed-in shell's
    chunks fetched in parallel at start (not in that figure, printed beside it), plus, as a
    cross-check, the JavaScript the browser actually fetched for the first screen (gzip on the wire);
(b) Overview usable: from the start of a navigation until the recent-jobs list and every card show
    data (a full page load, and a click on the navigation from another page); median of runs;
(c) the equity chart's ``data-draw-ms`` (LineChart: from receiving the curve to its first frame);
(d) the leaderboard scrolled through all its rows, a viewport per frame, three times (the first pass
    fetches its blocks, the others read the cache): frames, dropped frames (a requestAnimationFrame
    interval above 1.5x the median) and the p95 frame time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from infra.local.launcher import LocalStack

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
INITIAL_JS = FRONTEND / "node_modules" / ".vite" / "initial-js.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""As tests/e2e/conftest.py launches it (see /work/shared/NOTES.md: playwright's own browser does not
download here)."""

BUDGET_INITIAL_KB = 150.0
BUDGET_USABLE_MS = 1000.0
BUDGET_DRAW_MS = 200.0
CHART_BARS = 10_000
LEADERBOARD_ROWS = 20_000
RUNS = 5
SCROLL_PASSES = 3
JOB_TIMEOUT_S = 1800.0

# Installed before the app's first script: records when the Overview has data on screen (the recent
# jobs list has a job row and no card still shows the "…" placeholder), relative to the start of
# the navigation: performance.now() for a page load, the click's time for an in-app navigation.
USABLE_PROBE = """
(() => {
  window.__twStart = 0;
  window.__twUsable = null;
  addEventListener('click', (e) => {
    if (e.target.closest('nav a')) { window.__twStart = performance.now(); window.__twUsable = null; }
  }, true);
  const usable = () => {
    const main = document.querySelector('main');
    if (!main || !main.querySelector('ul li[data-testid^="job-"]')) return false;
    const cards = main.querySelectorAll('[data-testid^="card-"][data-testid$="-value"]');
    return cards.length > 0 && [...cards].every((c) => c.textContent.trim() && c.textContent.trim() !== '…');
  };
  new MutationObserver(() => {
    if (window.__twUsable === null && usable()) window.__twUsable = performance.now() - window.__twStart;
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
"""

# Scroll the leaderboard from its top a viewport per frame to the end, recording every frame's time.
SCROLL = """async () => {
  const box = document.querySelector('[data-testid="results-scroller"]');
  box.scrollTop = 0;
  await new Promise((settled) => setTimeout(settled, 500));
  const times = [];
  await new Promise((done) => {
    const step = (t) => {
      times.push(t);
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) return done();
      box.scrollTop += box.clientHeight;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const last = box.querySelector('[data-testid="results-row"]:last-child');
  return { times, rows: Number(box.querySelector('table').getAttribute('aria-rowcount')) - 1,
           lastRow: last ? Number(last.getAttribute('aria-rowindex')) - 1 : null };
}"""


def figure(text: str, value: float, budget: float, unit: str) -> None:
    """One measured figure, its budget and whether it is within it."""
    print(f"{text}  budget {budget:g} {unit}  {'PASS' if value <= budget else 'OVER'}")


def _wait_job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while True:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").raise_for_status().json()
        if job["status"] in ("succeeded", "failed", "cancelled", "stopped"):
            if job["status"] != "succeeded":
                raise RuntimeError(f"job {job_id} ended {job['status']}: {job.get('error')}")
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} still {job['status']} after {JOB_TIMEOUT_S} s")
        time.sleep(1)


def _wait_dataset(client: httpx.Client, dataset_id: str) -> None:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while (status := client.get(f"/datasets/{dataset_id}").json()["status"]) not in ("ready", "failed"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"dataset {dataset_id} still {status}")
        time.sleep(0.5)
    if status != "ready":
        raise RuntimeError(f"dataset {dataset_id} failed: {client.get(f'/datasets/{dataset_id}').text}")


def long_backtest(client: httpx.Client) -> tuple[str, float]:
    """A backtest over :data:`CHART_BARS` daily bars uploaded from the browser's path (presigned PUT)."""
    from tradewind.marketdata.sample import generate
    from tradewind.marketdata.universe import sample_symbols

    start = "1987-01-01"
    end = str(np.busday_offset(np.datetime64(start, "D"), CHART_BARS - 1, roll="forward"))
    bars = generate(sample_symbols(1), start=start, end=end)
    assert bars.close.shape[0] == CHART_BARS, bars.close.shape
    created = client.post("/datasets", json={"name": "bench 10,000 bars", "format": "csv"}).raise_for_status()
    dataset_id, upload = created.json()["dataset"]["dataset_id"], created.json()["upload"]
    body = bars.long_frame().to_csv(index=False).encode()
    httpx.put(upload["url"], content=body, headers=upload["headers"], timeout=60).raise_for_status()
    client.post(f"/datasets/{dataset_id}/complete").raise_for_status()
    _wait_dataset(client, dataset_id)
    template = client.get("/strategies/templates/sma_cross").raise_for_status().json()
    started = time.perf_counter()
    answer = client.post(
        "/backtests",
        json={
            "strategy": template["document"],
            "dataset_id": dataset_id,
            "symbols": [bars.symbols[0].symbol],
            "params": {"fast": 10, "slow": 50},
            "name": "Bench 10,000-bar backtest",
            "force": True,
        },
    ).raise_for_status()
    job_id = str(answer.json()["job_id"])
    _wait_job(client, job_id)
    return job_id, time.perf_counter() - started


def big_optimization(client: httpx.Client, symbol: str) -> tuple[str, int, float]:
    """The MACD trend template over its own ranges: every combination is a leaderboard row."""
    template = client.get("/strategies/templates/macd_trend").raise_for_status().json()
    started = time.perf_counter()
    answer = client.post(
        "/optimizations",
        json={
            "strategy": template["document"],
            "dataset_id": "sample",
            "symbols": [symbol],
            "objective": {"metric": "sharpe", "direction": "maximize"},
            "metrics": "screening",
            "name": "Bench 20,000-row leaderboard",
            "force": True,
        },
    ).raise_for_status()
    job_id = str(answer.json()["job_id"])
    job = _wait_job(client, job_id)
    return job_id, int(job["summary"]["combinations"]), time.perf_counter() - started


def sample_symbol(client: httpx.Client) -> str:
    deadline = time.monotonic() + 300
    while (answer := client.get("/datasets/sample")).status_code != 200 or answer.json()["status"] != "ready":
        if time.monotonic() > deadline:
            raise TimeoutError(f"the sample dataset is not ready: {answer.text}")
        time.sleep(1)
    found = client.get("/symbols", params={"q": "", "limit": 100}).json()["items"]
    return next(s["symbol"] for s in found if any(d["dataset_id"] == "sample" for d in s["datasets"]))


def initial_js() -> dict[str, Any]:
    """The build's own figure (``make bench`` builds frontend/dist first, which writes it); built here
    only when it is missing (the report is written before index.html, so times cannot be compared)."""
    if not INITIAL_JS.exists():
        subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True, capture_output=True)
    report: dict[str, Any] = json.loads(INITIAL_JS.read_text())
    return report


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="tw-bench-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1440, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def _usable(page: Any) -> float:
    page.wait_for_function("() => window.__twUsable !== null", timeout=30_000)
    return float(page.evaluate("() => window.__twUsable"))


def initial_figure() -> None:
    report = initial_js()
    total, chunks = float(report["totalKb"]), len(report["chunks"]) - 1
    text = f"(a) initial JS (npm run build: entry + {chunks} preloaded chunks, gzipped): {total:.1f} KB"
    figure(text, total, BUDGET_INITIAL_KB, "KB")
    started = float(report.get("atStartKb", 0.0))
    print(
        f"    fetched in parallel as the app starts ({', '.join(report.get('atStart', []))}: the signed-in"
        f" shell and router): {started:.1f} KB more, {total + started:.1f} KB before a page's own chunk"
    )


def sign_in(page: Any, stack: LocalStack) -> None:
    """With the stack's API key, the app's second way in (kept for the tab, so reloads stay signed in)."""
    page.goto(f"{stack.url}/", wait_until="load")
    page.get_by_role("button", name="Use an API key instead").click()
    page.get_by_role("textbox").first.fill(stack.api_key)
    page.keyboard.press("Enter")


def overview_figures(page: Any, url: str) -> None:
    page.goto(f"{url}/", wait_until="load")
    _usable(page)
    fetched = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js'))"
        ".map((e) => e.encodedBodySize)"
    )
    wire = sum(fetched) / 1024
    print(f"    the browser fetched {len(fetched)} JS files for the Overview: {wire:.1f} KB gzipped")
    loads = []
    for _ in range(RUNS):
        page.reload(wait_until="load")
        loads.append(_usable(page))
    clicks = []
    for _ in range(RUNS):
        page.get_by_role("navigation").locator("a[href='/data']").click()
        page.wait_for_url(f"{url}/data")
        page.wait_for_function("() => !document.querySelector('main ul li[data-testid^=\"job-\"]')")
        page.get_by_role("navigation").locator("a[href='/']").click()
        clicks.append(_usable(page))
    load, click = statistics.median(loads), statistics.median(clicks)
    text = f"(b) Overview usable after a page load: median {load:.0f} ms (max {max(loads):.0f}) of {RUNS}"
    figure(text, load, BUDGET_USABLE_MS, "ms")
    text = f"    after a click in the navigation: median {click:.0f} ms (max {max(clicks):.0f}) of {RUNS}"
    figure(text, click, BUDGET_USABLE_MS, "ms")


def chart_figure(page: Any, url: str) -> None:
    draws, points = [], 0
    for _ in range(RUNS):
        page.goto(url)
        chart = page.get_by_test_id("equity-chart")
        chart.and_(page.locator("[data-draw-ms]")).wait_for(timeout=60_000)
        draws.append(float(chart.get_attribute("data-draw-ms") or "nan"))
        points = int(chart.get_attribute("data-points") or "0")
    draw = statistics.median(draws)
    text = (
        f"(c) equity chart of a {CHART_BARS:,}-bar backtest ({points:,} points: equity + buy and hold)"
        f" drawn: median {draw:.1f} ms (max {max(draws):.1f}) of {RUNS}"
    )
    figure(text, draw, BUDGET_DRAW_MS, "ms")


def scroll_figure(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("results-row").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    passes = [page.evaluate(SCROLL) for _ in range(SCROLL_PASSES)]
    intervals = [np.diff(np.asarray(scrolled["times"], dtype=np.float64)) for scrolled in passes]
    every = np.concatenate(intervals)
    median = float(np.median(every))
    dropped = [int((frames > 1.5 * median).sum()) for frames in intervals]
    p95 = float(np.percentile(every, 95))
    last = passes[-1]
    per_pass = ", ".join(map(str, dropped))
    text = (
        f"(d) leaderboard of {last['rows']:,} rows scrolled to row {last['lastRow']:,}, a viewport per frame,"
        f" {SCROLL_PASSES} passes (the first fetching its blocks): {len(every):,} frames"
        f" (median {median:.1f} ms), {sum(dropped)} dropped (>1.5x median; per pass {per_pass}),"
        f" p95 frame {p95:.1f} ms"
    )
    figure(text, sum(dropped), 0, "dropped frames")


def measure(stack: LocalStack, backtest_id: str, optimization_id: str) -> None:
    # Frame and draw times suffer first when other work shares the cores: say how busy they were.
    print(f"load average before the browser figures: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    initial_figure()
    with _browser() as context:
        page = context.new_page()
        page.add_init_script(USABLE_PROBE)
        sign_in(page, stack)
        overview_figures(page, stack.url)
        chart_figure(page, f"{stack.url}/backtests/{backtest_id}")
        scroll_figure(page, f"{stack.url}/optimizations/{optimization_id}")
        page.close()
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tw-bench-browser-") as folder:
        stack = LocalStack(data_dir=Path(folder) / "data")
        stack.start()
        try:
            client = httpx.Client(base_url=stack.url, headers=stack.headers, timeout=60)
            symbol = sample_symbol(client)
            backtest_id, took = long_backtest(client)
            print(f"data: a {CHART_BARS:,}-bar CSV uploaded and imported, backtested in {took:.1f} s")
            optimization_id, combos, took = big_optimization(client, symbol)
            print(
                f"data: MACD over its own ranges on {symbol} through POST /optimizations and the real"
                f" workflow: {combos:,} combinations in {took:.1f} s"
            )
            if combos < LEADERBOARD_ROWS:
                raise RuntimeError(f"{combos} combinations: fewer than {LEADERBOARD_ROWS}")
            measure(stack, backtest_id, optimization_id)
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
