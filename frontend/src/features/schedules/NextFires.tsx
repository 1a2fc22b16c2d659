/** The next fire times of an expression in its zone, shown in the reader's own time and language. */
import { List, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";

export function NextFires({ times, testId = "next-fires" }: { times: string[]; testId?: string }) {
  const { t } = useTranslation("schedules");
  const format = useFormat();
  if (times.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t("noNextFires")}
      </Text>
    );
  return (
    <List size="sm" data-testid={testId} aria-label={t("nextFires")}>
      {times.map((time) => (
        <List.Item key={time} className="tw-num">
          {format.dateTime(time)}
        </List.Item>
      ))}
    </List>
  );
}
