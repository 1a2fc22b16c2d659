import { Anchor, Badge, Button, Drawer, Group, NumberInput, Paper, Select, SimpleGrid, Table, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { ACTIONS, type Signal, type SignalFilters, SIDES, type SortKey, useExportSignals, usePipelineMessages, useRun, useSignals } from "./api";
import { runTitle } from "./RunParts";
import { SignalChart } from "./SignalChart";

const PAGE_SIZE = 100;
const SIDE_BADGE: Record<string, string> = { long: "teal", short: "red", flat: "gray" };
const COLUMNS: { key: SortKey | null; id: string; numeric?: boolean }[] = [
  { key: "time", id: "time" },
  { key: "symbol", id: "symbol" },
  { key: "side", id: "side" },
  { key: "action", id: "action" },
  { key: "rule", id: "rule" },
  { key: "strength", id: "strength", numeric: true },
  { key: null, id: "close", numeric: true },
];

/** Signals, latest across runs (`/pipeline/signals`) or one run's (`/pipeline/runs/:runId/signals`):
 * filtered, sorted and paged on the server, exported as CSV or JSON; a row opens its chart. */
export default function SignalsPage() {
  const { runId = null } = useParams();
  const { t } = useTranslation("pipeline");
  const format = useFormat();
  usePipelineMessages();
  const run = useRun(runId ?? "");
  const [runs, setRuns] = useState(1);
  const [symbol, setSymbol] = useState("");
  const [rule, setRule] = useState("");
  const [debouncedSymbol] = useDebouncedValue(symbol.trim().toUpperCase(), 250);
  const [debouncedRule] = useDebouncedValue(rule.trim(), 250);
  const [rest, setRest] = useState<Omit<SignalFilters, "symbol" | "rule">>({ sort: "time", order: "desc" });
  const filters: SignalFilters = { ...rest, symbol: debouncedSymbol || undefined, rule: debouncedRule || undefined };
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [filterKey, setFilterKey] = useState("");
  const key = JSON.stringify([filters, runs]);
  if (key !== filterKey) {
    // new filters: back to the first page
    setFilterKey(key);
    setPages([null]);
  }
  const token = pages[pages.length - 1];
  const latestFilters = runId ? filters : ({ ...filters, runs } as SignalFilters);
  const signals = useSignals(runId, latestFilters, token, PAGE_SIZE);
  const exporter = useExportSignals(runId);
  const [open, setOpen] = useState<Signal | null>(null);
  const items = signals.data?.items ?? [];
  const total = signals.data?.total ?? 0;
  const update = (changes: Partial<SignalFilters>) => setRest((current) => ({ ...current, ...changes }));
  const sortBy = (column: SortKey) =>
    update(
      rest.sort === column
        ? { order: rest.order === "asc" ? "desc" : "asc" }
        : { sort: column, order: column === "time" || column === "strength" ? "desc" : "asc" },
    );

  const title = runId ? t("signals.runTitle", { title: run.data ? runTitle(t, run.data) : runId }) : t("signals.title");
  return (
    <>
      <PageHeader
        title={title}
        description={
          runId ? (
            <Anchor component={Link} to={`/pipeline/runs/${runId}`} size="sm">
              {t("signals.backToRun")}
            </Anchor>
          ) : (
            t("signals.description")
          )
        }
        actions={
          <Group gap="xs">
            {(["csv", "json"] as const).map((f) => (
              <Button
                key={f}
                variant="default"
                leftSection={<IconDownload size={16} aria-hidden />}
                onClick={() => exporter.mutate({ filters: latestFilters, format: f, total })}
                loading={exporter.isPending && exporter.variables?.format === f}
                disabled={!signals.data || total === 0}
                aria-label={t("signals.exportLabel", { format: f.toUpperCase() })}
              >
                {t(`signals.export.${f}`)}
              </Button>
            ))}
          </Group>
        }
      />
      <Paper p="md" mb="md" component="section" aria-label={t("signals.filters")}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <TextInput label={t("signals.symbol")} value={symbol} onChange={(e) => setSymbol(e.currentTarget.value)} autoCapitalize="characters" />
          <Select
            label={t("signals.side")}
            placeholder={t("runs.any")}
            data={SIDES.map((s) => ({ value: s, label: t(`side.${s}`) }))}
            value={rest.side ?? null}
            onChange={(value) => update({ side: (value ?? undefined) as SignalFilters["side"] })}
            clearable
          />
          <Select
            label={t("signals.action")}
            placeholder={t("runs.any")}
            data={ACTIONS.map((a) => ({ value: a, label: t(`action.${a}`) }))}
            value={rest.action ?? null}
            onChange={(value) => update({ action: (value ?? undefined) as SignalFilters["action"] })}
            clearable
          />
          <TextInput label={t("signals.rule")} value={rule} onChange={(e) => setRule(e.currentTarget.value)} />
          <NumberInput
            label={t("signals.minStrength")}
            value={rest.min_strength ?? ""}
            onChange={(value) => update({ min_strength: value === "" ? undefined : Number(value) })}
            min={0}
            max={1}
            step={0.05}
            decimalScale={3}
          />
          <TextInput type="date" label={t("signals.from")} value={rest.start ?? ""} onChange={(e) => update({ start: e.currentTarget.value || undefined })} />
          <TextInput type="date" label={t("signals.to")} value={rest.end ?? ""} onChange={(e) => update({ end: e.currentTarget.value || undefined })} />
          {!runId && (
            <NumberInput
              label={t("signals.runs")}
              description={t("signals.runsHint")}
              value={runs}
              onChange={(value) => setRuns(Math.min(20, Math.max(1, Number(value) || 1)))}
              min={1}
              max={20}
              allowDecimal={false}
            />
          )}
        </SimpleGrid>
      </Paper>
      <Paper p="md" component="section" aria-labelledby="signals-table-title">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Text fw={600} id="signals-table-title" component="h2" fz="h4" m={0}>
            {t("signals.tableTitle")}
          </Text>
          <Text size="sm" c="dimmed" className="tw-num" data-testid="signals-total" data-total={signals.data ? total : undefined}>
            {t("signals.total", { count: total, formatted: format.integer(total) })}
          </Text>
        </Group>
        {signals.error && <ErrorAlert error={signals.error} />}
        {exporter.error && <ErrorAlert error={exporter.error} />}
        {signals.isPending && <PageLoader />}
        {signals.isSuccess && items.length === 0 && (
          <Text c="dimmed" size="sm">
            {t("signals.empty")}
          </Text>
        )}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing={4} fz="sm" highlightOnHover striped aria-labelledby="signals-table-title" data-testid="signals-table">
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((column) => {
                    const sorted = column.key !== null && rest.sort === column.key;
                    const Icon = sorted ? (rest.order === "asc" ? IconArrowUp : IconArrowDown) : IconArrowsSort;
                    return (
                      <Table.Th
                        key={column.id}
                        className={column.numeric ? "tw-num" : undefined}
                        aria-sort={sorted ? (rest.order === "asc" ? "ascending" : "descending") : undefined}
                      >
                        {column.key ? (
                          <UnstyledButton onClick={() => sortBy(column.key!)} fz="sm" fw={600} style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
                            {t(`signals.columns.${column.id}`)}
                            <Icon size={12} aria-hidden />
                          </UnstyledButton>
                        ) : (
                          t(`signals.columns.${column.id}`)
                        )}
                      </Table.Th>
                    );
                  })}
                  {!runId && <Table.Th>{t("signals.columns.run")}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((signal) => (
                  <Table.Tr
                    key={`${signal.run_id ?? ""}-${signal.symbol}-${signal.time}`}
                    onClick={() => setOpen(signal)}
                    style={{ cursor: "pointer" }}
                    data-testid="signal-row"
                    data-side={signal.side}
                    data-symbol={signal.symbol}
                  >
                    <Table.Td>
                      <Text size="sm" component="time" dateTime={signal.time} style={{ whiteSpace: "nowrap" }}>
                        {format.date(signal.time)}
                      </Text>
                    </Table.Td>
                    <Table.Td translate="no">
                      <UnstyledButton
                        onClick={(event) => {
                          event.stopPropagation();
                          setOpen(signal);
                        }}
                        fz="sm"
                        fw={600}
                        c="var(--mantine-color-anchor)"
                        aria-label={t("signals.openChart", { symbol: signal.symbol, time: format.date(signal.time) })}
                      >
                        {signal.symbol}
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={SIDE_BADGE[signal.side]}>
                        {t(`side.${signal.side}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t(`action.${signal.action}`)}</Table.Td>
                    <Table.Td translate="no" style={{ overflowWrap: "anywhere" }}>
                      {signal.rule}
                    </Table.Td>
                    <Table.Td className="tw-num">{format.number(signal.strength, 3)}</Table.Td>
                    <Table.Td className="tw-num">{format.number(signal.close, 2)}</Table.Td>
                    {!runId && (
                      <Table.Td>
                        {signal.run_id && (
                          <Anchor component={Link} to={`/pipeline/runs/${signal.run_id}`} size="xs" onClick={(e) => e.stopPropagation()} translate="no">
                            {signal.run_id.slice(-8)}
                          </Anchor>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group mt="sm" gap="xs">
          <Button variant="default" size="xs" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
            {t("runs.previous")}
          </Button>
          <Button variant="default" size="xs" disabled={!signals.data?.next_token} onClick={() => setPages((p) => [...p, signals.data?.next_token ?? null])}>
            {t("runs.next")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("runs.page", { page: pages.length })}
          </Text>
        </Group>
      </Paper>
      <Drawer
        opened={!!open}
        onClose={() => setOpen(null)}
        position="right"
        size="xl"
        title={open ? t("signals.chartTitle", { symbol: open.symbol }) : ""}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        {open && (runId ?? open.run_id) && <SignalChart signal={open} runId={(runId ?? open.run_id)!} />}
      </Drawer>
    </>
  );
}
