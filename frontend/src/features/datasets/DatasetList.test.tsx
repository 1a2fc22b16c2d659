import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { ApiClient, type Dataset } from "../../api/client";
import { DatasetList } from "./DatasetList";
import { useDatasets } from "./useDatasets";

afterEach(cleanup);

function Listed({ client }: { client: ApiClient }) {
  return <DatasetList view={useDatasets(client)} />;
}

function dataset(overrides: Partial<Dataset>): Dataset {
  return { dataset_id: "d", name: "n", status: "ready", source: "upload", synthetic: false, symbols_count: 1, rows: 10, start: null, end: null, ...overrides };
}

it("labels synthetic datasets and only those", async () => {
  const items = [dataset({ dataset_id: "s", name: "Sample universe (synthetic)", source: "sample", synthetic: true, symbols_count: 60 }), dataset({ dataset_id: "u", name: "My bars" })];
  const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ items, next_token: null }))) as unknown as typeof fetch;
  render(<Listed client={new ApiClient("http://api.test/prod/", "tw_key", fetchImpl)} />);
  expect(await screen.findByText("(2)")).toBeTruthy();
  expect(screen.getAllByText("synthetic sample data")).toHaveLength(1);
  expect(screen.getByText("Sample universe (synthetic)").parentElement?.textContent).toContain("synthetic sample data");
});

it("shows the API's problem detail when listing fails", async () => {
  const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ title: "Unauthorized", status: 401, detail: "unknown API key" }), { status: 401 })) as unknown as typeof fetch;
  render(<Listed client={new ApiClient("", "bad", fetchImpl)} />);
  expect(await screen.findByText("unknown API key")).toBeTruthy();
});
