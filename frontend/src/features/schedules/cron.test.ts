import { describe, expect, it } from "vitest";
import { DEFAULT_HELPER, expressionOf, helperOf } from "./cron";

describe("the cron helper", () => {
  it("builds rate, cron and at expressions as EventBridge Scheduler reads them", () => {
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "minutes", every: 1 })).toBe("rate(1 minute)");
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "hours", every: 6 })).toBe("rate(6 hours)");
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "daily", time: "09:05" })).toBe("cron(5 9 * * ? *)");
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "weekdays", time: "17:30" })).toBe("cron(30 17 ? * MON-FRI *)");
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "weekly", time: "08:00", day: "SUN" })).toBe("cron(0 8 ? * SUN *)");
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "once", at: "2030-01-02T09:00" })).toBe("at(2030-01-02T09:00:00)");
    expect(expressionOf({ ...DEFAULT_HELPER, preset: "custom", custom: " cron(0 0 1 * ? *) " })).toBe("cron(0 0 1 * ? *)");
  });

  it("reads back what it built, and anything else as custom", () => {
    for (const expression of [
      "rate(5 minutes)",
      "rate(1 hour)",
      "cron(5 9 * * ? *)",
      "cron(30 17 ? * MON-FRI *)",
      "cron(0 8 ? * SUN *)",
      "at(2030-01-02T09:00:00)",
    ]) {
      expect(expressionOf(helperOf(expression))).toBe(expression);
    }
    expect(helperOf("cron(0 0 1 * ? *)").preset).toBe("custom");
  });
});
