import { act, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeApi, type Route } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { HealthPage } from "./HealthPage";

const READY = { status: "ok", checks: { dynamodb: { ok: true, detail: "tradewind-main" }, s3: { ok: true, detail: "tradewind-data" } } };
const S3_DOWN = {
  type: "urn:tradewind:problem:service-unavailable",
  title: "Service unavailable",
  status: 503,
  errors: [{ loc: ["dependencies", "s3"], msg: "tradewind-data: NoSuchBucket", type: "unavailable" }],
};
const INFO = { status: 200, body: { version: "1.2.3", commit: "abc123", stage: "local", region: "us-east-1" } };
const component = (kind: string, role: string, ok: boolean, depth: number | null, detail = "ACTIVE") => ({
  kind,
  role,
  ok,
  depth,
  detail,
  resource: `tradewind-${role}`,
});
const SYSTEM = {
  status: 200,
  body: {
    ok: false,
    build: INFO.body,
    components: [
      component("table", "main", true, null),
      component("queue", "pipeline", true, 3, "3 message(s) waiting or in flight"),
      component("dead_letter_queue", "import", false, 2, "2 failed message(s) waiting for a redrive"),
    ],
  },
};

function serving(...answers: [number, unknown][]): Route {
  const queue = [...answers];
  return () => {
    const [status, body] = queue.length > 1 ? queue.shift()! : queue[0];
    return { status, body };
  };
}

afterEach(() => vi.useRealTimers());

describe("HealthPage", () => {
  it("shows ready, every dependency and the build", async () => {
    renderWithApp(<HealthPage />, { fetch: fakeApi({ "GET /health/ready": serving([200, READY]), "GET /health/info": INFO }).fetch });
    expect(await screen.findByText("tradewind-main")).toBeTruthy();
    expect(screen.getByTestId("health-status").textContent).toBe("ready");
    expect(screen.getByTestId("check-s3").dataset.ok).toBe("true");
    expect((await screen.findByTestId("build-version")).textContent).toBe("1.2.3");
    expect(screen.getByTestId("build-stage").textContent).toBe("local");
  });

  it("lists every platform component with its backlog and flags a dead-letter queue that holds messages", async () => {
    renderWithApp(<HealthPage />, {
      fetch: fakeApi({ "GET /health/ready": serving([200, READY]), "GET /health/info": INFO, "GET /health/system": SYSTEM }).fetch,
    });
    expect((await screen.findByTestId("system-status")).textContent).toBe("needs attention");
    expect(screen.getByTestId("component-table-main").textContent).toContain("Main table");
    expect(screen.getByTestId("component-queue-pipeline").textContent).toContain("3");
    const dead = screen.getByTestId("component-dead_letter_queue-import");
    expect(dead.dataset.ok).toBe("false");
    expect(dead.textContent).toContain("Import dead letters");
    expect(dead.textContent).toContain("2 failed message(s) waiting for a redrive");
  });

  it("names the failing dependency, then recovers on the next poll", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    renderWithApp(<HealthPage intervalMs={5000} />, {
      fetch: fakeApi({ "GET /health/ready": serving([503, S3_DOWN], [200, READY]), "GET /health/info": INFO }).fetch,
    });
    await vi.waitFor(() => expect(screen.getByTestId("health-status").textContent).toBe("not ready"));
    expect(screen.getByTestId("check-s3").textContent).toContain("NoSuchBucket");
    expect(screen.getByTestId("check-s3").dataset.ok).toBe("false");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    await vi.waitFor(() => expect(screen.getByTestId("health-status").textContent).toBe("ready"));
  });

  it("reports an unreachable API in words", async () => {
    const failing = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    renderWithApp(<HealthPage />, { fetch: failing });
    await vi.waitFor(() => expect(screen.getByTestId("health-status").textContent).toBe("unreachable"));
    expect(screen.getByText("The API cannot be reached. Check your connection and try again.")).toBeTruthy();
  });
});
