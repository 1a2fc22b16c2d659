import { describe, expect, it } from "vitest";
import type { Notification } from "../../api/client";
import { createI18n, type Language } from "../../i18n";
import { formatters } from "../../i18n/format";
import { resources } from "../../i18n/resources";
import { notificationText } from "./message";

const job = { kind: "optimization", name: "sma", id: "j1" };

function note(code: string | null, params: Record<string, unknown> = {}): Notification {
  return {
    notification_id: "n1",
    kind: "job.completed",
    title: "Server title",
    body: "Server body",
    link: null,
    created_at: "2025-01-01T00:00:00Z",
    read_at: null,
    message: code === null ? null : { code, params },
  };
}

function render(language: Language, notification: Notification) {
  const i18n = createI18n(language, resources);
  return notificationText(notification, i18n.getFixedT(language, "notifications"), formatters(language));
}

describe("in French, each code", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    [
      "job.completed.optimization",
      { job, combinations: 4, best: { fast: 5, slow: 40, k: 1.25 }, objective: 0.1084316194100302 },
      "Optimisation « sma » terminée",
      "4 combinaisons évaluées ; meilleure : fast=5, slow=40, k=1,25 (0,1084)",
    ],
    [
      "job.completed.optimization.none",
      { job: { ...job, name: null }, combinations: 1, best: null, objective: null },
      "Optimisation j1 terminée",
      "1 combinaison évaluée ; aucune n’atteint le nombre minimal de transactions.",
    ],
    [
      "job.completed.backtest",
      { job: { ...job, kind: "backtest" }, return_pct: 12.345, sharpe: 1.5, max_drawdown_pct: null, trades: 7 },
      "Backtest « sma » terminé",
      "rendement 12,35 %, Sharpe 1,5, drawdown max — %, 7 transactions",
    ],
    ["job.completed.workflow", { job: { ...job, kind: "workflow" }, steps: 3 }, "Exécution de workflow « sma » réussie", "3 étapes réussies."],
    ["job.failed", { job, reason: "no data for AAPL" }, "Échec : Optimisation « sma »", "no data for AAPL"],
    ["job.cancelled", { job }, "Annulation : Optimisation « sma »", "Annulée avant la fin."],
    [
      "job.stalled",
      { job: { ...job, kind: "command" }, quiet_seconds: 6060, limit_seconds: 600 },
      "Blocage probable : Commande « sma »",
      "Toujours en cours, mais sans progrès depuis 1 h 41 min (le seuil pour ce type de tâche est 10 min). Elle peut encore aboutir ; vous pouvez l’annuler.",
    ],
    [
      "pipeline.finished",
      { job: { ...job, kind: "pipeline" }, signals: 3, symbols: 20 },
      "Exécution de pipeline « sma » terminée",
      "3 signaux trouvés sur 20 symboles.",
    ],
    [
      "pipeline.stopped",
      { job: { ...job, kind: "pipeline" }, signals: 1, symbols: 4, done: 2, total: 5 },
      "Exécution de pipeline « sma » arrêtée",
      "Arrêtée après 2 lots sur 5 : 1 signal sur 4 symboles.",
    ],
    ["dataset.ready", { name: "bars", symbols: 2, rows: 12345 }, "Jeu de données « bars » importé : 2 symboles", "12 345 barres sur 2 symboles sont prêtes."],
    [
      "dataset.failed",
      { name: "bars", row: 7, column: "high", message: "high < low", count: 3 },
      "Échec de l’import « bars » : ligne 7, colonne « high » : high < low",
      "high < low (3 lignes enfreignent cette règle)",
    ],
    ["schedule.failed", { name: "nightly", reason: "strategy gone" }, "La planification « nightly » n’a pas pu lancer sa tâche", "strategy gone"],
    [
      "channel.paused",
      { name: "ops", failures: 5, error: "HTTP 500" },
      "Canal « ops » suspendu",
      "5 envois ont échoué d’affilée ; le dernier : HTTP 500. Corrigez-le puis réactivez-le dans Intégrations.",
    ],
  ];
  it.each(cases)("%s", (code, params, title, body) => {
    const text = render("fr", note(code, params));
    // Intl separates units and thousands with narrow or non-breaking spaces: compared as spaces
    const spaced = (value: string) => value.replace(/\s/g, " ");
    expect({ ...text, title: spaced(text.title), body: spaced(text.body) }).toEqual({ title, body, translated: true });
  });
});

it("in English, reads as the server's English text (the same params)", () => {
  const params = { job, combinations: 4, best: { fast: 5, slow: 40, k: 1.25 }, objective: 0.1084316194100302 };
  expect(render("en", note("job.completed.optimization", params))).toEqual({
    title: "Optimization 'sma' finished",
    body: "4 combinations evaluated; best fast=5, slow=40, k=1.25 (0.1084)",
    translated: true,
  });
  expect(render("en", note("dataset.ready", { name: "bars", symbols: 1, rows: 12345 })).title).toBe("Dataset 'bars' imported: 1 symbol");
});

it("falls back to the server's English for an unknown code or a record without one", () => {
  const fallback = { title: "Server title", body: "Server body", translated: false };
  expect(render("fr", note("job.exploded", { job }))).toEqual(fallback);
  expect(render("fr", note(null))).toEqual(fallback);
  const { message: _, ...old } = note(null);
  expect(render("fr", old as Notification)).toEqual(fallback);
});
