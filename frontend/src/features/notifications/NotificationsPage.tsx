import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { Notification } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useNotificationText } from "./message";
import { appLink, useMarkAllRead, useMarkRead, useNotificationPages, useUnreadCount } from "./useNotifications";

const KIND_COLORS: Record<string, string> = {
  "job.completed": "teal",
  "job.failed": "red",
  "job.cancelled": "orange",
  "job.stalled": "yellow",
  "dataset.ready": "teal",
  "dataset.failed": "red",
  "schedule.failed": "red",
  "channel.paused": "orange",
};

/** Every notification, newest first and paged; only the unread ones on demand (kept in the URL). */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get("filter") === "unread";
  const pages = useNotificationPages(unreadOnly);
  const unread = useUnreadCount().data?.unread ?? 0;
  const markAll = useMarkAllRead();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("unreadSummary", { count: unread, formatted: format.integer(unread) })}
        actions={
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              aria-label={t("filter")}
              value={unreadOnly ? "unread" : "all"}
              onChange={(value) => setParams(value === "unread" ? { filter: "unread" } : {}, { replace: true })}
              data={[
                { value: "all", label: t("all") },
                { value: "unread", label: t("unread") },
              ]}
            />
            <Button size="xs" variant="light" onClick={() => markAll.mutate()} loading={markAll.isPending} disabled={!unread}>
              {t("markAll")}
            </Button>
          </Group>
        }
      />
      {markAll.error && (
        <Text c="var(--tw-error)" size="sm" role="alert" mb="sm">
          {errorMessage(markAll.error)}
        </Text>
      )}
      {pages.error && <ErrorAlert error={pages.error} />}
      {pages.isPending && <PageLoader />}
      {pages.isSuccess && items.length === 0 && (
        <Text c="dimmed" size="sm">
          {t(unreadOnly ? "emptyUnread" : "empty")}
        </Text>
      )}
      <Stack gap="xs" component="ul" p={0} m={0} aria-label={t("list")} style={{ listStyle: "none" }}>
        {items.map((notification) => (
          <NotificationItem key={notification.notification_id} notification={notification} />
        ))}
      </Stack>
      {pages.hasNextPage && (
        <Button mt="md" variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
          {t("more")}
        </Button>
      )}
    </>
  );
}

function NotificationItem({ notification }: { notification: Notification }) {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const markRead = useMarkRead();
  const unread = !notification.read_at;
  const to = appLink(notification.link);
  const text = useNotificationText(notification);
  // The server's English text (an unknown code, an old record) says so, for screen readers.
  const lang = text.translated ? undefined : "en";
  return (
    <Paper
      component="li"
      p="sm"
      data-testid={`notification-${notification.notification_id}`}
      data-unread={unread}
      style={unread ? { borderLeft: "3px solid var(--mantine-primary-color-filled)" } : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} miw={0} style={{ flex: 1 }}>
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant="light" color={KIND_COLORS[notification.kind] ?? "gray"}>
              {t(`kinds.${notification.kind}`, { defaultValue: notification.kind })}
            </Badge>
            {unread && (
              <Badge size="xs" variant="filled">
                {t("new")}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              <time dateTime={notification.created_at} title={format.dateTime(notification.created_at)}>
                {format.relative(notification.created_at)}
              </time>
            </Text>
          </Group>
          <Text fw={unread ? 600 : 400} size="sm" style={{ wordBreak: "break-word" }} lang={lang}>
            {to ? (
              <Anchor component={Link} to={to} inherit>
                {text.title}
              </Anchor>
            ) : (
              text.title
            )}
          </Text>
          <Text size="sm" c="dimmed" style={{ wordBreak: "break-word" }} lang={lang}>
            {text.body}
          </Text>
          {markRead.error && (
            <Text size="sm" c="var(--tw-error)" role="alert">
              {errorMessage(markRead.error)}
            </Text>
          )}
        </Stack>
        {unread && (
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => markRead.mutate(notification)}
            loading={markRead.isPending}
            aria-label={t("markOneLabel", { title: text.title })}
          >
            {t("markOne")}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

export default NotificationsPage;
