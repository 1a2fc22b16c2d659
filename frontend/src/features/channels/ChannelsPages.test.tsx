import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import type { Channel, Delivery } from "./api";
import ChannelPage from "./ChannelPage";
import ChannelsPage from "./ChannelsPage";
import NewChannelPage from "./NewChannelPage";

const CHANNEL: Channel = {
  channel_id: "c1",
  name: "Ops hook",
  kind: "webhook",
  destination: "https://hooks.example.com/…/WXYZ",
  chat_id: null,
  secret_hint: "…f00d",
  subscriptions: [
    { event: "job.failed", min_strength: null },
    { event: "pipeline.signals", min_strength: 0.4 },
  ],
  status: "active",
  paused_at: null,
  paused_reason: null,
  consecutive_failures: 0,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};
const PAUSED: Channel = {
  ...CHANNEL,
  status: "paused",
  paused_at: "2030-01-02T00:00:00Z",
  paused_reason: "5 deliveries in a row failed; the last: HTTP 500",
  consecutive_failures: 5,
};
const DELIVERY: Delivery = {
  event_id: "e1",
  event_kind: "test",
  title: "Test alert for 'Ops hook'",
  status: "failed",
  attempts: 5,
  status_code: 500,
  error: "HTTP 500: down",
  test: true,
  created_at: "2030-01-02T00:00:00Z",
  updated_at: "2030-01-02T00:10:00Z",
  delivered_at: null,
  next_attempt_at: null,
};
const saved = (channel: Channel, secret: string | null = null) => ({ status: 201, body: { ...channel, signing_secret: secret } });

function renderChannel(api: ReturnType<typeof fakeApi>) {
  return renderWithApp(
    <Routes>
      <Route path="/integrations/:channelId" element={<ChannelPage />} />
      <Route path="/integrations" element={<p>list</p>} />
    </Routes>,
    { fetch: api.fetch, path: "/integrations/c1" },
  );
}

it("lists channels with their redacted destination, events and state", async () => {
  const api = fakeApi({ "GET /channels": { status: 200, body: { items: [CHANNEL, { ...PAUSED, channel_id: "c2", name: "Desk" }], next_token: null } } });
  renderWithApp(<ChannelsPage />, { fetch: api.fetch });
  const [first, second] = await screen.findAllByTestId("channel-row");
  expect(within(first).getByRole("link", { name: "Ops hook" }).getAttribute("href")).toBe("/integrations/c1");
  expect(within(first).getByText("https://hooks.example.com/…/WXYZ")).toBeTruthy();
  expect(within(first).getByText("Job failed")).toBeTruthy();
  expect(within(first).getByText("Pipeline signals")).toBeTruthy();
  expect(within(first).getByText("Active")).toBeTruthy();
  expect(within(second).getByTitle(PAUSED.paused_reason!).textContent).toBe("Paused");
});

it("creates a webhook with its events and shows the generated signing secret once", async () => {
  const api = fakeApi({ "POST /channels": saved(CHANNEL, "whsec_shown_once") });
  const { router } = renderWithApp(<NewChannelPage />, { fetch: api.fetch, path: "/integrations/new" });
  fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: " Ops hook " } });
  fireEvent.change(screen.getByLabelText("URL"), { target: { value: "https://hooks.example.com/in" } });
  fireEvent.click(screen.getByRole("checkbox", { name: "Pipeline signals" }));
  fireEvent.change(screen.getByRole("textbox", { name: "Minimum signal strength" }), { target: { value: "0.4" } });
  fireEvent.click(screen.getByRole("button", { name: "Create channel" }));
  const dialog = await screen.findByRole("dialog", { name: "Signing secret" });
  expect(within(dialog).getByTestId("signing-secret").textContent).toBe("whsec_shown_once");
  expect(api.requests.find((r) => r.route === "POST /channels")?.body).toEqual({
    name: "Ops hook",
    kind: "webhook",
    url: "https://hooks.example.com/in",
    subscriptions: [
      { event: "job.failed", min_strength: null },
      { event: "pipeline.signals", min_strength: 0.4 },
    ],
  });
  fireEvent.click(within(dialog).getByRole("button", { name: "Done" }));
  await vi.waitFor(() => expect(router.state.location.pathname).toBe("/integrations/c1"));
});

