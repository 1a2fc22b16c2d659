import { ActionIcon, useComputedColorScheme, useMantineColorScheme, VisuallyHidden } from "@mantine/core";
import { IconMoon, IconSun } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, LANGUAGES } from "../i18n";

/** EN ⇄ FR in one click (remembered in localStorage and set on <html lang>, see src/i18n); the button
 * shows the language it switches to. Settings has the full choice. */
export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? "en";
  const next = LANGUAGES[(LANGUAGES.indexOf(current as (typeof LANGUAGES)[number]) + 1) % LANGUAGES.length];
  const label = t("header.switchLanguage", { language: LANGUAGE_NAMES[next] });
  // The name is "Switch to Français FR": the visible code is part of it, as speech input expects.
  return (
    <ActionIcon variant="subtle" color="gray" size="lg" title={label} onClick={() => void i18n.changeLanguage(next)} data-testid="language-toggle">
      <VisuallyHidden>{label} </VisuallyHidden>
      <span style={{ fontSize: 12, fontWeight: 700 }}>{next.toUpperCase()}</span>
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
