import { IconUsers } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";
import { AccountMenu } from "./AccountMenu";

export const feature = defineFeature({
  id: "accounts",
  routes: [
    { path: "/members", Component: lazyPage(() => import("./MembersPage")) },
    { path: "/security", Component: lazyPage(() => import("./SecurityPage")) },
  ],
  nav: [{ to: "/members", label: "accounts:nav", icon: IconUsers, section: "system", order: 98 }],
  header: [{ order: 90, Component: AccountMenu }],
});
