import { IconTerminal2 } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "commands",
  routes: [{ path: "/commands", Component: lazyPage(() => import("./CommandsPage")) }],
  nav: [{ to: "/commands", label: "commands:nav", icon: IconTerminal2, section: "system", order: 75 }],
});
