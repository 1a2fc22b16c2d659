import { IconListSearch } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "audit",
  routes: [{ path: "/audit", Component: lazyPage(() => import("./AuditPage"), "admin") }],
  nav: [{ to: "/audit", label: "audit:nav", icon: IconListSearch, section: "admin", order: 95, role: "admin" }],
});
