import { describe, expect, it } from "vitest";
import { changeCount, foldUnchanged, sideBySide } from "./diff";
import { pretty } from "./model";

describe("sideBySide", () => {
  it("aligns a changed line beside its replacement and keeps line numbers per side", () => {
    const before = pretty({ name: "a", parameters: { fast: { default: 10 } }, rules: [1] });
    const after = pretty({ name: "a", parameters: { fast: { default: 12 } }, rules: [1, 2] });
    const rows = sideBySide(before, after);
    const changed = rows.find((r) => r.left.kind === "removed")!;
    expect(changed.left.text.trim()).toBe('"default": 10');
    expect(changed.right).toMatchObject({ kind: "added", text: '      "default": 12' });
    expect(changed.left.line).toBe(changed.right.line);
    // the added array item has a blank cell opposite
    const addedOnly = rows.filter((r) => r.right.kind === "added" && r.left.kind === "empty");
    expect(addedOnly.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.left.line !== null).length).toBe(before.split("\n").length);
    expect(rows.filter((r) => r.right.line !== null).length).toBe(after.split("\n").length);
    expect(changeCount(rows).added).toBeGreaterThan(changeCount(rows).removed);
  });

  it("has no changes for equal texts", () => {
    const rows = sideBySide("a\nb\n", "a\nb\n");
    expect(rows).toHaveLength(2);
    expect(changeCount(rows)).toEqual({ added: 0, removed: 0 });
  });
});

describe("foldUnchanged", () => {
  it("folds long unchanged stretches and keeps three lines of context around changes", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const parts = foldUnchanged(sideBySide(before, after));
    const shown = parts.filter((p) => "row" in p).length;
    expect(shown).toBe(7); // the change and 3 lines each side
    expect(parts.filter((p) => "folded" in p).map((p) => ("folded" in p ? p.folded.length : 0))).toEqual([7, 6]);
  });
});
