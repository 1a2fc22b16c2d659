import { createBrowserRouter, createMemoryRouter, type RouteObject } from "react-router";
import { AppLayout } from "./AppLayout";
import { NotFound } from "./PageStates";
import { type Feature, featureRoutes, features as registered } from "./registry";

/** Every page under the app layout: the registered features' routes, then a not-found page. */
export function appRoutes(features: Feature[] = registered): RouteObject[] {
  return [{ element: <AppLayout features={features} />, children: [...featureRoutes(features), { path: "*", element: <NotFound /> }] }];
}

/** The app's data router (what `useBlocker` needs: see src/app/useUnsavedChangesGuard.tsx), on the
 * browser's history; `createMemoryAppRouter` is the same routes at a given path, for tests. */
export function createAppRouter(features: Feature[] = registered) {
  return createBrowserRouter(appRoutes(features));
}

export function createMemoryAppRouter(path: string, features: Feature[] = registered) {
  return createMemoryRouter(appRoutes(features), { initialEntries: [path] });
}
