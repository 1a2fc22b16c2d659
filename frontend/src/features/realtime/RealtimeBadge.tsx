import { Badge, Box } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import { useRealtimeStatus } from "./RealtimeProvider";

const COLORS = { connected: "teal", connecting: "yellow", reconnecting: "orange", closed: "red" } as const;

/** Connected (with the last ping's round trip) / reconnecting n / connecting / offline. */
export function RealtimeBadge() {
  const { t } = useTranslation();
  const format = useFormat();
  const { state, attempt, latencyMs } = useRealtimeStatus();
  const label =
    state === "connected"
      ? latencyMs === null
        ? t("realtime.connected")
        : t("realtime.connectedLatency", { latency: format.integer(latencyMs) })
      : state === "reconnecting"
        ? t("realtime.reconnecting", { attempt })
        : t(`realtime.${state}`);
  return (
    <Badge
      role="status"
      aria-label={label}
      title={t("realtime.tooltip")}
      data-testid="realtime-badge"
      data-state={state}
      variant="dot"
      color={COLORS[state]}
      size="lg"
      tt="none"
      fw={500}
      styles={{ label: { overflow: "hidden", textOverflow: "ellipsis" } }}
    >
      <Box component="span" aria-hidden="true" visibleFrom="xs">
        {label}
      </Box>
    </Badge>
  );
}
