import { IconChartLine } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "backtests",
  routes: [
    { path: "/backtests", Component: lazyPage(() => import("./BacktestsPage")) },
    { path: "/backtests/compare", Component: lazyPage(() => import("./ComparePage")) },
    { path: "/backtests/:jobId", Component: lazyPage(() => import("./BacktestPage")) },
  ],
  nav: [{ to: "/backtests", label: "common:nav.backtests", icon: IconChartLine, section: "research", order: 40 }],
});
