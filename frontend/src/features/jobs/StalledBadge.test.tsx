import { screen } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { aJob } from "../../test/jobs";
import { renderWithApp } from "../../test/render";
import { StalledBadge } from "./StalledBadge";

const STALLED = aJob({ status: "running", stalled_since: "2025-01-01T10:00:00.000Z" });

it("flags a running job that stalled, in English and French, and nothing otherwise", () => {
  const { unmount } = renderWithApp(<StalledBadge job={STALLED} />, { fetch: fakeApi({}).fetch });
  const badge = screen.getByTestId("job-stalled");
  expect(badge.textContent).toBe("stalled");
  expect(badge.getAttribute("aria-label")).toMatch(/^stalled: No progress since .+; it may still finish$/);
  unmount();

  renderWithApp(<StalledBadge job={STALLED} />, { fetch: fakeApi({}).fetch, language: "fr" });
  expect(screen.getByTestId("job-stalled").textContent).toBe("bloquée");
});

it("shows no badge when the job moved again or ended", () => {
  renderWithApp(
    <>
      <StalledBadge job={{ ...STALLED, stalled_since: null }} />
      <StalledBadge job={{ ...STALLED, status: "succeeded" }} />
    </>,
    { fetch: fakeApi({}).fetch },
  );
  expect(screen.queryByTestId("job-stalled")).toBeNull();
});
