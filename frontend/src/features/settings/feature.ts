import { IconSettings } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "settings",
  routes: [{ path: "/settings", Component: lazyPage(() => import("./SettingsPage")) }],
  nav: [{ to: "/settings", label: "common:nav.settings", icon: IconSettings, section: "system", order: 100 }],
});
