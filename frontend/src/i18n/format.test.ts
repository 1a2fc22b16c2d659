import { describe, expect, it } from "vitest";
import { formatDuration, formatInteger, formatNumber, formatPercent, formatRelative, formatSignificant } from "./format";

const nbsp = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("format", () => {
  it("formats numbers per language and shows missing values as a dash", () => {
    expect(formatNumber("en", 12345.678)).toBe("12,345.68");
    expect(nbsp(formatNumber("fr", 12345.678))).toBe("12 345,68");
    expect([formatNumber("en", null), formatNumber("en", Number.NaN), formatInteger("fr", undefined)]).toEqual(["—", "—", "—"]);
    expect(formatSignificant("en", 1.234567)).toBe("1.235");
    expect(nbsp(formatPercent("fr", 0.25))).toBe("25 %");
    expect(formatPercent("en", 0.25)).toBe("25%");
  });

  it("formats durations with at most two units", () => {
    expect(formatDuration("en", 45)).toBe("45 sec");
    expect(formatDuration("en", 125)).toBe("2 min 5 sec");
    expect(formatDuration("en", 5400)).toBe("1 hr 30 min");
    expect(nbsp(formatDuration("fr", 125))).toBe("2 min 5 s");
    expect(formatDuration("en", null)).toBe("—");
  });

  it("says how long ago, in the language", () => {
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(formatRelative("en", "2025-01-01T11:57:00Z", now)).toBe("3 minutes ago");
    expect(formatRelative("fr", "2025-01-01T11:57:00Z", now)).toBe("il y a 3 minutes");
  });
});
