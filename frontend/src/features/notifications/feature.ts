import { IconBell } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";
import { NotificationBell } from "./NotificationBell";

export const feature = defineFeature({
  id: "notifications",
  routes: [{ path: "/notifications", Component: lazyPage(() => import("./NotificationsPage")) }],
  nav: [{ to: "/notifications", label: "common:nav.notifications", icon: IconBell, section: "system", order: 80 }],
  header: [{ order: 10, Component: NotificationBell }],
});
