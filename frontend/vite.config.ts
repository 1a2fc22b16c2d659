import react from "@vitejs/plugin-react";
import { loadEnv } from "vite";
import { defineConfig } from "vitest/config";

// `npm run dev` serves the app on :5173 and forwards everything the page talks to (the API routes,
// the WebSocket gateway and /config.json) to the local cloud started by `make run`
// (TRADEWIND_BACKEND=http://127.0.0.1:PORT when it runs on another port).
const apiRoutes = ["/health", "/datasets", "/symbols", "/watchlists", "/strategies", "/backtests", "/optimizations", "/realtime", "/config.json"];

export default defineConfig(({ mode }) => {
  const backend = loadEnv(mode, ".", "TRADEWIND_").TRADEWIND_BACKEND || "http://127.0.0.1:8000";
  return {
    plugins: [react()],
    server: {
      proxy: {
        ...Object.fromEntries(apiRoutes.map((route) => [route, { target: backend, changeOrigin: true }])),
        "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
      },
    },
    build: { outDir: "dist", sourcemap: true },
    test: { environment: "jsdom", restoreMocks: true },
  };
});
