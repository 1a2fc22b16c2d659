/** Runtime configuration: /config.json is written by the deployment (CloudFront) or the local cloud,
 * so one build serves every stage. */
export interface AppConfig {
  apiUrl: string;
  wsUrl: string;
  stage: string;
  apiKey?: string;
}

/** Fetch /config.json. Under `npm run dev` the API and the WebSocket go through the Vite proxy
 * (same origin) instead of the URLs the backend advertises, which would be cross-origin. */
export async function loadConfig(fetchImpl: typeof fetch = fetch, dev = import.meta.env.DEV): Promise<AppConfig> {
  const response = await fetchImpl("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as AppConfig;
  if (dev) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    return { ...config, apiUrl: "", wsUrl: `${scheme}://${window.location.host}/ws` };
  }
  return config;
}

const KEY_STORAGE = "tradewind.apiKey";

/** The key from config (local stack) wins; otherwise the one the user entered earlier. */
export function initialApiKey(config: AppConfig, storage: Storage = window.localStorage): string | null {
  return config.apiKey || storage.getItem(KEY_STORAGE);
}

export function storeApiKey(key: string, storage: Storage = window.localStorage): void {
  storage.setItem(KEY_STORAGE, key);
}

export function forgetApiKey(storage: Storage = window.localStorage): void {
  storage.removeItem(KEY_STORAGE);
}
