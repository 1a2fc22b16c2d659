import { IconRoute } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "workflows",
  routes: [
    { path: "/workflows", Component: lazyPage(() => import("./WorkflowsPage")) },
    { path: "/workflows/new", Component: lazyPage(() => import("./NewWorkflowPage")) },
    { path: "/workflows/:workflowId", Component: lazyPage(() => import("./WorkflowPage")) },
  ],
  nav: [{ to: "/workflows", label: "workflows:nav", icon: IconRoute, section: "research", order: 76 }],
});
