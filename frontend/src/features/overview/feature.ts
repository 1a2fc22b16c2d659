import { IconLayoutDashboard } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "overview",
  routes: [{ path: "/", Component: lazyPage(() => import("./OverviewPage")) }],
  nav: [{ to: "/", label: "common:nav.overview", icon: IconLayoutDashboard, section: "research", order: 0 }],
});
