import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Notification, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export const PAGE_SIZE = 20;

/** The unread count for the bell; refetched on every `notifications` topic event. */
export function useUnreadCount() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.notifications.unreadCount, queryFn: () => unwrap(api.GET("/notifications/unread-count")), staleTime: 60_000 });
}

/** Newest first, `PAGE_SIZE` at a time (`next_token`), all or only the unread ones. */
export function useNotificationPages(unread: boolean) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.notifications.list({ unread, limit: PAGE_SIZE }),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/notifications", { params: { query: { limit: PAGE_SIZE, unread, ...(pageParam ? { next_token: pageParam } : {}) } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_token ?? null,
  });
}

export function useMarkRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notification: Notification) =>
      unwrap(api.POST("/notifications/{notification_id}/read", { params: { path: { notification_id: notification.notification_id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all }),
  });
}

export function useMarkAllRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/notifications/read-all")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all }),
  });
}

/** Where a notification's API link (`/datasets/<id>`, `/backtests/<id>`) opens in the app. */
export function appLink(link: string | null | undefined): string | null {
  if (!link) return null;
  const dataset = link.match(/^\/datasets\/([^/?#]+)$/);
  if (dataset) return `/data/datasets/${dataset[1]}`;
  return /^\/(backtests|optimizations)\/[^/?#]+$/.test(link) ? link : null;
}
