/** Runtime configuration: /config.json is written by the deployment (CloudFront) or the local cloud,
 * so one build serves every stage. */
export interface AppConfig {
  apiUrl: string;
  wsUrl: string;
  stage: string;
  /** Only for a loopback caller of the local stack. */
  apiKey?: string;
  /** The user pool people sign in with (features/accounts; docs/accounts.md). */
  cognito?: { region: string; userPoolId: string; clientId: string; endpoint: string };
}

/** Fetch /config.json. Under `npm run dev` the API, the WebSocket and local sign-in go through the Vite proxy
 * (same origin) instead of the URLs the backend advertises, which would be cross-origin. */
export async function loadConfig(fetchImpl: typeof fetch = fetch, dev = import.meta.env.DEV): Promise<AppConfig> {
  const response = await fetchImpl("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as AppConfig;
  if (dev) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    // The local stack's Cognito proxy (/cognito/) goes through the Vite proxy too.
    const cognito = config.cognito?.endpoint.endsWith("/cognito/") ? { ...config.cognito, endpoint: `${window.location.origin}/cognito/` } : config.cognito;
    return { ...config, apiUrl: "", wsUrl: `${scheme}://${window.location.host}/ws`, cognito };
  }
  return config;
}

const KEY_STORAGE = "tradewind.apiKey";
const CONFIG_KEY_CHOSEN = "tradewind.useConfigKey";

/** The API key this tab signs with, if one was chosen ("use an API key" on the sign-in page): kept in
 * sessionStorage, like the refresh token, so no long-lived secret stays in the browser after the tab
 * closes. The key of /config.json (loopback only) is used when chosen, or when the stage has no user
 * pool to sign in with. */
export function initialApiKey(config: AppConfig, storage: Storage = window.sessionStorage): string | null {
  if (config.apiKey && (!config.cognito || storage.getItem(CONFIG_KEY_CHOSEN))) return config.apiKey;
  return storage.getItem(KEY_STORAGE);
}

export function storeApiKey(key: string, config: AppConfig, storage: Storage = window.sessionStorage): void {
  if (key === config.apiKey) storage.setItem(CONFIG_KEY_CHOSEN, "1");
  else storage.setItem(KEY_STORAGE, key);
}

export function forgetApiKey(storage: Storage = window.sessionStorage): void {
  storage.removeItem(KEY_STORAGE);
  storage.removeItem(CONFIG_KEY_CHOSEN);
}

/** Earlier versions kept a typed key in localStorage: drop it (no long-lived secret there). */
export function dropLegacyKey(storage: Storage = window.localStorage): void {
  storage.removeItem(KEY_STORAGE);
}
