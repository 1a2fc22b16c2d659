import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { OrgSettings } from "./OrgSettings";
import type { OrgSettings as Settings } from "./useOrgSettings";

const SETTINGS = (version: number, changes: Partial<Settings> = {}): Settings => ({
  version,
  time_zone: "UTC",
  base_currency: "USD",
  job_defaults: { cash: 10000, commission: 0, commission_fixed: 0, slippage_bps: 0 },
  notifications: { "job.completed": { in_app: true }, "job.failed": { in_app: true } },
  updated_at: null,
  updated_by: null,
  ...changes,
});

const problem = (status: number, errors: { loc: (string | number)[]; msg: string }[]) => ({
  status,
  body: { type: "about:blank", title: "Problem", status, detail: "refused", errors: errors.map((e) => ({ ...e, type: "value_error" })) },
});

it("saves over the version it read, sending If-Match", async () => {
  const state = { current: SETTINGS(3) };
  const fake = fakeApi({
    "GET /settings": () => ({ status: 200, body: state.current }),
    "PUT /settings": (body) => {
      state.current = { ...SETTINGS(4), ...(body as object) };
      return { status: 200, body: state.current };
    },
  });
  renderWithApp(<OrgSettings />, { fetch: fake.fetch });
  const form = await screen.findByRole("form", { name: "Organisation settings" });
  fireEvent.change(within(form).getByRole("textbox", { name: /Base currency/ }), { target: { value: "eur" } });
  fireEvent.click(within(form).getByRole("switch", { name: "Job succeeded" }));
  fireEvent.click(within(form).getByRole("button", { name: "Save settings" }));
  expect((await screen.findByRole("status")).textContent).toContain("Saved (version 4)");
  const put = fake.requests.find((r) => r.route === "PUT /settings")!;
  expect(put.headers.get("If-Match")).toBe('"3"');
  expect(put.body).toMatchObject({ base_currency: "EUR", notifications: { "job.completed": { in_app: false } } });
});

it("shows the server's messages at their fields", async () => {
  const fake = fakeApi({
    "GET /settings": { status: 200, body: SETTINGS(1) },
    "PUT /settings": problem(422, [
      { loc: ["body", "time_zone"], msg: "'Mars/Base' is not an IANA time zone" },
      { loc: ["body", "job_defaults", "cash"], msg: "must be greater than 0" },
    ]),
  });
  renderWithApp(<OrgSettings />, { fetch: fake.fetch });
  const form = await screen.findByRole("form", { name: "Organisation settings" });
  fireEvent.click(within(form).getByRole("button", { name: "Save settings" }));
  expect(await within(form).findByText("'Mars/Base' is not an IANA time zone")).toBeTruthy();
  expect(within(form).getByText("must be greater than 0")).toBeTruthy();
  expect(within(form).getByRole("textbox", { name: "Starting cash" }).getAttribute("aria-invalid")).toBe("true");
});

it("on a conflict, says so and reloads the other admin's version", async () => {
  const state = { current: SETTINGS(1) };
  const fake = fakeApi({
    "GET /settings": () => ({ status: 200, body: state.current }),
    "PUT /settings": () => {
      state.current = SETTINGS(2, { time_zone: "Asia/Tokyo" });
      return problem(412, [{ loc: ["header", "If-Match"], msg: 'stale: the current ETag is "2"' }]);
    },
  });
  renderWithApp(<OrgSettings />, { fetch: fake.fetch });
  const form = await screen.findByRole("form", { name: "Organisation settings" });
  fireEvent.click(within(form).getByRole("button", { name: "Save settings" }));
  expect((await screen.findByRole("alert")).textContent).toContain("Someone else saved these settings");
  expect(await screen.findByDisplayValue("Asia/Tokyo")).toBeTruthy();
});
