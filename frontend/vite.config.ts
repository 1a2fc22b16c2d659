import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { loadEnv, type Plugin, type ProxyOptions } from "vite";
import { defineConfig } from "vitest/config";

/** The API's top-level routes (`/datasets`, `/health`, …), read from the committed OpenAPI document
 * the typed client is generated from, so the proxy never misses a route the client can call. */
export function apiRoutes(document: { paths: Record<string, unknown> }): string[] {
  const first = Object.keys(document.paths).map((path) => `/${path.split("/")[1]}`);
  return [...new Set(first)].sort();
}

/** After a build, print the JavaScript the first page load needs: the entry chunk and every chunk it
 * imports statically (what index.html preloads), gzipped. Issue #9's budget is 150 KB; pages,
 * charts and the other language's translations load later. The same figures go to
 * `node_modules/.vite/initial-js.json` (Vite's cache folder, never published), which `make bench`
 * prints beside the browser's own measurements. `atStart` names modules imported dynamically as the
 * app starts (the signed-in shell, src/app/App.tsx): their chunks are not in the budget's figure but
 * are fetched in parallel with it, so the report gives them too (`atStartKb`), never hiding them. */
const INITIAL_JS_REPORT = "initial-js.json";
export function initialJsReport(budgetKb = 150, atStart: string[] = ["src/app/SignedIn.tsx"]): Plugin {
  let cacheDir = "";
  return {
    name: "tradewind-initial-js",
    apply: "build",
    configResolved(config) {
      cacheDir = config.cacheDir;
    },
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === "chunk" ? [[item.fileName, item] as const] : [])));
      const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
      if (!entry) return;
      const closure = (start: string, into = new Set<string>(), skip = new Set<string>()) => {
        const visit = (name: string) => {
          if (into.has(name) || skip.has(name) || !chunks.has(name)) return;
          into.add(name);
          chunks.get(name)!.imports.forEach(visit);
        };
        visit(start);
        return into;
      };
      const initial = closure(entry.fileName);
      const started = new Set<string>();
      for (const chunk of chunks.values()) if (atStart.some((path) => chunk.facadeModuleId?.endsWith(path))) closure(chunk.fileName, started, initial);
      const size = (name: string) => gzipSync(chunks.get(name)!.code).length / 1024;
      const total = [...initial].reduce((sum, name) => sum + size(name), 0);
      const atStartKb = [...started].reduce((sum, name) => sum + size(name), 0);
      const verdict = total <= budgetKb ? "within" : "OVER";
      const chunkSizes = Object.fromEntries([...initial].map((name) => [name, Number(size(name).toFixed(2))]));
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(
        join(cacheDir, INITIAL_JS_REPORT),
        JSON.stringify(
          { entry: entry.fileName, chunks: chunkSizes, totalKb: Number(total.toFixed(2)), budgetKb, atStart, atStartKb: Number(atStartKb.toFixed(2)) },
          null,
          2,
        ),
      );
      this.info(
        `initial JS: entry ${size(entry.fileName).toFixed(1)} KB + ${initial.size - 1} preloaded chunk(s) = ${total.toFixed(1)} KB gzipped (${verdict} the ${budgetKb} KB budget); fetched in parallel at start (${atStart.join(", ")}): ${atStartKb.toFixed(1)} KB more`,
      );
    },
  };
}

const openapi = JSON.parse(readFileSync(new URL("./openapi.json", import.meta.url), "utf-8")) as { paths: Record<string, unknown> };

// `npm run dev` serves the app on :5173 and forwards everything the page talks to (the API routes,
// the WebSocket gateway, /config.json and the API docs) to the local cloud started by `make run`
// (TRADEWIND_BACKEND=http://127.0.0.1:PORT when it runs on another port). Page URLs such as
// /health or /backtests/<id> share their first segment with API routes: a browser navigation
// (Accept: text/html) gets the app, everything else goes to the API.
export default defineConfig(({ mode }) => {
  const backend = loadEnv(mode, ".", "TRADEWIND_").TRADEWIND_BACKEND || "http://127.0.0.1:8000";
  const toApi: ProxyOptions = {
    target: backend,
    changeOrigin: true,
    bypass: (req) => (req.headers.accept?.includes("text/html") ? "/index.html" : undefined),
  };
  const routes = [...apiRoutes(openapi), "/config.json", "/openapi.json", "/docs", "/cognito"];
  return {
    plugins: [react(), initialJsReport()],
    server: {
      proxy: {
        ...Object.fromEntries(routes.map((route) => [route, route === "/docs" ? { target: backend, changeOrigin: true } : toApi])),
        "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
      },
    },
    build: {
      outDir: "dist",
      // Source maps for local debugging only (`make run` and CloudFront must not publish them).
      sourcemap: mode === "development" ? true : "hidden",
    },
    // Rendering whole pages in jsdom takes seconds on a loaded 2-core machine: a generous per-test
    // timeout keeps the tests about behaviour, never about the machine's speed.
    test: { environment: "jsdom", restoreMocks: true, setupFiles: ["./src/test/setup.ts"], css: false, testTimeout: 30_000 },
  };
});
