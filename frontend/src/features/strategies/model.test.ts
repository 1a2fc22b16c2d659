import { describe, expect, it } from "vitest";
import { conditionWithOp, freshName, renameKey, renameReferences, setIn, type StrategyDoc } from "./model";

const DOC: StrategyDoc = {
  name: "x",
  parameters: { fast: { default: 10 }, slow: { default: 30 } },
  constraints: [{ left: "fast", op: "<", right: "slow" }],
  indicators: { m: { kind: "macd", params: { fast: { param: "fast" } } }, s: { kind: "sma", source: "m.signal", params: { window: 3 } } },
  rules: [
    {
      id: "a",
      when: {
        op: "all",
        of: [
          { op: "crosses_above", left: "m.line", right: "m" },
          { op: "not", of: { op: "between", left: "close", lower: { param: "fast" }, upper: "s" } },
        ],
      },
      action: "buy",
    },
  ],
  sizing: { mode: "units", value: { param: "fast" } },
};

describe("document edits", () => {
  it("sets and removes at a path without touching the rest", () => {
    const next = setIn(DOC, ["parameters", "fast", "min"], 2);
    expect(next.parameters!.fast).toEqual({ default: 10, min: 2 });
    expect(next.rules).toBe(DOC.rules);
    expect(setIn(next, ["parameters", "fast", "min"], undefined).parameters!.fast).toEqual({ default: 10 });
  });

  it("renames a key in place and refuses a taken name", () => {
    expect(Object.keys(renameKey(DOC, ["parameters"], "fast", "quick").parameters!)).toEqual(["quick", "slow"]);
    expect(renameKey(DOC, ["parameters"], "fast", "slow")).toBe(DOC);
    expect(freshName("rule", ["rule", "rule_2"])).toBe("rule_3");
  });

  it("makes references follow a renamed parameter", () => {
    const next = renameReferences(renameKey(DOC, ["parameters"], "fast", "quick"), "parameter", "fast", "quick");
    expect(next.constraints![0]).toEqual({ left: "quick", op: "<", right: "slow" });
    expect(next.indicators!.m.params!.fast).toEqual({ param: "quick" });
    expect(next.sizing!.value).toEqual({ param: "quick" });
    expect(JSON.stringify(next)).not.toContain('"fast"}');
  });

  it("makes series references follow a renamed indicator, outputs included", () => {
    const next = renameReferences(renameKey(DOC, ["indicators"], "m", "macd1"), "indicator", "m", "macd1");
    const when = next.rules[0].when as unknown as { of: [{ left: string; right: string }, { of: { upper: string } }] };
    expect([when.of[0].left, when.of[0].right]).toEqual(["macd1.line", "macd1"]);
    expect(next.indicators!.s.source).toBe("macd1.signal");
    expect(when.of[1].of.upper).toBe("s");
  });

  it("keeps operands and children when an operator changes", () => {
    const cmp = { op: ">" as const, left: "close", right: 5 };
    expect(conditionWithOp(cmp, "between")).toEqual({ op: "between", left: "close", lower: 5, upper: 0 });
    const group = conditionWithOp(cmp, "all");
    expect(group).toEqual({ op: "all", of: [cmp] });
    expect(conditionWithOp(group, "not")).toEqual({ op: "not", of: cmp });
    expect(conditionWithOp(group, "<")).toEqual({ op: "<", left: "close", right: 0 });
  });
});
