// @vitest-environment node
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { apiRoutes } from "../../vite.config";

it("the dev proxy forwards every top-level route of the OpenAPI document", () => {
  const document = JSON.parse(readFileSync(join(__dirname, "..", "..", "openapi.json"), "utf-8"));
  const routes = apiRoutes(document);
  for (const path of Object.keys(document.paths)) expect(routes).toContain(`/${path.split("/")[1]}`);
  expect(routes).toEqual(expect.arrayContaining(["/health", "/datasets", "/realtime", "/notifications", "/api-keys"]));
  expect(new Set(routes).size).toBe(routes.length);
});
