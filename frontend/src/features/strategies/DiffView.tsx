/** Two versions side by side, aligned line by line; changed lines carry a −/+ mark as well as colour. */
import { Button, Group, Switch, Table, Text } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Cell, changeCount, type DiffRow, foldUnchanged, sideBySide } from "./diff";
import classes from "./DiffView.module.css";

const MARK = { removed: "−", added: "+", same: " ", empty: " " } as const;

function Cells({ cell, first }: { cell: Cell; first?: boolean }) {
  const tone = cell.kind === "removed" ? classes.removed : cell.kind === "added" ? classes.added : cell.kind === "empty" ? classes.empty : "";
  return (
    <>
      <td className={`${classes.num} ${first ? "" : classes.sep} ${tone}`}>{cell.line ?? ""}</td>
      <td className={`${classes.code} ${tone}`} data-kind={cell.kind}>
        <span className={classes.mark} aria-hidden={cell.kind === "same" || cell.kind === "empty"}>
          {MARK[cell.kind]}
        </span>
        {cell.text}
      </td>
    </>
  );
}

export function DiffView({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const { t } = useTranslation("strategies");
  const rows = useMemo(() => sideBySide(before, after), [before, after]);
  const counts = changeCount(rows);
  const [all, setAll] = useState(false);
  const [opened, setOpened] = useState<Set<number>>(new Set());
  const parts = useMemo(() => foldUnchanged(rows), [rows]);
  return (
    <>
      <Group gap="md" mb="xs" justify="space-between">
        <Text size="sm" c="dimmed" data-testid="diff-summary">
          {counts.added + counts.removed === 0 ? t("history.identical") : t("history.changes", { added: counts.added, removed: counts.removed })}
        </Text>
        <Switch size="xs" label={t("history.allLines")} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      <Table.ScrollContainer
        minWidth={640}
        scrollAreaProps={{ viewportProps: { tabIndex: 0, role: "region", "aria-label": t("history.diffLabel", { before: beforeLabel, after: afterLabel }) } }}
      >
        <table className={classes.table} aria-label={t("history.diffLabel", { before: beforeLabel, after: afterLabel })} data-testid="diff" translate="no">
          <colgroup>
            <col style={{ width: "3.2rem" }} />
            <col />
            <col style={{ width: "3.2rem" }} />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" colSpan={2} style={{ textAlign: "left", padding: "4px 6px" }}>
                {beforeLabel}
              </th>
              <th scope="col" colSpan={2} style={{ textAlign: "left", padding: "4px 6px" }}>
                {afterLabel}
              </th>
            </tr>
          </thead>
          <tbody>
            {parts.map((part, p) =>
              "folded" in part && !all && !opened.has(p) ? (
                <tr key={`f${p}`}>
                  <td colSpan={4} className={classes.fold}>
                    <Button size="compact-xs" variant="subtle" onClick={() => setOpened(new Set(opened).add(p))}>
                      {t("history.unchanged", { count: part.folded.length })}
                    </Button>
                  </td>
                </tr>
              ) : (
                ("folded" in part ? part.folded : [part.row]).map((row: DiffRow, i) => (
                  <tr key={`${p}-${i}`}>
                    <Cells cell={row.left} first />
                    <Cells cell={row.right} />
                  </tr>
                ))
              ),
            )}
          </tbody>
        </table>
      </Table.ScrollContainer>
    </>
  );
}
