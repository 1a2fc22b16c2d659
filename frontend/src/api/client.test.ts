import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError } from "./client";

function recording(status: number, body: unknown) {
  const calls: { url: string; headers: Headers }[] = [];
  const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), headers: new Headers(init?.headers) });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe("ApiClient", () => {
  it("joins a stage base URL and sends the key as a bearer token", async () => {
    const { calls, fetchImpl } = recording(200, { items: [], next_token: null });
    await new ApiClient("https://x.execute-api.us-east-1.amazonaws.com/prod/", "tw_k", fetchImpl).datasets(10);
    expect(calls[0].url).toBe("https://x.execute-api.us-east-1.amazonaws.com/prod/datasets?limit=10");
    expect(calls[0].headers.get("Authorization")).toBe("Bearer tw_k");
  });

  it("uses same-origin paths without a base URL and no key header without a key", async () => {
    const { calls, fetchImpl } = recording(200, { version: "1", commit: "c", stage: "local", region: "r" });
    expect((await new ApiClient("", null, fetchImpl).info()).stage).toBe("local");
    expect(calls[0].url).toBe("/health/info");
    expect(calls[0].headers.has("Authorization")).toBe(false);
  });

  it("turns a 503 readiness problem into failing checks", async () => {
    const problem = { title: "Service unavailable", status: 503, errors: [{ loc: ["dependencies", "dynamodb"], msg: "tradewind-main: ResourceNotFoundException", type: "unavailable" }] };
    const { fetchImpl } = recording(503, problem);
    expect(await new ApiClient("", null, fetchImpl).readiness()).toEqual({
      ready: false,
      checks: { dynamodb: { ok: false, detail: "tradewind-main: ResourceNotFoundException" } },
    });
  });

  it("raises ApiError carrying the problem", async () => {
    const { fetchImpl } = recording(401, { title: "Unauthorized", status: 401, detail: "missing API key" });
    const error = await new ApiClient("", null, fetchImpl).datasets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toBe("missing API key");
  });
});

describe("ApiClient jobs", () => {
  function routed(status: number, body: unknown) {
    const calls: { url: string; method: string; body: string | null; headers: Headers }[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), method: init?.method ?? "GET", body: (init?.body as string | undefined) ?? null, headers: new Headers(init?.headers) });
      return new Response(JSON.stringify(body), { status });
    }) as unknown as typeof fetch;
    return { calls, fetchImpl };
  }

  it("lists each kind from its own collection", async () => {
    const { calls, fetchImpl } = routed(200, { items: [], next_token: null });
    const client = new ApiClient("", "k", fetchImpl);
    await client.jobs("optimization", 5);
    await client.jobs("backtest");
    expect(calls.map((c) => c.url)).toEqual(["/optimizations?limit=5", "/backtests?limit=10"]);
  });

  it("posts an optimization as JSON", async () => {
    const { calls, fetchImpl } = routed(202, { job_id: "j1", status: "queued" });
    const job = await new ApiClient("", "k", fetchImpl).submitOptimization({
      strategy_id: "s1",
      dataset_id: "sample",
      symbols: ["ZENX"],
      space: { fast: { min: 5, max: 10, step: 5 } },
    });
    expect(job.job_id).toBe("j1");
    expect(calls[0]).toMatchObject({ url: "/optimizations", method: "POST" });
    expect(calls[0].headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(calls[0].body!)).toEqual({ strategy_id: "s1", dataset_id: "sample", symbols: ["ZENX"], space: { fast: { min: 5, max: 10, step: 5 } } });
  });

  it("cancels under the job's kind and reads a leaderboard", async () => {
    const { calls, fetchImpl } = routed(200, {});
    const client = new ApiClient("", "k", fetchImpl);
    await client.cancelJob("backtest", "b/1");
    await client.cancelJob("optimization", "o1");
    await client.leaderboard("o1", 20);
    await client.leaderboard("o1");
    await client.strategyTemplate("sma_cross");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST /backtests/b%2F1/cancel",
      "POST /optimizations/o1/cancel",
      "GET /optimizations/o1/leaderboard?limit=20",
      "GET /optimizations/o1/leaderboard",
      "GET /strategies/templates/sma_cross",
    ]);
  });
});
