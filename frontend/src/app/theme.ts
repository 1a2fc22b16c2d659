import { type CSSVariablesResolver, createTheme, localStorageColorSchemeManager } from "@mantine/core";

export const colorSchemeManager = localStorageColorSchemeManager({ key: "tradewind.colorScheme" });

/** Dense and calm: small radius, compact tables with tabular figures, one accent colour. */
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 4 },
  defaultRadius: "sm",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  headings: { fontWeight: "600" },
  components: {
    Table: { defaultProps: { fz: "sm", verticalSpacing: 6, horizontalSpacing: "sm", highlightOnHover: true } },
    Paper: { defaultProps: { withBorder: true, radius: "md" } },
    Badge: { defaultProps: { radius: "sm" } },
  },
});

/** Readable secondary text in both schemes (WCAG AA on the page and on cards). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: { "--mantine-color-dimmed": "var(--mantine-color-dark-1)" },
});
