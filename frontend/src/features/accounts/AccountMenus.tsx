import { ActionIcon, Button, Menu, Text } from "@mantine/core";
import { IconBuilding, IconCheck, IconLogout, IconSelector, IconShieldLock, IconUserCircle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAccount } from "./account";

/** Header: the organisation switcher (when the person belongs to several) and the user menu (who,
 * role here, sign out). Nothing outside the signed-in app. Loaded after the first paint (./AccountMenu):
 * Mantine's Menu brings floating-ui, too heavy for the first load's budget. */
export default function AccountMenus() {
  const { t } = useTranslation("accounts");
  const account = useAccount();
  if (!account) return null;
  const { me, orgId, role } = account;
  const who = me.email ?? me.actor;
  return (
    <>
      {me.orgs.length > 1 && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconBuilding size={16} aria-hidden />}
              rightSection={<IconSelector size={14} aria-hidden />}
              aria-label={t("menu.switchOrg", { org: orgId })}
              maw={160}
            >
              <Text span size="sm" truncate translate="no">
                {orgId}
              </Text>
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>{t("menu.organisations")}</Menu.Label>
            {me.orgs.map((org) => (
              <Menu.Item
                key={org.org_id}
                onClick={() => account.switchOrg(org.org_id)}
                rightSection={org.org_id === orgId ? <IconCheck size={14} aria-label={t("menu.current")} /> : null}
              >
                <Text span size="sm" translate="no">
                  {org.org_id}
                </Text>{" "}
                <Text span size="xs" c="dimmed">
                  {t(`roles.${org.role}`)}
                </Text>
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t("menu.title")} title={who}>
            <IconUserCircle size={20} stroke={1.6} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t(me.kind === "key" ? "menu.apiKey" : "menu.signedInAs")}</Menu.Label>
          <Text size="sm" px="sm" translate="no" data-testid="account-email">
            {who}
          </Text>
          <Text size="xs" px="sm" pb={6} c="dimmed" data-testid="account-role">
            {t("menu.roleIn", { role: role ? t(`roles.${role}`) : "—", org: orgId ?? "—" })}
          </Text>
          <Menu.Divider />
          {account.userSession && (
            <Menu.Item component={Link} to="/security" leftSection={<IconShieldLock size={16} aria-hidden />}>
              {t("menu.security")}
            </Menu.Item>
          )}
          <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={account.signOut}>
            {t("menu.signOut")}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
