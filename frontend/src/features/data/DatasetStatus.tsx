import { Alert, Badge, Group, Loader, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Dataset } from "../../api/client";
import { useFormat } from "../../i18n/format";

const STATUS_COLORS: Record<Dataset["status"], string> = {
  awaiting_upload: "gray",
  queued: "blue",
  importing: "blue",
  ready: "teal",
  failed: "red",
};

/** A dataset's import status (a spinner while it is queued or importing). */
export function StatusBadge({ status }: { status: Dataset["status"] }) {
  const { t } = useTranslation("data");
  const busy = status === "queued" || status === "importing";
  return (
    <Badge
      size="sm"
      variant="light"
      color={STATUS_COLORS[status] ?? "gray"}
      leftSection={busy ? <Loader size={10} color="currentColor" aria-hidden /> : undefined}
      data-status={status}
      miw="max-content"
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

/** Why an import failed: the server's message at its row and column (header = row 1). */
export function ImportErrorAlert({ error }: { error: NonNullable<Dataset["error"]> }) {
  const { t } = useTranslation("data");
  const format = useFormat();
  return (
    <Alert color="red" variant="light" title={t("importError.title")} role="alert" data-testid="import-error">
      <Group gap="xs" mb={4} wrap="wrap">
        {error.row != null && (
          <Badge size="sm" color="red" variant="outline" data-testid="import-error-row" style={{ textTransform: "none" }}>
            {t("importError.row", { row: format.integer(error.row) })}
          </Badge>
        )}
        {error.column != null && (
          <Badge size="sm" color="red" variant="outline" data-testid="import-error-column" style={{ textTransform: "none" }}>
            {t("importError.column")} <span translate="no">{error.column}</span>
          </Badge>
        )}
        {error.count != null && error.count > 1 && (
          <Text size="xs" c="dimmed">
            {t("importError.count", { count: error.count, formatted: format.integer(error.count) })}
          </Text>
        )}
      </Group>
      {/* The server's own words (English): content, not interface. */}
      <Text size="sm" translate="no" style={{ wordBreak: "break-word" }}>
        {error.message}
      </Text>
    </Alert>
  );
}
