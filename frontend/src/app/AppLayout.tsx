import { AppShell, Burger, Group, Stack, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router";
import { type Role, roleAllows, useAccount } from "../features/accounts/account";
import { RealtimeBadge } from "../features/realtime/RealtimeBadge";
import { useTopics } from "../features/realtime/RealtimeProvider";
import { LanguageToggle, ThemeToggle } from "./HeaderControls";
import { PageErrorBoundary, PageLoader } from "./PageStates";
import { features as registered, type Feature, headerItems, navEntries, type NavEntry } from "./registry";

/** Topics the shell follows for as long as the app is open (the bell and the job lists need them). */
const SHELL_TOPICS = ["notifications", "jobs"];

function covers(entry: NavEntry, pathname: string): boolean {
  return entry.to === "/" ? pathname === "/" : pathname === entry.to || pathname.startsWith(`${entry.to}/`);
}

/** The one entry the page belongs to: the longest that covers the path (/pipeline/signals is
 * Signals, not also Pipeline). */
export function activeEntry(entries: NavEntry[], pathname: string): NavEntry | undefined {
  return entries.filter((entry) => covers(entry, pathname)).sort((a, b) => b.to.length - a.to.length)[0];
}

/** The entries `role` may use: one with a role is hidden from lesser roles. Without an account (an
 * API key's tests of other features) every entry shows: the API is the authority. */
export function visibleEntries(entries: NavEntry[], account: { role: Role | null } | null): NavEntry[] {
  return entries.filter((entry) => !entry.role || account === null || roleAllows(account.role, entry.role));
}

/** Header (brand, realtime badge, feature items such as the bell, language, theme), left navigation
 * (a burger under 768 px) and the page. */
export function AppLayout({ features = registered }: { features?: Feature[] }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  useTopics(SHELL_TOPICS);
  useEffect(close, [pathname, close]);
  const entries = visibleEntries(navEntries(features), useAccount());
  const current = activeEntry(entries, pathname);
  const sections = (["research", "system", "admin"] as const).map((section) => ({ section, entries: entries.filter((e) => e.section === section) }));

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="sm" gap="xs" wrap="nowrap" justify="space-between">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t(opened ? "shell.closeNavigation" : "shell.openNavigation")}
              aria-expanded={opened}
              aria-controls="app-navigation"
            />
            <UnstyledButton component={Link} to="/" aria-label={t("shell.home")}>
              <Text fw={700} fz="lg" c="indigo.7" darkHidden>
                {t("app.name")}
              </Text>
              <Text fw={700} fz="lg" c="indigo.3" lightHidden>
                {t("app.name")}
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap={4} wrap="nowrap">
            <RealtimeBadge />
            {headerItems(features).map(({ Component }, index) => (
              <Component key={index} />
            ))}
            <LanguageToggle />
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar id="app-navigation" p="xs" aria-label={t("shell.navigation")}>
        <AppShell.Section grow style={{ overflowY: "auto" }}>
          <Stack gap="md">
            {sections
              .filter(({ entries }) => entries.length)
              .map(({ section, entries }) => (
                <Stack key={section} gap={2} component="nav" aria-label={t(`shell.sections.${section}`)}>
                  <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt={4}>
                    {t(`shell.sections.${section}`)}
                  </Text>
                  {entries.map((entry) => {
                    const active = entry === current;
                    const Icon = entry.icon;
                    return (
                      <Link key={entry.to} to={entry.to} className="tw-nav-link" data-active={active || undefined} aria-current={active ? "page" : undefined}>
                        <Icon size={18} stroke={1.6} aria-hidden />
                        <span>{t(entry.label)}</span>
                      </Link>
                    );
                  })}
                </Stack>
              ))}
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <PageErrorBoundary key={pathname}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </PageErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
