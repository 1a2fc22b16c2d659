import { render } from "@testing-library/react";
import { RouterProvider } from "react-router";
import type { Feature } from "../app/registry";
import { createMemoryAppRouter } from "../app/router";
import { AppHarness, type AppOptions } from "./render";

/** The whole app (shell and every registered feature, or `features`) at `path`, inside the harness.
 * Kept apart from ./render so a page's own tests do not load every other feature. */
export function renderApp(path: string, options: AppOptions & { features?: Feature[] }) {
  return render(
    <AppHarness options={options}>
      <RouterProvider router={createMemoryAppRouter(path, options.features)} />
    </AppHarness>,
  );
}
