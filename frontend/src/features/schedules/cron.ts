/** The cron helper: a few plain choices turned into an EventBridge Scheduler expression (AWS's six
 * cron fields, `rate(...)`, `at(...)`), and back when an expression has one of those shapes. */

export type Preset = "minutes" | "hours" | "daily" | "weekdays" | "weekly" | "once" | "custom";
export const PRESETS: Preset[] = ["minutes", "hours", "daily", "weekdays", "weekly", "once", "custom"];
export const DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;
export type Day = (typeof DAYS)[number];

export interface HelperState {
  preset: Preset;
  every: number; // minutes or hours
  time: string; // HH:MM
  day: Day;
  at: string; // YYYY-MM-DDTHH:MM (datetime-local)
  custom: string;
}

export const DEFAULT_HELPER: HelperState = { preset: "weekdays", every: 15, time: "17:30", day: "MON", at: "", custom: "" };

function unit(count: number, name: "minute" | "hour"): string {
  return `rate(${count} ${name}${count === 1 ? "" : "s"})`;
}

function hourMinute(time: string): [number, number] {
  const [h, m] = time.split(":").map((part) => Number.parseInt(part, 10));
  return [Number.isFinite(h) ? h : 0, Number.isFinite(m) ? m : 0];
}

export function expressionOf(state: HelperState): string {
  const [hour, minute] = hourMinute(state.time);
  const every = Math.max(1, Math.floor(state.every || 1));
  switch (state.preset) {
    case "minutes":
      return unit(every, "minute");
    case "hours":
      return unit(every, "hour");
    case "daily":
      return `cron(${minute} ${hour} * * ? *)`;
    case "weekdays":
      return `cron(${minute} ${hour} ? * MON-FRI *)`;
    case "weekly":
      return `cron(${minute} ${hour} ? * ${state.day} *)`;
    case "once":
      return state.at ? `at(${state.at.length === 16 ? `${state.at}:00` : state.at})` : "";
    default:
      return state.custom.trim();
  }
}

const pad = (n: string) => n.padStart(2, "0");

/** The helper's state for an expression it can build; anything else is `custom`. */
export function helperOf(expression: string): HelperState {
  const text = expression.trim();
  let match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(text);
  if (match) return { ...DEFAULT_HELPER, preset: match[2].startsWith("minute") ? "minutes" : "hours", every: Number(match[1]) };
  match = /^cron\((\d{1,2}) (\d{1,2}) (\*|\?) \* (\?|MON-FRI|MON|TUE|WED|THU|FRI|SAT|SUN) \*\)$/.exec(text);
  if (match) {
    const time = `${pad(match[2])}:${pad(match[1])}`;
    if (match[4] === "?") return { ...DEFAULT_HELPER, preset: "daily", time };
    if (match[4] === "MON-FRI") return { ...DEFAULT_HELPER, preset: "weekdays", time };
    return { ...DEFAULT_HELPER, preset: "weekly", time, day: match[4] as Day };
  }
  match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?\)$/.exec(text);
  if (match) return { ...DEFAULT_HELPER, preset: "once", at: match[1] };
  return { ...DEFAULT_HELPER, preset: "custom", custom: text };
}
