import { Anchor, Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { DASH, useFormat } from "../../i18n/format";
import { useTopics } from "../realtime/RealtimeProvider";
import { ImportErrorAlert, StatusBadge } from "./DatasetStatus";
import { DeleteDatasetModal } from "./DatasetsTable";
import { SymbolSearch } from "./SymbolSearch";
import { useDataset } from "./useData";

/** One dataset: its import status live (`dataset:<id>`), what it holds, its error, delete. */
export function DatasetPage() {
  const { datasetId = "" } = useParams();
  const { t } = useTranslation("data");
  const format = useFormat();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  useTopics([`dataset:${datasetId}`]);
  const query = useDataset(datasetId);
  const dataset = query.data;

  if (query.error) return <ErrorAlert error={query.error} />;
  if (!dataset) return <PageLoader />;
  const size = dataset.size_bytes;
  return (
    <>
      <PageHeader
        title={dataset.name}
        description={
          <Anchor component={Link} to="/data" size="sm">
            {t("back")}
          </Anchor>
        }
        actions={
          <Button color="red" variant="light" size="xs" onClick={() => setDeleting(true)}>
            {t("delete.action")}
          </Button>
        }
      />
      <Stack gap="md">
        <Paper p="md" component="section" aria-label={t("detail.title")}>
          <Group gap="xs" mb="sm" wrap="wrap">
            <StatusBadge status={dataset.status} />
            {dataset.synthetic && (
              <Badge size="sm" variant="light" color="gray">
                {t("synthetic")}
              </Badge>
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs" component="dl" m={0}>
            <Field label={t("detail.source")}>{t(`sources.${dataset.source}`)}</Field>
            <Field label={t("detail.format")}>{dataset.format ? t(`upload.formats.${dataset.format}`, { defaultValue: dataset.format }) : DASH}</Field>
            <Field label={t("datasets.symbols")}>{format.integer(dataset.symbols_count)}</Field>
            <Field label={t("datasets.rows")}>{format.integer(dataset.rows)}</Field>
            <Field label={t("detail.start")}>{format.date(dataset.start)}</Field>
            <Field label={t("detail.end")}>{format.date(dataset.end)}</Field>
            <Field label={t("detail.size")}>{size != null ? t("detail.bytes", { value: format.integer(size) }) : DASH}</Field>
            <Field label={t("detail.timezone")}>{dataset.timezone ?? DASH}</Field>
            <Field label={t("detail.created")}>{format.dateTime(dataset.created_at)}</Field>
            <Field label={t("detail.updated")}>{format.dateTime(dataset.updated_at)}</Field>
            {dataset.symbol && (
              <Field label={t("detail.symbol")}>
                <Anchor component={Link} to={`/data/symbols/${encodeURIComponent(dataset.symbol)}?dataset=${dataset.dataset_id}`} translate="no">
                  {dataset.symbol}
                </Anchor>
              </Field>
            )}
          </SimpleGrid>
          {(dataset.ignored_columns ?? []).length > 0 && (
            <Text size="sm" mt="sm">
              {t("detail.ignored")}{" "}
              {(dataset.ignored_columns ?? []).map((column) => (
                <Code key={column} mr={4} translate="no">
                  {column}
                </Code>
              ))}
            </Text>
          )}
        </Paper>
        {dataset.error && <ImportErrorAlert error={dataset.error} />}
        {dataset.status === "ready" && (
          <Paper p="md" component="section" aria-label={t("search.title")}>
            <SymbolSearch
              label={t("search.label")}
              description={t("search.hint")}
              onPick={(symbol) => navigate(`/data/symbols/${encodeURIComponent(symbol)}?dataset=${dataset.dataset_id}`)}
              style={{ maxWidth: 420 }}
            />
          </Paper>
        )}
      </Stack>
      <DeleteDatasetModal dataset={deleting ? dataset : null} onClose={() => setDeleting(false)} onDeleted={() => navigate("/data")} />
    </>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} className="tw-num" style={{ whiteSpace: "normal" }}>
        {children}
      </Text>
    </div>
  );
}

export default DatasetPage;
