import { Button, Paper, Stack, Text, Title } from "@mantine/core";
import { IconSeedling } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { DatasetsTable } from "./DatasetsTable";
import { SymbolSearch } from "./SymbolSearch";
import { UploadForm } from "./UploadForm";
import { useDatasets, useSeedSample } from "./useData";
import { NeedsRole } from "../accounts/NeedsRole";

/** Market data: datasets and their imports, uploads, the sample universe and symbol search. */
export function DataPage() {
  const { t } = useTranslation("data");
  const errorMessage = useErrorMessage();
  const navigate = useNavigate();
  const datasets = useDatasets();
  const seed = useSeedSample();
  const items = datasets.data?.items ?? [];
  const hasSample = items.some((d) => d.dataset_id === "sample");

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <NeedsRole role="researcher">
            <Button
              variant="light"
              size="xs"
              leftSection={<IconSeedling size={16} aria-hidden />}
              onClick={() => seed.mutate()}
              loading={seed.isPending}
              disabled={hasSample}
            >
              {t("seed.action")}
            </Button>
          </NeedsRole>
        }
      />
      <Stack gap="md">
        {seed.error && (
          <Text c="var(--tw-error)" size="sm" role="alert">
            {errorMessage(seed.error)}
          </Text>
        )}
        {seed.data && (
          <Text size="sm" role="status">
            {t(seed.data.started ? "seed.started" : "seed.exists")}
          </Text>
        )}
        <Paper p="md" component="section" aria-labelledby="symbols-title">
          <Title order={2} fz="h4" id="symbols-title" mb="sm">
            {t("search.title")}
          </Title>
          <SymbolSearch
            label={t("search.label")}
            description={t("search.hint")}
            onPick={(symbol) => navigate(`/data/symbols/${encodeURIComponent(symbol)}`)}
            style={{ maxWidth: 420 }}
          />
        </Paper>
        <UploadForm />
        <Paper p="md" component="section" aria-labelledby="datasets-title">
          <Title order={2} fz="h4" id="datasets-title" mb="sm">
            {t("datasets.title")}
          </Title>
          {datasets.error && <ErrorAlert error={datasets.error} />}
          {datasets.isPending && <PageLoader />}
          {datasets.data && <DatasetsTable datasets={items} />}
        </Paper>
      </Stack>
    </>
  );
}

export default DataPage;
