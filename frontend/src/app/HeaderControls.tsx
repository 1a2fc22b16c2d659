import { ActionIcon, useComputedColorScheme, useMantineColorScheme } from "@mantine/core";
import { IconMoon, IconSun } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { LANGUAGES } from "../i18n";

/** EN ⇄ FR in one click (remembered in localStorage and set on <html lang>, see src/i18n); the button
 * shows the language it switches to. Settings has the full choice. */
export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? "en";
  const next = LANGUAGES[(LANGUAGES.indexOf(current as (typeof LANGUAGES)[number]) + 1) % LANGUAGES.length];
  const label = t("header.switchLanguage", { language: t(`languages.${next}`, { lng: next }) });
  return (
    <ActionIcon
      variant="subtle"
      color="gray"
      size="lg"
      aria-label={label}
      title={label}
      onClick={() => void i18n.changeLanguage(next)}
      data-testid="language-toggle"
      lang={next}
    >
      <span aria-hidden="true" style={{ fontSize: 12, fontWeight: 700 }}>
        {next.toUpperCase()}
      </span>
    </ActionIcon>
  );
}

/** Light / dark, remembered by Mantine's color scheme manager. */
export function ThemeToggle() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme("light", { getInitialValueInEffect: false });
  const next = scheme === "dark" ? "light" : "dark";
  const label = t(next === "dark" ? "header.darkTheme" : "header.lightTheme");
  return (
    <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} title={label} onClick={() => setColorScheme(next)} data-testid="theme-toggle">
      {scheme === "dark" ? <IconSun size={20} stroke={1.6} /> : <IconMoon size={20} stroke={1.6} />}
    </ActionIcon>
  );
}
