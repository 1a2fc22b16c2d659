import { IconAdjustmentsHorizontal } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "optimizations",
  routes: [
    { path: "/optimizations", Component: lazyPage(() => import("./OptimizationsPage")) },
    { path: "/optimizations/:jobId", Component: lazyPage(() => import("./OptimizationPage")) },
  ],
  nav: [{ to: "/optimizations", label: "common:nav.optimizations", icon: IconAdjustmentsHorizontal, section: "research", order: 50 }],
});
