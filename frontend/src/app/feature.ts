/** What a feature contributes to the shell (see ./registry.ts for how they are found). Each feature
 * folder with a page exports `feature = defineFeature({...})` from `src/features/<name>/feature.ts`.
 * Keep feature.ts light: pages are `lazyPage(() => import("./XPage"))` so each page is its own chunk,
 * loaded when first visited (the app layout shows a loader meanwhile). */
import { type ComponentType, createElement, lazy } from "react";
import type { RouteObject } from "react-router";
import type { Role } from "../features/accounts/account";
import { RoleGate } from "../features/accounts/NeedsRole";

/** "admin" holds the pages only admins may use (audit, integrations), shown to admins only. */
export type NavSection = "research" | "system" | "admin";

export interface NavEntry {
  /** Where the entry links; it is highlighted on this path and below it. */
  to: string;
  /** A translation key, `namespace:key` (e.g. `common:nav.overview`). */
  label: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  section: NavSection;
  /** Position in its section (smaller first): overview 0, data 10, watchlists 20, strategies 30,
   * backtests 40, optimizations 50; notifications 80, health 90, settings 100. */
  order: number;
  /** The least role that may use the page (the API refuses its reads to anyone else): the entry is
   * hidden from other roles. Give its routes the same role (`lazyPage(load, role)`). */
  role?: Role;
}

export interface HeaderItem {
  /** Shown in the header, right side, before the language and theme switches (smaller first). */
  order: number;
  Component: ComponentType;
}

export interface Feature {
  id: string;
  /** Child routes of the app layout: absolute paths (`/backtests/:jobId`) with a `lazyPage` Component. */
  routes: RouteObject[];
  nav?: NavEntry[];
  header?: HeaderItem[];
}

export function defineFeature(feature: Feature): Feature {
  return feature;
}

/** A page loaded on first visit, from a module whose default export is the page component. With a
 * `role`, anyone with a lesser role sees which role the page needs instead (the page is not loaded). */
export function lazyPage(load: () => Promise<{ default: ComponentType }>, role?: Role): ComponentType {
  const Page = lazy(load);
  if (!role) return Page;
  return function RolePage() {
    return createElement(RoleGate, { role, children: createElement(Page) });
  };
}
