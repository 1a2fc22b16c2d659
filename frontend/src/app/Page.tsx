import { Alert, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useErrorMessage } from "./errors";

export { useErrorMessage } from "./errors";
export { PageLoader } from "./PageStates";

/** A page's title and description, then optional actions: on the right on a wide screen, under the
 * description on a phone (never between the title and what it says). */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group gap="sm" mb="md" align="flex-start" justify="space-between">
      <Stack gap={4} style={{ flex: "1 1 20rem", minWidth: 0 }}>
        <Title order={1} fz="h2">
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions}
    </Group>
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
