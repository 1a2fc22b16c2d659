import { IconPlugConnected } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "channels",
  routes: [
    { path: "/integrations", Component: lazyPage(() => import("./ChannelsPage")) },
    { path: "/integrations/new", Component: lazyPage(() => import("./NewChannelPage")) },
    { path: "/integrations/:channelId", Component: lazyPage(() => import("./ChannelPage")) },
  ],
  nav: [{ to: "/integrations", label: "channels:nav", icon: IconPlugConnected, section: "system", order: 97 }],
});
