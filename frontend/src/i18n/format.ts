/** Numbers, dates and durations formatted with Intl for the page's language: one place, so every
 * page reads alike. Non-finite or missing values show as a dash, never as 0. `useFormat()` binds
 * them to the current language. */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

export const DASH = "—";

type Num = number | null | undefined;

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let found = cache.get(key);
  if (!found) cache.set(key, (found = new Intl.NumberFormat(lang, options)));
  return found;
}

export function formatNumber(lang: string, value: Num | string, maximumFractionDigits = 2): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return numberFormat(lang, { maximumFractionDigits }).format(value);
}

/** Four significant digits: for metrics in tables (aligned with tabular figures). */
export function formatSignificant(lang: string, value: Num, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return numberFormat(lang, { maximumSignificantDigits: digits }).format(value);
}

export function formatInteger(lang: string, value: Num): string {
  return formatNumber(lang, value, 0);
}

/** `ratio` 0.25 → "25 %" (fr) / "25%" (en). */
export function formatPercent(lang: string, ratio: Num, maximumFractionDigits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return numberFormat(lang, { style: "percent", maximumFractionDigits }).format(ratio);
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(lang: string, value: string | number | Date | null | undefined): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(date) : DASH;
}

export function formatDate(lang: string, value: string | number | Date | null | undefined): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(date) : DASH;
}

export function formatTime(lang: string, value: string | number | Date | null | undefined): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(lang, { timeStyle: "medium" }).format(date) : DASH;
}

/** "3 minutes ago" / "il y a 3 minutes", against `now`. */
export function formatRelative(lang: string, value: string | number | Date | null | undefined, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return DASH;
  const seconds = Math.round((date.getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["second", 60],
    ["minute", 60],
    ["hour", 24],
    ["day", 30],
    ["month", 12],
  ];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return rtf.format(Math.round(amount), unit);
    amount /= size;
  }
  return rtf.format(Math.round(amount), "year");
}

/** A duration in seconds as at most two units: "45 s", "2 min 5 s", "1 h 30 min". */
export function formatDuration(lang: string, seconds: Num): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return DASH;
  const unit = (value: number, name: "second" | "minute" | "hour" | "day") =>
    numberFormat(lang, { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: 0 }).format(value);
  const whole = Math.round(seconds);
  if (whole < 60) return unit(whole, "second");
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return whole % 60 ? `${unit(minutes, "minute")} ${unit(whole % 60, "second")}` : unit(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${unit(hours, "hour")} ${unit(minutes % 60, "minute")}` : unit(hours, "hour");
  return `${unit(Math.floor(hours / 24), "day")} ${unit(hours % 24, "hour")}`;
}

export interface Formatters {
  lang: string;
  number: (value: Num | string, digits?: number) => string;
  significant: (value: Num, digits?: number) => string;
  integer: (value: Num) => string;
  percent: (ratio: Num, digits?: number) => string;
  date: (value: string | number | Date | null | undefined) => string;
  dateTime: (value: string | number | Date | null | undefined) => string;
  time: (value: string | number | Date | null | undefined) => string;
  relative: (value: string | number | Date | null | undefined, now?: number) => string;
  duration: (seconds: Num) => string;
}

export function formatters(lang: string): Formatters {
  return {
    lang,
    number: (value, digits) => formatNumber(lang, value, digits),
    significant: (value, digits) => formatSignificant(lang, value, digits),
    integer: (value) => formatInteger(lang, value),
    percent: (ratio, digits) => formatPercent(lang, ratio, digits),
    date: (value) => formatDate(lang, value),
    dateTime: (value) => formatDateTime(lang, value),
    time: (value) => formatTime(lang, value),
    relative: (value, now) => formatRelative(lang, value, now),
    duration: (seconds) => formatDuration(lang, seconds),
  };
}

/** The formatters of the current language (re-rendered when it changes). */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language ?? "en";
  return useMemo(() => formatters(lang), [lang]);
}
