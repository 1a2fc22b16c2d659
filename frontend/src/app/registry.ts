/** The route registry: every `src/features/<name>/feature.ts` found at build time (no list to edit); their
 * routes go under the app layout, their nav entries in the left navigation, their header items in
 * the header. A feature folder without feature.ts (a shared hook, a panel) adds nothing. */
import type { RouteObject } from "react-router";
import type { Feature, HeaderItem, NavEntry } from "./feature";

export type { Feature, HeaderItem, NavEntry, NavSection } from "./feature";

type FeatureModule = { feature?: Feature };

export function collectFeatures(modules: Record<string, FeatureModule>): Feature[] {
  return Object.entries(modules)
    .filter(([, module]) => module.feature)
    .map(([, module]) => module.feature!)
    .sort((a, b) => a.id.localeCompare(b.id));
}

export const features: Feature[] = collectFeatures(import.meta.glob<FeatureModule>("../features/*/feature.{ts,tsx}", { eager: true }));

export function navEntries(from: Feature[] = features): NavEntry[] {
  return from.flatMap((feature) => feature.nav ?? []).sort((a, b) => a.order - b.order);
}

export function headerItems(from: Feature[] = features): HeaderItem[] {
  return from.flatMap((feature) => feature.header ?? []).sort((a, b) => a.order - b.order);
}

export function featureRoutes(from: Feature[] = features): RouteObject[] {
  return from.flatMap((feature) => feature.routes);
}
