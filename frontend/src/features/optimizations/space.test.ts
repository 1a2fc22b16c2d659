import { describe, expect, it } from "vitest";
import { buildSpace, countOf, describeField, fieldProblems, initialField, type ParamField, type ParamSpec } from "./space";

const FAST: ParamSpec = { type: "int", default: 10, min: 2, max: 200, step: 1 };
const K: ParamSpec = { type: "float", default: 2, min: 1, max: 3, step: 0.5 };
const range = (min: string, max: string, step: string): ParamField => ({ mode: "range", min, max, step, list: "", value: "" });

describe("fieldProblems", () => {
  it("refuses a step of 0 or below, at the step", () => {
    expect(fieldProblems(FAST, range("5", "50", "0"))).toEqual([{ part: "step", code: "stepPositive" }]);
    expect(fieldProblems(FAST, range("5", "50", "-5"))).toEqual([{ part: "step", code: "stepPositive" }]);
    expect(fieldProblems(K, range("1", "3", "0"))).toEqual([{ part: "step", code: "stepPositive" }]);
  });

  it("refuses a fraction for an integer parameter, at the input that has it", () => {
    expect(fieldProblems(FAST, range("5", "50", "2.5"))).toEqual([{ part: "step", code: "integer" }]);
    expect(fieldProblems(FAST, range("5.5", "50", "5"))).toEqual([{ part: "min", code: "integer" }]);
    expect(fieldProblems(FAST, { ...range("", "", ""), mode: "list", list: "5, 7.5" })).toEqual([{ part: "list", code: "integer" }]);
    expect(fieldProblems(K, range("1", "3", "0.25"))).toEqual([]);
  });

  it("keeps values within the strategy's allowed range and in order; asks for missing numbers", () => {
    expect(fieldProblems(FAST, range("1", "50", "5"))).toEqual([{ part: "min", code: "belowMin", values: { min: 2 } }]);
    expect(fieldProblems(FAST, range("5", "500", "5"))).toEqual([{ part: "max", code: "aboveMax", values: { max: 200 } }]);
    expect(fieldProblems(FAST, range("50", "5", "5"))).toEqual([{ part: "max", code: "order" }]);
    expect(fieldProblems(FAST, range("", "50", "x"))).toEqual([
      { part: "min", code: "number" },
      { part: "step", code: "number" },
    ]);
    expect(fieldProblems(FAST, { ...range("", "", ""), mode: "list", list: " " })).toEqual([{ part: "list", code: "empty" }]);
  });
});

it("counts values as the API does and builds the space only when every field is valid", () => {
  expect(countOf(range("5", "50", "5"))).toBe(10);
  expect(countOf(range("1", "1.3", "0.1"))).toBe(4);
  expect(countOf({ ...range("", "", ""), mode: "list", list: "50, 100, 150" })).toBe(3);
  const params = { fast: FAST, k: K };
  const ok = buildSpace(params, { fast: range("5", "50", "5"), k: { ...range("", "", ""), mode: "list", list: "1.5, 2" } });
  expect(ok).toMatchObject({ valid: true, grid: 20, space: { fast: { min: 5, max: 50, step: 5 }, k: [1.5, 2] } });
  const bad = buildSpace(params, { fast: range("5", "50", "0") });
  expect(bad.valid).toBe(false);
  expect(Object.keys(bad.problems)).toEqual(["fast"]);
});

it("starts from the strategy's own sweep and describes a field briefly", () => {
  expect(initialField(FAST)).toMatchObject({ mode: "range", min: "2", max: "200", step: "1" });
  expect(initialField({ default: 3, choices: [1, 3, 5] })).toMatchObject({ mode: "list", list: "1, 3, 5" });
  expect(initialField({ default: 14 })).toMatchObject({ mode: "fixed", value: "14" });
  expect(describeField(range("5", "50", "5"))).toBe("5–50 / 5");
});
