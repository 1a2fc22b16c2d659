import { Button, Paper, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { NeedsRole } from "../accounts/NeedsRole";

/** The Settings page's way to the organisation's alert channels (they have their own page). */
export function IntegrationsLink() {
  const { t } = useTranslation("channels");
  return (
    <Paper p="md" component="section" aria-labelledby="integrations-title">
      <Title order={2} fz="h4" id="integrations-title" mb={4}>
        {t("link.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("link.description")}
      </Text>
      <NeedsRole role="admin">
        <Button component={Link} to="/integrations" variant="default">
          {t("link.open")}
        </Button>
      </NeedsRole>
    </Paper>
  );
}
