import { Button, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title, useMantineColorScheme } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/ApiContext";
import { PageHeader } from "../../app/Page";
import { LANGUAGE_NAMES, LANGUAGES } from "../../i18n";
import { IntegrationsLink } from "../channels/IntegrationsLink";
import { ApiKeys } from "./ApiKeys";
import { OrgSettings } from "./OrgSettings";

/** Language and theme, this browser, API keys and the organisation's settings. */
export function SettingsPage() {
  const { t } = useTranslation("settings");
  return (
    <>
      <PageHeader title={t("title")} />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Appearance />
          <ThisBrowser />
        </SimpleGrid>
        <ApiKeys />
        <OrgSettings />
        <IntegrationsLink />
      </Stack>
    </>
  );
}

function Appearance() {
  const { t, i18n } = useTranslation("settings");
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Paper p="md" component="section" aria-labelledby="appearance-title">
      <Title order={2} fz="h4" id="appearance-title" mb="sm">
        {t("appearance")}
      </Title>
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={500} id="language-label" mb={4}>
            {t("language")}
          </Text>
          <SegmentedControl
            aria-labelledby="language-label"
            value={i18n.resolvedLanguage ?? "en"}
            onChange={(lang) => void i18n.changeLanguage(lang)}
            data={LANGUAGES.map((lang) => ({ value: lang, label: LANGUAGE_NAMES[lang] }))}
          />
        </div>
        <div>
          <Text size="sm" fw={500} id="theme-label" mb={4}>
            {t("theme")}
          </Text>
          <SegmentedControl
            aria-labelledby="theme-label"
            value={colorScheme}
            onChange={(value) => setColorScheme(value as "light" | "dark" | "auto")}
            data={[
              { value: "light", label: t("themes.light") },
              { value: "dark", label: t("themes.dark") },
              { value: "auto", label: t("themes.auto") },
            ]}
          />
        </div>
      </Stack>
    </Paper>
  );
}

function ThisBrowser() {
  const { t } = useTranslation("settings");
  const { signOut } = useSession();
  return (
    <Paper p="md" component="section" aria-labelledby="browser-title">
      <Title order={2} fz="h4" id="browser-title" mb="sm">
        {t("browser.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {signOut ? t("browser.stored") : t("browser.fromConfig")}
      </Text>
      {signOut && (
        <Button variant="default" onClick={signOut}>
          {t("browser.forget")}
        </Button>
      )}
    </Paper>
  );
}

export default SettingsPage;
