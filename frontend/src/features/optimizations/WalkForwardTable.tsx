import { Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import type { WalkForwardReport } from "./useOptimizations";

type Window = {
  window: number;
  train: { start: string; end: string };
  test: { start: string; end: string };
  params: Record<string, unknown>;
  in_sample?: Record<string, number | null> | null;
  out_of_sample?: Record<string, number | null> | null;
  error?: string;
};

/** Each walk-forward window's in-sample winner and how it did out of sample, then the mean. */
export function WalkForwardTable({ report, metric }: { report: WalkForwardReport; metric: string }) {
  const { t } = useTranslation("optimizations");
  const format = useFormat();
  const label = t(`metrics.${metric}`, { defaultValue: metric });
  const windows = report.windows as unknown as Window[];
  const range = (r: { start: string; end: string }) => t("walkForward.range", { start: format.date(r.start), end: format.date(r.end) });
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped aria-label={t("walkForward.title")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" className="tw-num">
              {t("walkForward.window")}
            </Table.Th>
            <Table.Th scope="col">{t("walkForward.train")}</Table.Th>
            <Table.Th scope="col">{t("walkForward.test")}</Table.Th>
            <Table.Th scope="col">{t("walkForward.params")}</Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("walkForward.inSample", { metric: label })}
            </Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("walkForward.outOfSample", { metric: label })}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {windows.map((w) => (
            <Table.Tr key={w.window}>
              <Table.Th scope="row" className="tw-num">
                {w.window}
              </Table.Th>
              <Table.Td>{range(w.train)}</Table.Td>
              <Table.Td>{range(w.test)}</Table.Td>
              <Table.Td translate="no">
                {Object.entries(w.params ?? {})
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(", ")}
              </Table.Td>
              <Table.Td className="tw-num">{format.significant(w.in_sample?.[metric] ?? null)}</Table.Td>
              <Table.Td className="tw-num">
                {w.out_of_sample ? (
                  format.significant(w.out_of_sample[metric] ?? null)
                ) : (
                  <Text span size="xs" c="var(--tw-error)" translate="no">
                    {w.error ?? t("walkForward.none")}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={5}>
              {t("walkForward.overall")}
            </Table.Th>
            <Table.Td className="tw-num">{format.significant((report.out_of_sample as Record<string, number | null> | null)?.[metric] ?? null)}</Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
