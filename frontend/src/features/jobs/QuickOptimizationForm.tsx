import { type FormEvent, type ReactNode, useState } from "react";
import { type ApiClient, ApiError, type Dataset, type Job, type OptimizationRequest, type StrategyDocument } from "../../api/client";

const TEMPLATE = "sma_cross";
const WINDOWS = ["fast", "slow"] as const;
const BOUNDS = ["min", "max", "step"] as const;
type Window = (typeof WINDOWS)[number];
type Bound = (typeof BOUNDS)[number];
type Ranges = Record<Window, Record<Bound, string>>;

/** The form's fields that a problem's `loc` (after "body") can point at. */
type Field = "strategy" | "dataset_id" | "symbols" | "space" | "space.fast" | "space.slow" | "name";
type FieldErrors = Partial<Record<Field, string[]>>;

const INITIAL_RANGES: Ranges = { fast: { min: "5", max: "20", step: "5" }, slow: { min: "30", max: "60", step: "10" } };

interface Props {
  client: ApiClient;
  datasets: Dataset[];
  onSubmitted: (job: Job) => void;
}

/** An SMA-cross sweep (the `sma_cross` template inline, or a stored strategy) over a few symbols of
 * a dataset, ranked by Sharpe with the screening metrics. Every problem the API names appears next
 * to its field. */
export function QuickOptimizationForm({ client, datasets, onSubmitted }: Props) {
  const [strategyId, setStrategyId] = useState("");
  const [datasetId, setDatasetId] = useState("");
  const [symbols, setSymbols] = useState("");
  const [name, setName] = useState("Quick optimization");
  const [ranges, setRanges] = useState<Ranges>(INITIAL_RANGES);
  const [template, setTemplate] = useState<StrategyDocument | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const dataset = datasets.find((d) => d.dataset_id === datasetId) ?? datasets.find((d) => d.source === "sample") ?? datasets[0];
  const listed = symbols
    .split(",")
    .map((symbol) => symbol.trim().toUpperCase())
    .filter(Boolean);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    // An empty number input reads as "", which Number() would send as 0: ask for it here instead.
    const blank: FieldErrors = {};
    for (const w of WINDOWS) {
      const missing = BOUNDS.filter((b) => !Number.isFinite(parseFloat(ranges[w][b])));
      if (missing.length) blank[`space.${w}`] = missing.map((b) => `${w} ${b}: enter a number`);
    }
    if (Object.keys(blank).length) {
      setErrors(blank);
      return;
    }
    setPending(true);
    try {
      let source: { strategy_id: string } | { strategy: StrategyDocument };
      if (strategyId.trim()) {
        source = { strategy_id: strategyId.trim() };
      } else {
        const strategy = template ?? (await client.strategyTemplate(TEMPLATE)).document;
        setTemplate(strategy);
        source = { strategy };
      }
      const space = Object.fromEntries(
        WINDOWS.map((w) => [w, { min: Number(ranges[w].min), max: Number(ranges[w].max), step: Number(ranges[w].step) }]),
      );
      const request: OptimizationRequest = {
        ...source,
        dataset_id: dataset?.dataset_id ?? "",
        symbols: listed,
        space,
        objective: { metric: "sharpe", direction: "maximize" },
        metrics: "screening",
        top_n: 20,
        name: name.trim() || undefined,
      };
      onSubmitted(await client.submitOptimization(request));
    } catch (e) {
      const { fields, rest } = e instanceof ApiError ? fieldErrors(e, listed) : { fields: {}, rest: [] };
      setErrors(fields);
      setFormError([(e as Error).message, ...rest].join(" · "));
    } finally {
      setPending(false);
    }
  };

  const setBound = (w: Window, bound: Bound, value: string) => setRanges((current) => ({ ...current, [w]: { ...current[w], [bound]: value } }));

  return (
    <form className="quick-optimization" onSubmit={submit} aria-labelledby="qo-title" noValidate>
      <h3 id="qo-title">Quick optimization</h3>
      <Row id="qo-strategy" label="Stored strategy id" errors={errors.strategy} hint="leave empty for the SMA-cross template">
        <input id="qo-strategy" value={strategyId} placeholder="sma_cross template" onChange={(e) => setStrategyId(e.target.value)} {...invalid("qo-strategy", errors.strategy)} />
      </Row>
      <Row id="qo-dataset" label="Dataset" errors={errors.dataset_id} hint={datasets.length ? undefined : "no datasets yet"}>
        <select id="qo-dataset" value={dataset?.dataset_id ?? ""} onChange={(e) => setDatasetId(e.target.value)} {...invalid("qo-dataset", errors.dataset_id)}>
          {datasets.map((d) => (
            <option key={d.dataset_id} value={d.dataset_id}>
              {d.name}
            </option>
          ))}
        </select>
        {dataset?.synthetic && <span className="badge">synthetic sample data</span>}
      </Row>
      <Row id="qo-symbols" label="Symbols" errors={errors.symbols} hint="comma-separated, e.g. ZENX, QUBIT">
        <input id="qo-symbols" value={symbols} onChange={(e) => setSymbols(e.target.value)} {...invalid("qo-symbols", errors.symbols)} />
      </Row>
      {WINDOWS.map((w) => (
        <fieldset key={w} aria-describedby={errors[`space.${w}`] ? `qo-${w}-error` : undefined}>
          <legend>{w} SMA window</legend>
          {BOUNDS.map((bound) => (
            <label key={bound}>
              {w} {bound}
              <input
                type="number"
                className="short"
                value={ranges[w][bound]}
                onChange={(e) => setBound(w, bound, e.target.value)}
                aria-invalid={errors[`space.${w}`] ? true : undefined}
              />
            </label>
          ))}
          <FieldError id={`qo-${w}-error`} messages={errors[`space.${w}`]} />
        </fieldset>
      ))}
      <FieldError id="qo-space-error" messages={errors.space} />
      <Row id="qo-name" label="Name" errors={errors.name}>
        <input id="qo-name" value={name} onChange={(e) => setName(e.target.value)} {...invalid("qo-name", errors.name)} />
      </Row>
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? "Submitting…" : "Run optimization"}
        </button>
        <span className="muted">ranked by Sharpe; screening metrics</span>
      </div>
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
    </form>
  );
}

