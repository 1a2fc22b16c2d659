import { useEffect, useMemo, useState } from "react";
import { ApiClient, type BuildInfo } from "./api/client";
import { type AppConfig, forgetApiKey, initialApiKey, storeApiKey } from "./config";
import { KeyForm } from "./features/auth/KeyForm";
import { DatasetList } from "./features/datasets/DatasetList";
import { useDatasets } from "./features/datasets/useDatasets";
import { HealthPanel } from "./features/health/HealthPanel";
import { JobsPanel } from "./features/jobs/JobsPanel";
import { RealtimeStatus } from "./features/realtime/RealtimeStatus";
import { useRealtime } from "./features/realtime/useRealtime";

const TOPICS = ["health", "notifications"];

export function App({ config }: { config: AppConfig }) {
  const [apiKey, setApiKey] = useState<string | null>(() => initialApiKey(config));
  const publicClient = useMemo(() => new ApiClient(config.apiUrl, null), [config.apiUrl]);
  const [info, setInfo] = useState<BuildInfo | null>(null);
  useEffect(() => {
    publicClient.info().then(setInfo, () => setInfo(null));
  }, [publicClient]);

  return (
    <div className="app">
      <header>
        <h1>Tradewind</h1>
        <span className="muted" data-testid="build">
          {info ? `v${info.version} · ${info.stage} · ${info.region}` : config.stage}
        </span>
      </header>
      <main>
        <HealthPanel client={publicClient} />
        {apiKey ? (
          <Authenticated config={config} apiKey={apiKey} onSignOut={config.apiKey ? undefined : () => (forgetApiKey(), setApiKey(null))} />
        ) : (
          <KeyForm onKey={(key) => (storeApiKey(key), setApiKey(key))} />
        )}
      </main>
    </div>
  );
}

function Authenticated({ config, apiKey, onSignOut }: { config: AppConfig; apiKey: string; onSignOut?: () => void }) {
  const client = useMemo(() => new ApiClient(config.apiUrl, apiKey), [config.apiUrl, apiKey]);
  const realtime = useRealtime({ url: config.wsUrl, apiUrl: config.apiUrl, apiKey }, TOPICS);
  const datasets = useDatasets(client); // one request, shown by both panels
  return (
    <>
      <RealtimeStatus view={realtime} />
      <DatasetList view={datasets} />
      <JobsPanel client={client} realtime={realtime.client} datasets={datasets.datasets ?? []} />
      {onSignOut && (
        <button type="button" className="link" onClick={onSignOut}>
          Forget API key
        </button>
      )}
    </>
  );
}
