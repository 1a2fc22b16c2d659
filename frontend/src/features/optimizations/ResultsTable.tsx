import { Table, Text, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/Page";
import { type Formatters, useFormat } from "../../i18n/format";
import { BLOCK, type SortOrder, type TablePage, usePrefetchTableBlock, useTableBlock } from "./useOptimizations";

const WF_WINDOW = "wf_window";

/** Fixed (the virtualizer never measures a row); `.tw-rows td` in styles.css has the same height. */
export const ROW_HEIGHT = 34;
/** Rows rendered beyond each edge of the view: enough for a wheel step, few enough per frame. */
const OVERSCAN = 3;
/** The next block (either way) is fetched once the view is this many rows from its block's edge. */
const LOOKAHEAD = 150;
const VIEW_HEIGHT = 520;
/** The same widths as `.tw-rows td` in styles.css (the header's cells and the rows' line up). */
const RANK_WIDTH = 64;
const COLUMN_WIDTH = 112;

type Row = TablePage["rows"][number];

interface Props {
  jobId: string;
  title: string;
  objective: { metric: string; direction: "maximize" | "minimize" };
  onPick: (combination: number) => void;
}

/** The full table of an optimization (every combination), sorted on the server by any column and
 * virtualized: only the rows in view are in the DOM, fetched a block of 500 at a time. A row (its
 * first cell is a button) backtests that combination. Mantine draws the header; the rows are plain
 * `tr`/`td` with CSS classes (`.tw-rows` in styles.css) and memoized, since a scroll renders a
 * viewport of new rows per frame and a Mantine cell costs a context read and style props each. */
export function ResultsTable({ jobId, title, objective, onPick }: Props) {
  const { t } = useTranslation("optimizations");
  const format = useFormat();
  const [sort, setSort] = useState<{ column: string; order: SortOrder } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const first = useTableBlock(jobId, 0, sort?.column, sort?.order);
  const head = first.data;
  const total = head?.total ?? 0;
  // eslint-disable-next-line react-hooks/incompatible-library -- the table re-renders on scroll by design
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const firstBlock = items.length ? Math.floor(items[0].index / BLOCK) : 0;
  const lastBlock = items.length ? Math.floor(items[items.length - 1].index / BLOCK) : 0;
  const a = useTableBlock(jobId, firstBlock, sort?.column, sort?.order, Boolean(head) && firstBlock > 0);
  const b = useTableBlock(jobId, lastBlock, sort?.column, sort?.order, Boolean(head) && lastBlock > 0 && lastBlock !== firstBlock);
  const blocks: Record<number, TablePage | undefined> = {
    0: head,
    [firstBlock]: firstBlock ? a.data : head,
    [lastBlock]: lastBlock === firstBlock ? (firstBlock ? a.data : head) : b.data,
  };
  // Fetch the neighbouring block before the scroll reaches it, so its rows never wait on the network.
  const prefetch = usePrefetchTableBlock();
  const lowest = items.length ? items[0].index : 0;
  const highest = items.length ? items[items.length - 1].index : 0;
  const ahead = highest + LOOKAHEAD < total && (highest + LOOKAHEAD) % BLOCK < highest % BLOCK ? lastBlock + 1 : null;
  const behind = lowest >= LOOKAHEAD && lowest % BLOCK < LOOKAHEAD && firstBlock > 0 ? firstBlock - 1 : null;
  useEffect(() => {
    if (!head) return;
    if (ahead !== null) prefetch(jobId, ahead, sort?.column, sort?.order);
    if (behind !== null) prefetch(jobId, behind, sort?.column, sort?.order);
  }, [head, ahead, behind, jobId, sort, prefetch]);
  const rowAt = (index: number): Row | undefined => blocks[Math.floor(index / BLOCK)]?.rows[index % BLOCK];
  // The same columns while the same block 0 is shown, so memoized rows skip re-rendering.
  const columns = useMemo(() => (head ? ["combination", ...(head.windowed ? [WF_WINDOW] : []), ...head.params, ...head.metrics] : []), [head]);
  const isMetric = useMemo(() => new Set(head?.metrics), [head]);
  // Stable handlers for the rows: the latest props and total are read when called.
  const latest = useRef({ onPick, total });
  latest.current = { onPick, total };
  const pick = useCallback((combination: number) => latest.current.onPick(combination), []);
  const buttonLabel = useCallback((rank: string, n: number) => t("table.backtest", { rank, n }), [t]);
  const label = useCallback(
    (c: string) =>
      isMetric.has(c) ? t(`metrics.${c}`, { defaultValue: c }) : c === "combination" ? t("table.combination") : c === WF_WINDOW ? t("table.window") : c,
    [isMetric, t],
  );
  const sorted = useRef({ head, objective });
  sorted.current = { head, objective };
  const onSort = useCallback((c: string) => {
    const { head: shown, objective: goal } = sorted.current;
    const defaultOrder: SortOrder = shown?.metrics.includes(c) && !(c === goal.metric && goal.direction === "minimize") ? "desc" : "asc";
    setSort({ column: c, order: c === shown?.sort ? (shown.order === "asc" ? "desc" : "asc") : defaultOrder });
    if (scroller.current) scroller.current.scrollTop = 0;
  }, []);
  const onRowKey = useCallback(
    (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      event.preventDefault();
      const next = Math.max(0, Math.min(latest.current.total - 1, index + (event.key === "ArrowDown" ? 1 : -1)));
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scroller.current?.querySelector<HTMLButtonElement>(`[data-row="${next}"]`)?.focus());
    },
    [virtualizer],
  );
  // Rows are keyed by their slot in the view, so a scrolled frame rewrites their text in place
  // instead of creating and discarding every cell (that garbage dropped frames). Focus belongs to a
  // combination, not to a slot: it follows its row while in view, else goes to the scroller.
  const focusedRow = useRef<number | null>(null);
  const onRowFocus = useCallback((index: number | null) => {
    focusedRow.current = index;
  }, []);
  useLayoutEffect(() => {
    const box = scroller.current;
    const active = document.activeElement;
    const wanted = focusedRow.current;
    if (!box || wanted === null || !(active instanceof HTMLElement) || !box.contains(active) || active.dataset.row === String(wanted)) return;
    (box.querySelector<HTMLButtonElement>(`[data-row="${wanted}"]`) ?? box).focus({ preventScroll: true });
  });

  if (first.error) return <ErrorAlert error={first.error} />;
  if (!head)
    return (
      <Text size="sm" c="dimmed">
        {t("table.loadingRow")}
      </Text>
    );
  const column = head.sort;
  const order = head.order as SortOrder;
  const width = RANK_WIDTH + columns.length * COLUMN_WIDTH;
  return (
    <>
      <Text size="sm" c="dimmed" mb={4} style={{ fontVariantNumeric: "tabular-nums" }} id={`table-caption-${jobId}`}>
        {t("table.caption", { count: total, formatted: format.integer(total), column: label(column), order: t(`table.orders.${order}`) }).replace(
          String(total),
          format.integer(total),
        )}
      </Text>
      <div
        ref={scroller}
        style={{
          height: Math.min(VIEW_HEIGHT, (total + 1) * ROW_HEIGHT + 4),
          overflow: "auto",
          overflowAnchor: "none",
          contain: "strict",
          border: "1px solid var(--mantine-color-default-border)",
          borderRadius: 4,
        }}
        data-testid="results-scroller"
        tabIndex={-1}
      >
        <Table
          aria-label={t("table.label", { title })}
          aria-describedby={`table-caption-${jobId}`}
          aria-rowcount={total + 1}
          style={{ display: "grid", width, minWidth: "100%" }}
          verticalSpacing={0}
        >
          <Header columns={columns} isMetric={isMetric} column={column} order={order} label={label} onSort={onSort} />
          <tbody className="tw-rows" style={{ height: virtualizer.getTotalSize(), paddingTop: items.length ? items[0].start : 0 }}>
            {items.map((item, slot) => (
              <ResultRow
                key={slot}
                index={item.index}
                row={rowAt(item.index)}
                columns={columns}
                isMetric={isMetric}
                format={format}
                pick={pick}
                onKey={onRowKey}
                onFocus={onRowFocus}
                loading={t("table.loadingRow")}
                buttonLabel={buttonLabel}
              />
            ))}
          </tbody>
        </Table>
      </div>
    </>
  );
}

