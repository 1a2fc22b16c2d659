import { IconListDetails } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "watchlists",
  routes: [
    { path: "/watchlists", Component: lazyPage(() => import("./WatchlistsPage")) },
    { path: "/watchlists/:watchlistId", Component: lazyPage(() => import("./WatchlistPage")) },
  ],
  nav: [{ to: "/watchlists", label: "common:nav.watchlists", icon: IconListDetails, section: "research", order: 20 }],
});
