import { IconHeartbeat } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "health",
  routes: [{ path: "/health", Component: lazyPage(() => import("./HealthPage")) }],
  nav: [{ to: "/health", label: "common:nav.health", icon: IconHeartbeat, section: "system", order: 90 }],
});
