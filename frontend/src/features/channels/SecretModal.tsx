import { Button, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** A webhook's signing secret, shown once after it was generated (create, or rotate). */
export function SecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation("channels");
  const { t: common } = useTranslation();
  return (
    <Modal opened={secret !== null} onClose={onClose} title={t("secret.title")} closeButtonProps={{ "aria-label": common("actions.close") }}>
      <Stack gap="sm">
        <Text size="sm">{t("secret.body")}</Text>
        <Code block data-testid="signing-secret" translate="no">
          {secret}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={secret ?? ""}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t("secret.copied") : t("secret.copy")}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t("secret.done")}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
