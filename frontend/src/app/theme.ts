import { type CSSVariablesResolver, createTheme, localStorageColorSchemeManager } from "@mantine/core";

export const colorSchemeManager = localStorageColorSchemeManager({ key: "tradewind.colorScheme" });

/** Dense and calm: small radius, compact tables with tabular figures, one accent colour. */
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: "sm",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  headings: { fontWeight: "600" },
  components: {
    Table: { defaultProps: { fz: "sm", verticalSpacing: 6, horizontalSpacing: "sm", highlightOnHover: true } },
    Paper: { defaultProps: { withBorder: true, radius: "md" } },
    Badge: { defaultProps: { radius: "sm" } },
    // Long labels (French) wrap inside the control rather than push it past a phone's width.
    SegmentedControl: { styles: { root: { maxWidth: "100%" }, control: { flex: "1 1 auto" }, label: { whiteSpace: "normal" } } },
  },
});

/** Readable text in both schemes (WCAG AA): secondary text, and the text of light badges and
 * subtle buttons, which Mantine draws in shade 6 (too pale on white for teal, yellow, orange…). */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    ...Object.fromEntries(
      Object.keys(resolved.colors).map((color) => [`--mantine-color-${color}-light-color`, `color-mix(in srgb, var(--mantine-color-${color}-9) 70%, black)`]),
    ),
  },
  dark: { "--mantine-color-dimmed": "var(--mantine-color-dark-1)" },
});
