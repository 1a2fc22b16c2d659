import { type RouteObject, useRoutes } from "react-router";
import { AppLayout } from "./AppLayout";
import { NotFound } from "./PageStates";
import { type Feature, featureRoutes, features as registered } from "./registry";

/** Every page under the app layout: the registered features' routes, then a not-found page. */
export function appRoutes(features: Feature[] = registered): RouteObject[] {
  return [{ element: <AppLayout features={features} />, children: [...featureRoutes(features), { path: "*", element: <NotFound /> }] }];
}

/** The app's routes, rendered inside a `<BrowserRouter>` (or a `<MemoryRouter>` in tests). */
export function AppRoutes({ features = registered }: { features?: Feature[] }) {
  return useRoutes(appRoutes(features));
}