interface HeaderProps {
  columns: string[];
  isMetric: Set<string>;
  column: string;
  order: SortOrder;
  label: (column: string) => string;
  onSort: (column: string) => void;
}

/** The sortable header (Mantine), re-rendered only when the columns, the sort or the language change:
 * not on every scrolled frame. */
const Header = memo(function Header({ columns, isMetric, column, order, label, onSort }: HeaderProps) {
  const { t } = useTranslation("optimizations");
  return (
    <Table.Thead style={{ display: "grid", position: "sticky", top: 0, zIndex: 1, background: "var(--mantine-color-body)" }}>
      <Table.Tr style={{ display: "flex", height: ROW_HEIGHT }} aria-rowindex={1}>
        <Table.Th scope="col" className="tw-num tw-head">
          {t("table.rank")}
        </Table.Th>
        {columns.map((c) => (
          <Table.Th key={c} scope="col" className="tw-num tw-head" aria-sort={c === column ? (order === "asc" ? "ascending" : "descending") : "none"}>
            <UnstyledButton
              onClick={() => onSort(c)}
              aria-label={t("table.sortBy", { column: label(c) })}
              fz="xs"
              fw={700}
              style={{ display: "inline-flex", alignItems: "center", gap: 2, maxWidth: "100%" }}
              title={label(c)}
            >
              <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} translate={isMetric.has(c) ? undefined : "no"}>
                {label(c)}
              </span>
              {c === column && (order === "asc" ? <IconArrowUp size={12} aria-hidden /> : <IconArrowDown size={12} aria-hidden />)}
            </UnstyledButton>
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
});

interface RowProps {
  index: number;
  row: Row | undefined;
  columns: string[];
  isMetric: Set<string>;
  format: Formatters;
  pick: (combination: number) => void;
  onKey: (event: KeyboardEvent<HTMLButtonElement>, index: number) => void;
  onFocus: (index: number | null) => void;
  loading: string;
  /** Starts with the rank the button shows, so its accessible name contains its visible text. */
  buttonLabel: (rank: string, combination: number) => string;
}

/** One slot of the view: plain cells, re-rendered when the slot shows another row, or when its
 * data, columns or language change. */
const ResultRow = memo(function ResultRow({ index, row, columns, isMetric, format, pick, onKey, onFocus, loading, buttonLabel }: RowProps) {
  const onClick = row ? () => pick(row.combination) : undefined;
  const rank = format.integer(index + 1);
  return (
    <tr aria-rowindex={index + 2} data-testid="results-row" data-striped={index % 2 === 0 || undefined}>
      <td className="tw-num">
        {row ? (
          <button
            type="button"
            className="tw-row-button tw-num"
            data-row={index}
            onClick={onClick}
            onKeyDown={(e) => onKey(e, index)}
            onFocus={() => onFocus(index)}
            onBlur={() => onFocus(null)}
            aria-label={buttonLabel(rank, row.combination)}
          >
            {rank}
          </button>
        ) : (
          loading
        )}
      </td>
      {columns.map((c) => (
        <td key={c} className="tw-num" onClick={onClick} data-pick={row ? true : undefined}>
          {row ? cellText(format, row, c, isMetric.has(c)) : ""}
        </td>
      ))}
    </tr>
  );
});

function cellText(format: ReturnType<typeof useFormat>, row: Row, column: string, metric: boolean): string {
  if (column === "combination") return String(row.combination);
  if (column === WF_WINDOW) return row.window === null || row.window === undefined ? "" : String(row.window);
  if (metric) return format.significant(row.metrics[column] ?? null);
  const value = row.params[column];
  return typeof value === "number" ? format.number(value, 6) : String(value);
}
