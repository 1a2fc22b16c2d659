import { Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { LanguageToggle, ThemeToggle } from "../../app/HeaderControls";

/** Asks for an API key when the deployment's config.json does not carry one (it never does in AWS). */
export function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useTranslation("auth");
  const [key, setKey] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <form onSubmit={submit} aria-label={t("title")}>
      <Stack gap="sm">
        <PasswordInput
          label={t("label")}
          description={t("hint")}
          autoComplete="off"
          placeholder="tw_…"
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
        <Button type="submit" disabled={!key.trim()}>
          {t("submit")}
        </Button>
      </Stack>
    </form>
  );
}

/** The signed-out page: the key form, with the language and theme switches. */
export function KeyPage({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useTranslation("auth");
  const { t: common } = useTranslation();
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper p="lg" w="100%" maw={420} shadow="sm">
        <Group justify="space-between" mb="md" wrap="nowrap">
          <Title order={1} fz="h3">
            {common("app.name")}
          </Title>
          <Group gap={4}>
            <LanguageToggle />
            <ThemeToggle />
          </Group>
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          {t("intro")}
        </Text>
        <KeyForm onKey={onKey} />
      </Paper>
    </Center>
  );
}
