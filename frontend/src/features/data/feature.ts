import { IconDatabase } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "data",
  routes: [
    { path: "/data", Component: lazyPage(() => import("./DataPage")) },
    { path: "/data/datasets/:datasetId", Component: lazyPage(() => import("./DatasetPage")) },
    { path: "/data/symbols/:symbol", Component: lazyPage(() => import("./SymbolPage")) },
  ],
  nav: [{ to: "/data", label: "common:nav.data", icon: IconDatabase, section: "research", order: 10 }],
});
