import { Alert, Button, Center, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Api } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { MyInvitations } from "./MyInvitations";

/** `GET /me` failed (a revoked key, an API down): say so, with a way out. */
export function Blocked({ error, onSignOut }: { error: unknown; onSignOut: () => void }) {
  const { t } = useTranslation("accounts");
  const message = useErrorMessage();
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper p="lg" maw={460} w="100%" shadow="sm">
        <Stack gap="sm">
          <Title order={1} fz="h3">
            {t("blocked.title")}
          </Title>
          <Alert color="red" variant="light" role="alert">
            {message(error)}
          </Alert>
          <Button onClick={onSignOut}>{t("menu.signOut")}</Button>
        </Stack>
      </Paper>
    </Center>
  );
}

/** A person who belongs to no organisation yet: their invitations, to accept. */
export function NoOrganisation({ api }: { api: Api }) {
  const { t } = useTranslation("accounts");
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper p="lg" maw={560} w="100%" shadow="sm">
        <Stack gap="sm">
          <Title order={1} fz="h3">
            {t("noOrg.title")}
          </Title>
          <Text size="sm">{t("noOrg.body")}</Text>
          <MyInvitations api={api} />
        </Stack>
      </Paper>
    </Center>
  );
}