function Row({ id, label, errors, hint, children }: { id: string; label: string; errors?: string[]; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="muted">{hint}</span>}
      <FieldError id={`${id}-error`} messages={errors} />
    </div>
  );
}

function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <span id={id} className="error field-error">
      {messages.join("; ")}
    </span>
  );
}

function invalid(id: string, messages?: string[]) {
  return messages?.length ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
}

/** Sort a problem's `errors[]` onto the form's fields by `loc`; what fits no field is returned as
 * text with its location, so no problem goes unshown. */
function fieldErrors(error: ApiError, symbols: string[]): { fields: FieldErrors; rest: string[] } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const problem of error.problem?.errors ?? []) {
    const [where, ...path] = problem.loc;
    const field = where === "body" ? fieldOf(path) : null;
    if (!field) {
      rest.push(`${problem.loc.join(".")}: ${problem.msg}`);
      continue;
    }
    let message = problem.msg;
    const index = path[1];
    if (field === "symbols" && typeof index === "number" && symbols[index] && !message.includes(symbols[index])) {
      message = `${symbols[index]}: ${message}`;
    }
    (fields[field] ??= []).push(message);
  }
  return { fields, rest };
}

function fieldOf(path: (string | number)[]): Field | null {
  const [first, second] = path;
  if (first === "space" && (second === "fast" || second === "slow")) return `space.${second}`;
  if (first === "strategy" || first === "strategy_id") return "strategy";
  if (first === "dataset_id" || first === "symbols" || first === "space" || first === "name") return first;
  return null;
}
