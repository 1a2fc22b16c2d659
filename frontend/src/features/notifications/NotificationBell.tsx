import { ActionIcon, Indicator } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../../i18n/format";
import { useUnreadCount } from "./useNotifications";

/** The header's bell: the live unread count, a link to the notifications page. */
export function NotificationBell() {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const unread = useUnreadCount().data?.unread ?? 0;
  const label = t("bell", { count: unread, formatted: format.integer(unread) });
  return (
    <Indicator
      label={unread > 99 ? "99+" : format.integer(unread)}
      size={16}
      disabled={!unread}
      offset={6}
      color="red"
      data-testid="unread-count"
      data-count={unread}
    >
      <ActionIcon component={Link} to="/notifications" variant="subtle" color="gray" size="lg" aria-label={label} title={label}>
        <IconBell size={20} stroke={1.6} />
      </ActionIcon>
    </Indicator>
  );
}
