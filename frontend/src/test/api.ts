import { vi } from "vitest";

export type Answer = { status: number; body?: unknown };
export type Route = Answer | ((body: unknown, request: Request) => Answer);

export interface Recorded {
  route: string;
  body: unknown;
  headers: Headers;
}

/** A fake API for openapi-fetch: answers by "METHOD /path?query" (or "METHOD /path" for any query)
 * and records every request; an unknown route answers 404 problem+json. */
export function fakeApi(routes: Record<string, Route>) {
  const requests: Recorded[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    const full = `${request.method} ${url.pathname}${url.search}`;
    const text = request.method === "GET" || request.method === "DELETE" ? "" : await request.text();
    const body = text ? JSON.parse(text) : undefined;
    requests.push({ route: full, body, headers: request.headers });
    const route = routes[full] ?? routes[`${request.method} ${url.pathname}`];
    const answer =
      typeof route === "function"
        ? route(body, request)
        : (route ?? { status: 404, body: { type: "about:blank", title: "Not Found", status: 404, detail: `no fake for ${full}`, errors: [] } });
    const headers = { "Content-Type": answer.status >= 400 ? "application/problem+json" : "application/json" };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests, routes };
}
