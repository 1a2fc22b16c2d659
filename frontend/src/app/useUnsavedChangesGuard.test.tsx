import { TextInput } from "@mantine/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { createMemoryRouter, Link, RouterProvider } from "react-router";
import { expect, test } from "vitest";
import { fakeApi } from "../test/api";
import { AppHarness } from "../test/render";
import { useChanged, useUnsavedChangesGuard } from "./useUnsavedChangesGuard";

function Form() {
  const [name, setName] = useState("");
  const { prompt, release } = useUnsavedChangesGuard(useChanged({ name }));
  return (
    <>
      {prompt}
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <Link to="/other">Elsewhere</Link>
      <Link to="/form?tab=json">Same page</Link>
      <button onClick={() => (release(), void router.navigate("/other"))}>Save and open</button>
    </>
  );
}

let router: ReturnType<typeof createMemoryRouter>;

function renderForm() {
  router = createMemoryRouter(
    [
      { path: "/form", element: <Form /> },
      { path: "/other", element: <p>Other page</p> },
    ],
    { initialEntries: ["/form"] },
  );
  render(
    <AppHarness options={{ fetch: fakeApi({}).fetch }}>
      <RouterProvider router={router} />
    </AppHarness>,
  );
}

function unload(): boolean {
  const event = new Event("beforeunload", { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

test("an untouched form lets every navigation and the tab's closing through", async () => {
  renderForm();
  expect(unload()).toBe(false);
  fireEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
  expect(await screen.findByText("Other page")).toBeTruthy();
});

test("typed work: leaving asks first; Stay keeps the page and the text, Leave goes", async () => {
  renderForm();
  fireEvent.change(screen.getByLabelText("Name"), { target: { value: "My draft" } });
  expect(unload()).toBe(true);

  fireEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
  const dialog = await screen.findByRole("dialog", { name: "Leave without saving?" });
  expect(dialog.textContent).toContain("Your changes on this page are not saved");
  fireEvent.click(screen.getByRole("button", { name: "Stay on this page" }));
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(router.state.location.pathname).toBe("/form");
  expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("My draft");

  fireEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
  fireEvent.click(await screen.findByRole("button", { name: "Leave and discard" }));
  expect(await screen.findByText("Other page")).toBeTruthy();
  expect(unload()).toBe(false); // the guard left with its page
});

test("typing back the original value is not a change; moving within the page is never held", async () => {
  renderForm();
  const field = screen.getByLabelText("Name");
  fireEvent.change(field, { target: { value: "x" } });
  fireEvent.click(screen.getByRole("link", { name: "Same page" }));
  await waitFor(() => expect(router.state.location.search).toBe("?tab=json"));
  expect(screen.queryByRole("dialog")).toBeNull();
  fireEvent.change(field, { target: { value: "" } });
  expect(unload()).toBe(false);
  fireEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
  expect(await screen.findByText("Other page")).toBeTruthy();
});

test("release() lets the form's own navigation after a save through", async () => {
  renderForm();
  fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Saved" } });
  fireEvent.click(screen.getByRole("button", { name: "Save and open" }));
  expect(await screen.findByText("Other page")).toBeTruthy();
  expect(screen.queryByRole("dialog")).toBeNull();
  await act(() => router.navigate("/form"));
  expect(screen.getByLabelText("Name")).toBeTruthy();
});
