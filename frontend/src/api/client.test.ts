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
