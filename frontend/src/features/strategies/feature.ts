import { IconBulb } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "strategies",
  routes: [
    { path: "/strategies", Component: lazyPage(() => import("./StrategiesPage")) },
    { path: "/strategies/:strategyId", Component: lazyPage(() => import("./StrategyPage")) },
  ],
  nav: [{ to: "/strategies", label: "common:nav.strategies", icon: IconBulb, section: "research", order: 30 }],
});
