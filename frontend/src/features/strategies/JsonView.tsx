/** The document as JSON text: a plain, accessible monospace editor. Problems are listed with their
 * line; choosing one puts the cursor on it. */
import { List, Stack, Text, Textarea, UnstyledButton } from "@mantine/core";
import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import classes from "./StrategyPage.module.css";
import { jsonPositions, lineOf, offsetOf } from "./locate";
import type { StrategyEditor } from "./useStrategyEditor";

export function JsonView({ editor }: { editor: StrategyEditor }) {
  const { t } = useTranslation("strategies");
  const area = useRef<HTMLTextAreaElement>(null);
  const { text, parseError, problems } = editor;
  const located = useMemo(() => {
    if (parseError) return [];
    let positions;
    try {
      positions = jsonPositions(text);
    } catch {
      return [];
    }
    return problems.all.map((p) => {
      const offset = offsetOf(positions, p.at);
      return { ...p, offset, line: lineOf(text, offset) };
    });
  }, [text, parseError, problems]);

  const lines = text.split("\n").length;
  const goTo = (offset: number) => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(offset, offset);
    const line = lineOf(text, offset);
    el.scrollTop = Math.max(0, (line - 3) * parseFloat(getComputedStyle(el).lineHeight || "18"));
  };

  const error = parseError
    ? t("json.parseError", { line: parseError.line, message: parseError.message })
    : located.length
      ? t("json.problems", { count: located.length })
      : undefined;

  return (
    <Stack gap="xs">
      <Textarea
        ref={area}
        id="strategy-json"
        label={t("json.label")}
        description={t("json.hint")}
        value={text}
        onChange={(e) => editor.setText(e.currentTarget.value)}
        error={error}
        rows={Math.min(40, Math.max(12, lines + 1))}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        translate="no"
        data-lines={lines}
        styles={{
          input: {
            fontFamily: "var(--mantine-font-family-monospace)",
            fontSize: 12.5,
            lineHeight: 1.45,
            whiteSpace: "pre",
            overflowX: "auto",
            color: "var(--mantine-color-text)",
          },
        }}
      />
      {located.length > 0 && (
        <List size="sm" spacing={2} aria-label={t("json.problemList")} data-testid="json-problems">
          {located.map((p, i) => (
            <List.Item key={i}>
              <UnstyledButton onClick={() => goTo(p.offset)} className={classes.problemLink}>
                {t("json.line", { line: p.line })}
              </UnstyledButton>{" "}
              <Text span size="sm" ff="monospace" translate="no">
                {p.key || "$"}
              </Text>
              {": "}
              <Text span size="sm" c="var(--tw-error)" translate="no">
                {p.msg}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

export default JsonView;
