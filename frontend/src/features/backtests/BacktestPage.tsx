import { Alert, Badge, Code, Group, Progress, Tabs, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { Job } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useDatasets } from "../datasets/useDatasets";
import { STATUS_COLORS } from "../jobs/JobRow";
import { isFinal } from "../jobs/jobState";
import { useFollowJobs, useJobLive } from "../jobs/useJobs";
import { type BacktestResults, useBacktest, useBacktestResults, useSymbolCurves } from "./api";
import { RowActions } from "./RowActions";
import { backtestMeta, backtestTitle } from "./describe";
import { CurveCharts, MetricGroups, PriceChart, Section } from "./ResultParts";
import { TradesTable } from "./TradesTable";

/** One backtest: live progress while it runs, then every metric, the curves, trades and prices. */
export default function BacktestPage() {
  const { jobId = "" } = useParams();
  const { t } = useTranslation("backtests");
  const { t: common } = useTranslation();
  const navigate = useNavigate();
  const format = useFormat();
  const job = useBacktest(jobId);
  const datasets = useDatasets();
  useFollowJobs(job.data ? [job.data] : []);
  const succeeded = job.data?.status === "succeeded";
  const results = useBacktestResults(jobId, succeeded);

  if (job.error) return <ErrorAlert error={job.error} />;
  if (!job.data) return <PageLoader />;
  const data = job.data;
  // GET /jobs/{id} answers every kind: an optimization's id is not a backtest page
  if (data.kind !== "backtest")
    return (
      <Alert color="orange" variant="light" role="alert" title={t("notBacktest", { kind: common(`jobKind.${data.kind}`, { defaultValue: data.kind }) })} />
    );
  const title = backtestTitle(t, data);
  const synthetic = (datasets.data?.items ?? []).some((d) => d.dataset_id === data.dataset_id && d.synthetic);
  return (
    <>
      <PageHeader
        title={title}
        description={backtestMeta(t, data)}
        actions={<RowActions job={data} title={title} onDeleted={() => navigate("/backtests")} />}
      />
      <Group gap="xs" mb="md">
        <Badge variant="light" color={STATUS_COLORS[data.status] ?? "gray"} data-testid="job-status" data-status={data.status}>
          {common(`jobStatus.${data.status}`)}
        </Badge>
        {isFinal(data.status) && data.progress.shards_total > 0 && (
          <Text size="xs" c="dimmed" className="tw-num">
            {t("progress.symbols", { done: format.integer(data.progress.shards_done), total: format.integer(data.progress.shards_total) })} ·{" "}
            <span data-testid="job-percent">{format.percent(data.progress.percent / 100, 0)}</span>
          </Text>
        )}
        {data.cached && (
          <Badge variant="outline" color="gray">
            {t("cached")}
          </Badge>
        )}
        {synthetic && (
          <Badge variant="light" color="yellow">
            {common("synthetic")}
          </Badge>
        )}
      </Group>
      {!isFinal(data.status) && <LiveProgress job={data} title={title} />}
      {data.status === "failed" && (
        <Alert color="red" variant="light" title={t("failed")} role="alert">
          <Text size="sm" translate="no">
            {data.error}
          </Text>
        </Alert>
      )}
      {data.status === "cancelled" && (
        <Alert color="orange" variant="light">
          {t("cancelled")}
        </Alert>
      )}
      {succeeded && results.error && <ErrorAlert error={results.error} />}
      {succeeded && results.isPending && <PageLoader />}
      {succeeded && results.data && <Results job={data} results={results.data} />}
    </>
  );
}

