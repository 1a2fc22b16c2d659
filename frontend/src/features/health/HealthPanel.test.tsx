import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../../api/client";
import { HealthPanel } from "./HealthPanel";

function serving(...bodies: [number, unknown][]): typeof fetch {
  const queue = [...bodies];
  return vi.fn(async () => {
    const [status, body] = queue.length > 1 ? queue.shift()! : queue[0];
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as unknown as typeof fetch;
}

const READY = { status: "ok", checks: { dynamodb: { ok: true, detail: "tradewind-main" }, s3: { ok: true, detail: "tradewind-data" } } };
const S3_DOWN = {
  type: "urn:tradewind:problem:service-unavailable",
  title: "Service unavailable",
  status: 503,
  errors: [{ loc: ["dependencies", "s3"], msg: "tradewind-data: NoSuchBucket", type: "unavailable" }],
};

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("HealthPanel", () => {
  it("shows ready and every dependency", async () => {
    render(<HealthPanel client={new ApiClient("", null, serving([200, READY]))} />);
    expect(await screen.findByText("ready")).toBeTruthy();
    expect(screen.getByTestId("check-dynamodb").textContent).toContain("tradewind-main");
    expect(screen.getByTestId("check-s3").textContent).toContain("✓");
  });

  it("names the failing dependency, then recovers on the next poll", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<HealthPanel client={new ApiClient("", null, serving([503, S3_DOWN], [200, READY]))} intervalMs={5000} />);
    expect(await screen.findByText("not ready")).toBeTruthy();
    expect(screen.getByTestId("check-s3").textContent).toContain("NoSuchBucket");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(await screen.findByText("ready")).toBeTruthy();
  });

  it("reports an unreachable API", async () => {
    const failing = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    render(<HealthPanel client={new ApiClient("", null, failing)} />);
    expect(await screen.findByText("unreachable")).toBeTruthy();
    expect(screen.getByText("Failed to fetch")).toBeTruthy();
  });
});
