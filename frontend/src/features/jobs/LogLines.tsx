/** A job's log as it grows (`job.log` on `job:<id>`, see `useJobLog`): time, level and message with
 * its fields, newest last, in a scrolling `role="log"` region that screen readers announce. Shared by
 * the job page and the Commands page's current run. */
import { Badge, Code, Group, ScrollArea, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import type { LogLine } from "./api";

const LEVEL_COLORS: Record<string, string> = { debug: "gray", info: "blue", warning: "orange", error: "red" };

function fieldsText(fields: LogLine["fields"]): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" ");
}

export function LogLines({ lines, label, maxHeight = 360 }: { lines: LogLine[]; label: string; maxHeight?: number }) {
  const { t } = useTranslation("jobs");
  const format = useFormat();
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" tabIndex={0} aria-label={label}>
      <div role="log" aria-live="polite" aria-label={label} data-testid="job-log">
        <Stack component="ol" gap={2} p={0} m={0} style={{ listStyle: "none" }}>
          {lines.map((line) => (
            <li key={line.seq} data-testid="log-line">
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Text size="xs" c="dimmed" className="tw-num" style={{ whiteSpace: "nowrap" }}>
                  {format.time(line.time)}
                </Text>
                <Badge size="xs" variant="light" color={LEVEL_COLORS[line.level] ?? "gray"} style={{ flexShrink: 0 }}>
                  {t(`levels.${line.level}`)}
                </Badge>
                <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                  {line.message}
                  {Object.keys(line.fields).length > 0 && (
                    <Code ml={6} fz="xs">
                      {fieldsText(line.fields)}
                    </Code>
                  )}
                </Text>
              </Group>
            </li>
          ))}
        </Stack>
      </div>
    </ScrollArea.Autosize>
  );
}
