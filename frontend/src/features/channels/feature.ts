import { IconPlugConnected } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

/** Channels hold secrets: even reading them is for admins (ROUTE_ROLES). */
export const feature = defineFeature({
  id: "channels",
  routes: [
    { path: "/integrations", Component: lazyPage(() => import("./ChannelsPage"), "admin") },
    { path: "/integrations/new", Component: lazyPage(() => import("./NewChannelPage"), "admin") },
    { path: "/integrations/:channelId", Component: lazyPage(() => import("./ChannelPage"), "admin") },
  ],
  nav: [{ to: "/integrations", label: "channels:nav", icon: IconPlugConnected, section: "admin", order: 97, role: "admin" }],
});
