import { Alert, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useErrorMessage } from "./errors";

export { useErrorMessage } from "./errors";
export { PageLoader } from "./PageStates";

/** A page's title row: the heading, then optional actions on the right (wrapping on phones). */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Stack gap={4} mb="md">
      <div style={{ display: "flex", flexWrap: "wrap", gap: "var(--mantine-spacing-sm)", alignItems: "center", justifyContent: "space-between" }}>
        <Title order={1} fz="h2">
          {title}
        </Title>
        {actions}
      </div>
      {description && (
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      )}
    </Stack>
  );
}

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <Alert color="red" variant="light" title={title ?? t("errors.title")} role="alert">
      {message(error)}
    </Alert>
  );
}
