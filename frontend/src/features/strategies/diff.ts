/** Two texts side by side: jsdiff's line diff laid out as aligned rows (a removed block beside the
 * added block that replaced it, blank cells opposite pure additions or removals). */
import { diffLines } from "diff";

export type CellKind = "same" | "removed" | "added" | "empty";

export interface Cell {
  line: number | null;
  text: string;
  kind: CellKind;
}

export interface DiffRow {
  left: Cell;
  right: Cell;
}

const EMPTY: Cell = { line: null, text: "", kind: "empty" };

function split(value: string): string[] {
  const lines = value.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let leftLine = 1;
  let rightLine = 1;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const text of split(part.value)) rows.push({ left: { line: leftLine++, text, kind: "same" }, right: { line: rightLine++, text, kind: "same" } });
      continue;
    }
    let removed: string[] = [];
    let added: string[] = [];
    if (part.removed) {
      removed = split(part.value);
      if (parts[i + 1]?.added) added = split(parts[++i].value);
    } else added = split(part.value);
    for (let k = 0; k < Math.max(removed.length, added.length); k += 1) {
      rows.push({
        left: k < removed.length ? { line: leftLine++, text: removed[k], kind: "removed" } : EMPTY,
        right: k < added.length ? { line: rightLine++, text: added[k], kind: "added" } : EMPTY,
      });
    }
  }
  return rows;
}

export function changeCount(rows: DiffRow[]): { added: number; removed: number } {
  return {
    added: rows.filter((r) => r.right.kind === "added").length,
    removed: rows.filter((r) => r.left.kind === "removed").length,
  };
}

export type DiffPart = { row: DiffRow } | { folded: DiffRow[] };

/** Rows with long unchanged stretches folded, keeping `context` lines around each change. */
export function foldUnchanged(rows: DiffRow[], context = 3): DiffPart[] {
  const keep = rows.map((r) => r.left.kind !== "same");
  const near = rows.map((_, i) => keep.slice(Math.max(0, i - context), i + context + 1).some(Boolean));
  const parts: DiffPart[] = [];
  let run: DiffRow[] = [];
  const flush = () => {
    if (run.length > 1) parts.push({ folded: run });
    else if (run.length === 1) parts.push({ row: run[0] });
    run = [];
  };
  rows.forEach((row, i) => {
    if (near[i]) {
      flush();
      parts.push({ row });
    } else run.push(row);
  });
  flush();
  return parts;
}
