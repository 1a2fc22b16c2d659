/** Notification channels (`/channels`): list, one, create, change, delete, resume, send a test, the
 * delivery log. Channels hold secrets: the API answers them redacted, except a generated webhook
 * signing secret, once, in the answer that generated it. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../app/ApiContext";

export type Channel = Schemas["ChannelOut"];
export type ChannelSaved = Schemas["ChannelSaved"];
export type ChannelIn = Schemas["ChannelIn"];
export type ChannelUpdate = Schemas["ChannelUpdate"];
export type Delivery = Schemas["DeliveryOut"];
export type ChannelKind = Channel["kind"];
export type EventName = Schemas["SubscriptionIn"]["event"];

export const KINDS: ChannelKind[] = ["webhook", "slack", "discord", "telegram"];
export const EVENTS: EventName[] = ["job.succeeded", "job.failed", "pipeline.signals", "schedule.failed", "import.failed"];
/** While a channel's page is open its log is re-read this often (deliveries happen on the server). */
export const LOG_REFRESH_MS = 2_000;

export const channelKeys = {
  all: ["channels"] as const,
  list: ["channels", "list"] as const,
  detail: (id: string) => ["channels", "detail", id] as const,
  deliveries: (id: string) => ["channels", "detail", id, "deliveries"] as const,
};

export function useChannels() {
  const api = useApi();
  return useQuery({ queryKey: channelKeys.list, queryFn: () => unwrap(api.GET("/channels")) });
}

export function useChannel(channelId: string) {
  const api = useApi();
  return useQuery({
    queryKey: channelKeys.detail(channelId),
    queryFn: () => unwrap(api.GET("/channels/{channel_id}", { params: { path: { channel_id: channelId } } })),
    refetchInterval: LOG_REFRESH_MS * 5,
  });
}

export function useDeliveries(channelId: string) {
  const api = useApi();
  return useQuery({
    queryKey: channelKeys.deliveries(channelId),
    queryFn: () => unwrap(api.GET("/channels/{channel_id}/deliveries", { params: { path: { channel_id: channelId }, query: { limit: 50 } } })),
    refetchInterval: LOG_REFRESH_MS,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return (channel: Channel) => {
    queryClient.setQueryData(channelKeys.detail(channel.channel_id), channel);
    return queryClient.invalidateQueries({ queryKey: channelKeys.list });
  };
}

export function useCreateChannel() {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: ChannelIn) => unwrap(api.POST("/channels", { body })), onSuccess: refresh });
}

export function useUpdateChannel(channelId: string) {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: ChannelUpdate) => unwrap(api.PUT("/channels/{channel_id}", { params: { path: { channel_id: channelId } }, body })),
    onSuccess: refresh,
  });
}

export function useResumeChannel(channelId: string) {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/channels/{channel_id}/resume", { params: { path: { channel_id: channelId } } })),
    onSuccess: refresh,
  });
}

export function useSendTest(channelId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/channels/{channel_id}/test", { params: { path: { channel_id: channelId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: channelKeys.deliveries(channelId) }),
  });
}

export function useDeleteChannel() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (channelId: string) => {
      await unwrap(api.DELETE("/channels/{channel_id}", { params: { path: { channel_id: channelId } } }));
      return channelId;
    },
    onSuccess: (channelId) => {
      queryClient.removeQueries({ queryKey: channelKeys.detail(channelId) });
      return queryClient.invalidateQueries({ queryKey: channelKeys.list });
    },
  });
}
