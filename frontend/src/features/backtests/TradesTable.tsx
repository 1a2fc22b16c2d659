import { Badge, Group, Pagination, Table, Text, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconArrowsSort } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, PageLoader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type Trade, TRADES_CAP, useAllTrades } from "./api";
import { visuallyHidden } from "./RowActions";

export const TRADES_PER_PAGE = 25;

type Column = "symbol" | "entry_time" | "exit_time" | "entry_price" | "exit_price" | "size" | "pnl" | "return_pct" | "fees" | "duration_bars" | "exit_reason";
const NUMERIC: ReadonlySet<Column> = new Set(["entry_price", "exit_price", "size", "pnl", "return_pct", "fees", "duration_bars"]);

/** Trades sorted by a column (missing values last, ties in entry order). */
export function sortTrades(trades: Trade[], column: Column, direction: "asc" | "desc"): Trade[] {
  const sign = direction === "asc" ? 1 : -1;
  return trades
    .map((trade, index) => ({ trade, index }))
    .sort((a, b) => {
      const x = a.trade[column];
      const y = b.trade[column];
      if (x === null || x === undefined) return y === null || y === undefined ? a.index - b.index : 1;
      if (y === null || y === undefined) return -1;
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map(({ trade }) => trade);
}

/** Every trade of a backtest (or of one symbol), sortable on any column, a page at a time. */
export function TradesTable({ jobId, symbol, showSymbol }: { jobId: string; symbol: string | null; showSymbol: boolean }) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const trades = useAllTrades(jobId, symbol, true);
  const [sort, setSort] = useState<{ column: Column; direction: "asc" | "desc" }>({ column: "entry_time", direction: "asc" });
  const [page, setPage] = useState(1);
  const sorted = useMemo(() => sortTrades(trades.data?.items ?? [], sort.column, sort.direction), [trades.data, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / TRADES_PER_PAGE));
  const shown = sorted.slice((page - 1) * TRADES_PER_PAGE, page * TRADES_PER_PAGE);
  const columns: Column[] = [
    ...(showSymbol ? (["symbol"] as Column[]) : []),
    "entry_time",
    "exit_time",
    "entry_price",
    "exit_price",
    "size",
    "pnl",
    "return_pct",
    "fees",
    "duration_bars",
    "exit_reason",
  ];

  const onSort = (column: Column) => {
    setSort((current) => ({
      column,
      direction: current.column === column && current.direction === "asc" ? "desc" : current.column === column ? "asc" : NUMERIC.has(column) ? "desc" : "asc",
    }));
    setPage(1);
  };

  if (trades.error) return <ErrorAlert error={trades.error} />;
  if (trades.isPending) return <PageLoader />;
  const total = trades.data.total;
  if (total === 0)
    return (
      <Text size="sm" c="dimmed">
        {t("trades.empty")}
      </Text>
    );
  return (
    <>
      <Text size="xs" c="dimmed" mb={4} data-testid="trades-total">
        {t("trades.count", { count: total, formatted: format.integer(total) })}
        {total > TRADES_CAP ? ` · ${t("trades.capped", { cap: format.integer(TRADES_CAP) })}` : ""}
      </Text>
      <Table.ScrollContainer minWidth={showSymbol ? 980 : 900}>
        <Table striped verticalSpacing={4} fz="xs" aria-label={symbol ? t("trades.labelOf", { symbol }) : t("trades.label")}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => {
                const active = sort.column === column;
                const Icon = !active ? IconArrowsSort : sort.direction === "asc" ? IconArrowUp : IconArrowDown;
                return (
                  <Table.Th
                    key={column}
                    className={NUMERIC.has(column) ? "tw-num" : undefined}
                    aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}
                  >
                    <UnstyledButton onClick={() => onSort(column)} fz="xs" fw={600} style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
                      {t(`trades.columns.${column}`)}
                      <Icon size={12} aria-hidden />
                      <span style={visuallyHidden}>{t("trades.sortBy")}</span>
                    </UnstyledButton>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((trade, i) => (
              <Table.Tr key={`${trade.symbol}-${trade.entry_time}-${i}`} data-testid="trade-row">
                {showSymbol && <Table.Td translate="no">{trade.symbol}</Table.Td>}
                <Table.Td style={{ whiteSpace: "nowrap" }}>{format.date(trade.entry_time)}</Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  {trade.is_open ? (
                    <Badge size="xs" variant="light">
                      {t("trades.open")}
                    </Badge>
                  ) : (
                    format.date(trade.exit_time)
                  )}
                </Table.Td>
                <Table.Td className="tw-num">{format.number(trade.entry_price, 4)}</Table.Td>
                <Table.Td className="tw-num">{format.number(trade.exit_price, 4)}</Table.Td>
                <Table.Td className="tw-num">{format.number(trade.size, 4)}</Table.Td>
                <Table.Td className="tw-num" c={tone(trade.pnl)}>
                  {format.number(trade.pnl, 2)}
                </Table.Td>
                <Table.Td className="tw-num" c={tone(trade.return_pct)}>
                  {trade.return_pct === null ? format.number(null) : format.percent(trade.return_pct / 100, 2)}
                </Table.Td>
                <Table.Td className="tw-num">{format.number(trade.fees, 2)}</Table.Td>
                <Table.Td className="tw-num">{format.integer(trade.duration_bars)}</Table.Td>
                <Table.Td>{t(`trades.reasons.${trade.exit_reason}`, { defaultValue: trade.exit_reason })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="flex-end" mt="xs">
          <Pagination
            total={pages}
            value={page}
            onChange={setPage}
            size="sm"
            siblings={1}
            getControlProps={(control) => ({ "aria-label": t(`trades.page.${control}`) })}
            getItemProps={(n) => ({ "aria-label": t("trades.page.number", { page: n }) })}
          />
        </Group>
      )}
    </>
  );
}

function tone(value: number | null): string | undefined {
  if (value === null || value === 0) return undefined;
  return value > 0 ? "var(--tw-ok, var(--mantine-color-teal-8))" : "var(--tw-error, var(--mantine-color-red-8))";
}
