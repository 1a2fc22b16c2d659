/** A notification's title and body in the reader's language, from the code + params the server stores
 * beside its English text (`message`, docs/api.md). An unknown code, or a record from before codes
 * (no `message`), shows the server's English title and body. */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Notification } from "../../api/client";
import { type Formatters, useFormat } from "../../i18n/format";

export interface NotificationText {
  title: string;
  body: string;
  /** False when this is the server's English text (an unknown code or an old record). */
  translated: boolean;
}

type Params = Record<string, unknown>;
type Values = Record<string, string | number>;

const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
const str = (value: unknown): string => (value === null || value === undefined ? "" : String(value));

/** "Backtest 'sma'" / "Backtest « sma »", or the job's id when it has no name. */
function jobLabel(t: TFunction, job: unknown): string {
  const { kind, name, id } = (job ?? {}) as Params;
  const noun = t(`jobKinds.${str(kind)}`, { defaultValue: t("jobKinds.job") });
  return name ? t("jobLabel.named", { noun, name: str(name) }) : t("jobLabel.id", { noun, id: str(id) });
}

/** The interpolation values of each code: numbers and durations formatted for the language. */
const VALUES: Record<string, (p: Params, f: Formatters, t: TFunction) => Values> = {
  "job.completed.backtest": (p, f) => ({
    returnPct: f.number(num(p.return_pct)),
    sharpe: f.number(num(p.sharpe)),
    drawdownPct: f.number(num(p.max_drawdown_pct)),
    count: num(p.trades) ?? 0,
    trades: f.integer(num(p.trades)),
  }),
  "job.completed.optimization": (p, f) => ({
    count: num(p.combinations) ?? 0,
    combinations: f.integer(num(p.combinations)),
    best: Object.entries((p.best ?? {}) as Params)
      .map(([key, value]) => `${key}=${typeof value === "number" ? f.significant(value, 6) : str(value)}`)
      .join(", "),
    objective: typeof p.objective === "number" ? f.significant(p.objective) : str(p.objective),
  }),
  "job.completed.optimization.none": (p, f) => ({ count: num(p.combinations) ?? 0, combinations: f.integer(num(p.combinations)) }),
  "job.completed.workflow": (p, f) => ({ count: num(p.steps) ?? 0, steps: f.integer(num(p.steps)) }),
  "job.failed": (p) => ({ reason: str(p.reason) }),
  "job.cancelled": () => ({}),
  "job.stalled": (p, f, t) => ({
    quiet: f.duration(num(p.quiet_seconds)),
    limit: f.duration(num(p.limit_seconds)),
    kind: t(`jobKinds.${str((p.job as Params | undefined)?.kind)}`, { defaultValue: t("jobKinds.job") }).toLowerCase(),
  }),
  "pipeline.finished": (p, f) => ({ count: num(p.signals) ?? 0, signals: f.integer(num(p.signals)), symbols: f.integer(num(p.symbols)) }),
  "pipeline.stopped": (p, f) => ({
    count: num(p.signals) ?? 0,
    signals: f.integer(num(p.signals)),
    symbols: f.integer(num(p.symbols)),
    done: f.integer(num(p.done)),
    total: f.integer(num(p.total)),
  }),
  "dataset.ready": (p, f) => ({ name: str(p.name), count: num(p.symbols) ?? 0, symbols: f.integer(num(p.symbols)), rows: f.integer(num(p.rows)) }),
  "dataset.failed": (p, f, t) => {
    const where = [
      ...(num(p.row) !== null ? [t("where.row", { row: f.integer(num(p.row)) })] : []),
      ...(p.column ? [t("where.column", { column: str(p.column) })] : []),
    ].join(", ");
    const count = num(p.count);
    return {
      name: str(p.name),
      place: where ? t("where.place", { where }) : "",
      message: str(p.message),
      rows: count ? t("where.rows", { count, formatted: f.integer(count) }) : "",
    };
  },
  "schedule.failed": (p) => ({ name: str(p.name), reason: str(p.reason) }),
  "channel.paused": (p, f) => ({ name: str(p.name), count: num(p.failures) ?? 0, failures: f.integer(num(p.failures)), error: str(p.error) }),
};

/** The text of one notification; `t` must be bound to the `notifications` namespace. */
export function notificationText(notification: Notification, t: TFunction, format: Formatters): NotificationText {
  const message = notification.message;
  const values = message ? VALUES[message.code] : undefined;
  if (!message || !values) return { title: notification.title, body: notification.body, translated: false };
  const params = message.params ?? {};
  const all = { ...values(params, format, t), job: params.job ? jobLabel(t, params.job) : "" };
  return { title: t(`messages.${message.code}.title`, all), body: t(`messages.${message.code}.body`, all), translated: true };
}

/** {@link notificationText} in the current language. */
export function useNotificationText(notification: Notification): NotificationText {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  return notificationText(notification, t, format);
}
