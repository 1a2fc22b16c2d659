import { expect, it } from "vitest";
import { formatters } from "../../i18n/format";
import { formatMetric, groupMetrics, METRIC_GROUPS, METRIC_UNITS } from "./metrics";
import { parameterProblem, separators } from "./RunForm";

it("groups every metric of the catalogue once, and unknown ones under other", () => {
  const all = METRIC_GROUPS.flatMap((group) => group.metrics);
  expect(new Set(all).size).toBe(all.length);
  expect(new Set(all)).toEqual(new Set(Object.keys(METRIC_UNITS)));
  const groups = groupMetrics({ sharpe: 1, return_pct: 2, brand_new: 3 });
  expect(groups.map((g) => [g.id, g.metrics])).toEqual([
    ["returns", ["return_pct"]],
    ["riskAdjusted", ["sharpe"]],
    ["other", ["brand_new"]],
  ]);
});

it("formats by unit in the page's language", () => {
  const en = formatters("en");
  const fr = formatters("fr");
  expect(formatMetric(en, "return_pct", 12.345)).toBe("12.35%");
  expect(formatMetric(fr, "return_pct", 12.345)).toBe("12,35\u00a0%");
  expect(formatMetric(en, "equity_final", 11250.5)).toBe("11,250.5");
  expect(formatMetric(fr, "trades", 1234)).toBe("1\u202f234");
  expect(formatMetric(en, "sharpe", 1.234567)).toBe("1.235");
  expect(formatMetric(en, "probabilistic_sharpe", 0.9512)).toBe("95.1%");
  expect(formatMetric(en, "sharpe", null)).toBe("—");
  expect(formatMetric(en, "start", "2024-01-02T00:00:00Z")).toBe("Jan 2, 2024");
});

it("knows which parameter values the server refuses", () => {
  const int = { default: 10, min: 2, max: 50, type: "int" as const };
  expect(parameterProblem(int, 10)).toBeNull();
  expect(parameterProblem(int, 2.5)).toBe("whole");
  expect(parameterProblem(int, 51)).toBe("range");
  expect(parameterProblem(int, "")).toBe("number");
  expect(parameterProblem({ default: 0.5, type: "float" as const }, 0.25)).toBeNull();
});

it("types numbers with the language's separators", () => {
  expect(separators("en")).toEqual({ thousandSeparator: ",", decimalSeparator: "." });
  expect(separators("fr")).toEqual({ thousandSeparator: "\u00a0", decimalSeparator: "," });
});