function LiveProgress({ job, title }: { job: Job; title: string }) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const live = useJobLive(job.job_id);
  const { shards_done: done, shards_total: total, percent } = job.progress;
  const parts = [t("progress.symbols", { done: format.integer(done), total: format.integer(total) })];
  if (live.etaSeconds !== null) parts.push(t("progress.eta", { eta: format.duration(live.etaSeconds) }));
  return (
    <Section title={t("progress.title")} id="progress-title">
      <Group gap="sm" wrap="wrap">
        <Progress value={percent} w={{ base: "100%", xs: 320 }} size="lg" aria-label={t("progressOf", { title })} animated={job.status === "running"} />
        <Text size="sm" className="tw-num" data-testid="job-percent" aria-live="polite">
          {format.percent(percent / 100, 0)}
        </Text>
        <Text size="xs" c="dimmed" className="tw-num">
          {parts.join(" · ")}
        </Text>
      </Group>
    </Section>
  );
}

function Results({ job, results }: { job: Job; results: BacktestResults }) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const symbols = Object.keys(results.symbols);
  const params = Object.entries(results.params);
  const multi = symbols.length > 1;
  const portfolio = (
    <>
      <Section title={t("sections.curves")} id="curves-title">
        <CurveCharts curve={results.curves.portfolio} label={t("portfolio")} />
      </Section>
      <Section title={t("sections.metrics")} id="metrics-title">
        <MetricGroups values={results.portfolio} />
      </Section>
      {!multi && symbols[0] && (
        <Section title={t("sections.price", { symbol: symbols[0] })} id="price-title">
          <PriceChart jobId={job.job_id} symbol={symbols[0]} datasetId={job.dataset_id} start={results.start} end={results.end} />
        </Section>
      )}
      <Section title={t("sections.trades")} id="trades-title">
        <TradesTable jobId={job.job_id} symbol={null} showSymbol={multi} />
      </Section>
    </>
  );
  return (
    <>
      <Text size="sm" mb="sm" data-testid="run-params">
        {t("ranWith", { start: format.date(results.start), end: format.date(results.end) })}{" "}
        {params.length > 0 && <Code>{params.map(([name, value]) => `${name}=${String(value)}`).join(", ")}</Code>}
        {multi && (
          <>
            {" "}
            · {t("weights")} <Code>{symbols.map((s) => `${s} ${format.percent(results.weights[s], 1)}`).join(", ")}</Code>
          </>
        )}
      </Text>
      {multi ? (
        <Tabs defaultValue="portfolio" keepMounted={false}>
          <Tabs.List mb="md" style={{ flexWrap: "wrap" }}>
            <Tabs.Tab value="portfolio">{t("portfolio")}</Tabs.Tab>
            {symbols.map((symbol) => (
              <Tabs.Tab key={symbol} value={symbol} translate="no">
                {symbol}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="portfolio">{portfolio}</Tabs.Panel>
          {symbols.map((symbol) => (
            <Tabs.Panel key={symbol} value={symbol}>
              <Section title={t("sections.curvesOf", { symbol })} id={`curves-${symbol}`}>
                <SymbolCurves jobId={job.job_id} symbol={symbol} />
              </Section>
              <Section title={t("sections.price", { symbol })} id={`price-${symbol}`}>
                <PriceChart jobId={job.job_id} symbol={symbol} datasetId={job.dataset_id} start={results.start} end={results.end} />
              </Section>
              <Section title={t("sections.metricsOf", { symbol })} id={`metrics-${symbol}`}>
                <MetricGroups values={results.symbols[symbol]} />
              </Section>
              <Section title={t("sections.tradesOf", { symbol })} id={`trades-${symbol}`}>
                <TradesTable jobId={job.job_id} symbol={symbol} showSymbol={false} />
              </Section>
            </Tabs.Panel>
          ))}
        </Tabs>
      ) : (
        portfolio
      )}
    </>
  );
}

function SymbolCurves({ jobId, symbol }: { jobId: string; symbol: string }) {
  const curves = useSymbolCurves(jobId, true);
  if (curves.error) return <ErrorAlert error={curves.error} />;
  const curve = curves.data?.symbols?.[symbol];
  if (!curve) return <PageLoader />;
  return <CurveCharts curve={curve} label={symbol} />;
}
