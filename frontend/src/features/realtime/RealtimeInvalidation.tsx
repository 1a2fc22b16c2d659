import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { ServerMessage } from "../../api/realtime";
import { applyRealtimeMessage } from "./invalidation";
import { useRealtimeMessages } from "./RealtimeProvider";

/** Mounted once by the app: WebSocket events → query updates and invalidations (./invalidation.ts). */
export function RealtimeInvalidation() {
  const queryClient = useQueryClient();
  const onMessage = useCallback((message: ServerMessage) => applyRealtimeMessage(queryClient, message), [queryClient]);
  useRealtimeMessages(onMessage);
  return null;
}
