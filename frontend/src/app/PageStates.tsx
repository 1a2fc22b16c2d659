/** What the shell itself shows around pages (part of the first load: keep it light). Page helpers
 * (title row, error alert) are in ./Page.tsx. */
import { Anchor, Center, Loader, Stack, Text, Title } from "@mantine/core";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useErrorMessage } from "./errors";

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader size="sm" aria-label={t("states.loading")} />
    </Center>
  );
}

/** What the error boundary shows (kept light: it is part of the first load). */
function PageFailed({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <Stack gap={4} role="alert">
      <Title order={1} fz="h3">
        {t("errors.title")}
      </Title>
      <Text c="var(--tw-error)">{message(error)}</Text>
    </Stack>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start">
      <Title order={1} fz="h2">
        {t("notFound.title")}
      </Title>
      <Text c="dimmed">{t("notFound.body")}</Text>
      <Anchor component={Link} to="/">
        {t("notFound.home")}
      </Anchor>
    </Stack>
  );
}

/** Catches what a page throws while rendering (or a page chunk that fails to load), so the shell
 * stays usable; reset by a new `key` (the app layout passes the path). */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  render() {
    return this.state.error ? <PageFailed error={this.state.error} /> : this.props.children;
  }
}
