import { IconCalendarTime } from "@tabler/icons-react";
import { defineFeature, lazyPage } from "../../app/feature";

export const feature = defineFeature({
  id: "schedules",
  routes: [
    { path: "/schedules", Component: lazyPage(() => import("./SchedulesPage")) },
    { path: "/schedules/new", Component: lazyPage(() => import("./ScheduleEditorPage")) },
    { path: "/schedules/:scheduleId", Component: lazyPage(() => import("./SchedulePage")) },
  ],
  nav: [{ to: "/schedules", label: "schedules:nav", icon: IconCalendarTime, section: "research", order: 75 }],
});
