import { IconActivityHeartbeat, IconBolt, IconChartHistogram } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "pipeline",
  routes: [
    { path: "/pipeline", Component: lazyPage(() => import("./PipelinePage")) },
    { path: "/pipeline/runs/:runId", Component: lazyPage(() => import("./RunPage")) },
    { path: "/pipeline/runs/:runId/signals", Component: lazyPage(() => import("./SignalsPage")) },
    { path: "/pipeline/signals", Component: lazyPage(() => import("./SignalsPage")) },
    { path: "/pipeline/breadth", Component: lazyPage(() => import("./BreadthPage")) },
  ],
  nav: [
    { to: "/pipeline", label: "pipeline:nav.pipeline", icon: IconActivityHeartbeat, section: "research", order: 60 },
    { to: "/pipeline/signals", label: "pipeline:nav.signals", icon: IconBolt, section: "research", order: 61 },
    { to: "/pipeline/breadth", label: "pipeline:nav.breadth", icon: IconChartHistogram, section: "research", order: 62 },
  ],
});
