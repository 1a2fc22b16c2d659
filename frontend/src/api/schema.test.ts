// @vitest-environment node
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

it("the committed schema.d.ts is what openapi-typescript makes of openapi.json (run `make api-types`)", () => {
  const out = join(mkdtempSync(join(tmpdir(), "tw-schema-")), "schema.d.ts");
  const script = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf-8")).scripts["gen:api"] as string;
  const args = script
    .split(/\s+/)
    .slice(1)
    .map((arg) => (arg === "src/api/schema.d.ts" ? out : arg));
  execFileSync(join(ROOT, "node_modules", ".bin", "openapi-typescript"), args, { cwd: ROOT, stdio: "pipe" });
  const committed = readFileSync(join(ROOT, "src", "api", "schema.d.ts"), "utf-8");
  expect(committed === readFileSync(out, "utf-8"), "src/api/schema.d.ts is stale: run `make api-types` (or `npm run gen:api`)").toBe(true);
});