it("asks a Telegram channel for its bot token and chat id, not a URL", async () => {
  const api = fakeApi({ "POST /channels": saved({ ...CHANNEL, kind: "telegram", chat_id: "@desk", secret_hint: null }) });
  const { router } = renderWithApp(<NewChannelPage />, { fetch: api.fetch, path: "/integrations/new" });
  fireEvent.click(screen.getByText("Telegram"));
  expect(screen.queryByLabelText("URL")).toBeNull();
  expect(screen.queryByLabelText("Signing secret")).toBeNull();
  fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: "Desk" } });
  fireEvent.change(screen.getByLabelText("Bot token"), { target: { value: "123:abc" } });
  fireEvent.change(screen.getByRole("textbox", { name: "Chat id" }), { target: { value: "@desk" } });
  fireEvent.click(screen.getByRole("button", { name: "Create channel" }));
  await vi.waitFor(() => expect(router.state.location.pathname).toBe("/integrations/c1"));
  expect(api.requests.find((r) => r.route === "POST /channels")?.body).toMatchObject({ kind: "telegram", bot_token: "123:abc", chat_id: "@desk" });
});

it("shows the server's message at the field it names", async () => {
  const problem = {
    type: "urn:tradewind:problem:invalid-input",
    title: "Invalid input",
    status: 422,
    detail: "invalid channel: body.url",
    errors: [{ loc: ["body", "url"], msg: "must start with https://", type: "value_error" }],
  };
  const api = fakeApi({ "POST /channels": { status: 422, body: problem } });
  renderWithApp(<NewChannelPage />, { fetch: api.fetch, path: "/integrations/new" });
  fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: "x" } });
  const url = screen.getByLabelText("URL");
  fireEvent.change(url, { target: { value: "http://example.com" } });
  fireEvent.click(screen.getByRole("button", { name: "Create channel" }));
  const message = await screen.findByText("must start with https://");
  expect(url.getAttribute("aria-describedby")?.split(" ")).toContain(message.id);
  expect(screen.queryByRole("alert")).toBeNull(); // located at its field, not repeated below the form
});

it("shows a paused channel's reason, resumes it, sends a test and lists the deliveries", async () => {
  const api = fakeApi({
    "GET /channels/c1": { status: 200, body: PAUSED },
    "GET /channels/c1/deliveries?limit=50": { status: 200, body: { items: [DELIVERY], next_token: null } },
    "POST /channels/c1/resume": { status: 200, body: CHANNEL },
    "POST /channels/c1/test": { status: 202, body: { event_id: "e2" } },
  });
  renderChannel(api);
  expect(await screen.findByRole("heading", { level: 1, name: "Ops hook" })).toBeTruthy();
  expect(screen.getByText(PAUSED.paused_reason!)).toBeTruthy();
  const [row] = await screen.findAllByTestId("delivery-row");
  expect(within(row).getByText("failed")).toBeTruthy();
  expect(within(row).getByText("HTTP 500: down")).toBeTruthy();
  expect(within(row).getByText("5")).toBeTruthy();
  expect(within(row).getByText("500")).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "Resume" }));
  await vi.waitFor(() => expect(screen.queryByText("This channel is paused")).toBeNull());
  fireEvent.click(screen.getByRole("button", { name: "Send test" }));
  expect(await screen.findByRole("status")).toBeTruthy();
  expect(api.requests.map((r) => r.route)).toEqual(expect.arrayContaining(["POST /channels/c1/resume", "POST /channels/c1/test"]));
});

it("saves an edit without the secrets left empty, and shows a rotated secret once", async () => {
  const api = fakeApi({
    "GET /channels/c1": { status: 200, body: CHANNEL },
    "GET /channels/c1/deliveries?limit=50": { status: 200, body: { items: [], next_token: null } },
    "PUT /channels/c1": { status: 200, body: { ...CHANNEL, signing_secret: "whsec_rotated" } },
  });
  renderChannel(api);
  const form = await screen.findByRole("form", { name: "Save changes" });
  expect(within(form).getByText("Leave empty to keep the current one (…f00d).")).toBeTruthy();
  expect((within(form).getByRole("textbox", { name: "Minimum signal strength" }) as HTMLInputElement).value).toBe("0.4");
  fireEvent.click(within(form).getByRole("checkbox", { name: "Generate a new signing secret" }));
  fireEvent.click(within(form).getByRole("button", { name: "Save changes" }));
  const dialog = await screen.findByRole("dialog", { name: "Signing secret" });
  expect(within(dialog).getByTestId("signing-secret").textContent).toBe("whsec_rotated");
  expect(api.requests.find((r) => r.route === "PUT /channels/c1")?.body).toEqual({
    name: "Ops hook",
    subscriptions: [
      { event: "job.failed", min_strength: null },
      { event: "pipeline.signals", min_strength: 0.4 },
    ],
    rotate_secret: true,
  });
});
