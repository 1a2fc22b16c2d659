import { fireEvent, screen } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { aJob } from "../../test/jobs";
import { renderWithApp } from "../../test/render";
import { PauseResumeButton } from "./PauseResumeButton";

it("pauses a running optimization and resumes a paused pipeline run", async () => {
  const running = aJob({ job_id: "j1", kind: "optimization", status: "running" });
  const paused = aJob({ job_id: "j2", kind: "pipeline", status: "paused" });
  const api = fakeApi({
    "POST /jobs/j1/pause": { status: 200, body: { ...running, status: "paused" } },
    "POST /jobs/j2/resume": { status: 200, body: { ...paused, status: "running" } },
  });
  renderWithApp(
    <>
      <PauseResumeButton job={running} />
      <PauseResumeButton job={paused} />
    </>,
    { fetch: api.fetch },
  );
  fireEvent.click(screen.getByRole("button", { name: "Pause" }));
  fireEvent.click(screen.getByRole("button", { name: "Resume" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toEqual(["POST /jobs/j1/pause", "POST /jobs/j2/resume"]));
});

it("offers nothing for a job that cannot pause or is not running", () => {
  renderWithApp(
    <>
      <PauseResumeButton job={aJob({ kind: "backtest", status: "running" })} />
      <PauseResumeButton job={aJob({ kind: "optimization", status: "queued" })} />
      <PauseResumeButton job={aJob({ kind: "optimization", status: "succeeded" })} />
    </>,
    { fetch: fakeApi({}).fetch },
  );
  expect(screen.queryByTestId("pause-resume")).toBeNull();
});

it("shows the server's refusal under the button", async () => {
  const running = aJob({ job_id: "j3", kind: "pipeline", status: "running" });
  const refusal = { status: 409, title: "Conflict", detail: "the run is aggregating; it can no longer be paused", errors: [] };
  renderWithApp(<PauseResumeButton job={running} />, {
    fetch: fakeApi({ "POST /jobs/j3/pause": { status: 409, body: refusal } }).fetch,
  });
  fireEvent.click(screen.getByRole("button", { name: "Pause" }));
  expect((await screen.findByRole("alert")).textContent).toContain("aggregating");
});
