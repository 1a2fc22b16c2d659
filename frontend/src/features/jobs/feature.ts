import { IconListDetails } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "jobs",
  routes: [
    { path: "/jobs", Component: lazyPage(() => import("./JobsPage")) },
    { path: "/jobs/:jobId", Component: lazyPage(() => import("./JobPage")) },
  ],
  nav: [{ to: "/jobs", label: "jobs:nav", icon: IconListDetails, section: "research", order: 70 }],
});
